/**
 * sipp (Debian `sip-tester`) as a customer's phone or a load generator against
 * the test Kamailio. Scenarios are written to a temp dir per run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './kamailio';

/**
 * A plain-SIP INVITE from `from` to `to` that the agent declines: waits for the
 * desk's 480 (sip.js's decline) and ACKs it. Resolves with sipp's exit code.
 */
const DECLINED_CALL = `<?xml version="1.0" encoding="UTF-8" ?>
<scenario name="customer call, declined by the agent">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[field1] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "고객" <sip:[field0]@customer.example>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[field1]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:[field0]@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="480"/>
  <send><![CDATA[
ACK sip:[service]@[field1] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "고객" <sip:[field0]@customer.example>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[field1]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
</scenario>
`;

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
}): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ieum-sipp-'));
  writeFileSync(join(dir, 'call.xml'), DECLINED_CALL);
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
