/**
 * sipp (Debian `sip-tester`) as a customer's phone or a load generator against
 * the test Kamailio. Scenarios are written to a temp dir per run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './kamailio';

/** What the customer's INVITE carries: a plain-RTP audio offer, nothing, or a body that is not usable SDP. */
export type SippOffer = 'sdp' | 'none' | 'garbage';

const OFFER_BODIES: Record<SippOffer, { headers: string; body: string }> = {
  sdp: {
    headers: 'Content-Type: application/sdp\nContent-Length: [len]',
    body: `
v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000`,
  },
  none: { headers: 'Content-Length: 0', body: '' },
  garbage: {
    headers: 'Content-Type: application/sdp\nContent-Length: [len]',
    body: `
this is not a session description
m=audio`,
  },
};

/**
 * A plain-SIP INVITE from `from` to `to`. By default the agent declines it:
 * sipp waits for the desk's 480 (sip.js's decline) and ACKs it. `expect`
 * names another final answer (488 for an unusable offer, 480 from a queue
 * nobody serves); `cancelAfterMs` hangs up (CANCEL) that long after ringing
 * starts and expects the 487.
 */
function customerCallScenario(opts: { offer: SippOffer; expect: number; cancelAfterMs?: number }): string {
  const offer = OFFER_BODIES[opts.offer];
  // A CANCEL must carry its INVITE's Via branch: sipp's [branch-N] is the branch N messages back.
  const head = (
    method: string,
    cseq: string,
    toTag = '',
    branch = '[branch]',
  ) => `${method} sip:[service]@[field1] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=${branch}
From: "고객" <sip:[field0]@customer.example>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[field1]>${toTag}
Call-ID: [call_id]
CSeq: ${cseq}
Max-Forwards: 70`;
  const cancel = opts.cancelAfterMs
    ? `
  <pause milliseconds="${opts.cancelAfterMs}"/>
  <send><![CDATA[
${head('CANCEL', '1 CANCEL', '', '[branch-5]')}
Content-Length: 0

]]></send>
  <recv response="200" optional="true"/>`
    : '';
  const ringing = opts.cancelAfterMs ? '<recv response="180"/>' : '<recv response="180" optional="true"/>';
  return `<?xml version="1.0" encoding="UTF-8" ?>
<scenario name="customer call">
  <send retrans="500"><![CDATA[
${head('INVITE', '1 INVITE')}
Contact: <sip:[field0]@[local_ip]:[local_port]>
${offer.headers}
${offer.body}
]]></send>
  <recv response="100" optional="true"/>
  <recv response="183" optional="true"/>
  ${ringing}${cancel}
  <recv response="${opts.expect}"/>
  <send><![CDATA[
${head('ACK', '1 ACK', '[peer_tag_param]')}
Content-Length: 0

]]></send>
</scenario>
`;
}

export interface SippRun {
  done: Promise<{ code: number | null; output: string }>;
  kill(): void;
}

export async function sippCustomerCall(opts: {
  sipPort: number;
  domain: string;
  from: string;
  to: string;
  timeoutS?: number;
  offer?: SippOffer;
  /** The final response sipp waits for (default 480, the agent's decline). */
  expect?: number;
  cancelAfterMs?: number;
}): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ieum-sipp-'));
  writeFileSync(
    join(dir, 'call.xml'),
    customerCallScenario({
      offer: opts.offer ?? 'sdp',
      expect: opts.expect ?? 480,
      ...(opts.cancelAfterMs ? { cancelAfterMs: opts.cancelAfterMs } : {}),
    }),
  );
  writeFileSync(join(dir, 'caller.csv'), `SEQUENTIAL\n${opts.from};${opts.domain}\n`);
  const child = spawn(
    'sipp',
    [
      `127.0.0.1:${opts.sipPort}`,
      '-sf',
      join(dir, 'call.xml'),
      '-inf',
      join(dir, 'caller.csv'),
      '-s',
      opts.to,
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-timeout',
      `${opts.timeoutS ?? 30}s`,
      '-timeout_error',
      '-nostdin',
      '-trace_err',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
  return { done, kill: () => child.kill('SIGKILL') };
}
