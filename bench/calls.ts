/**
 * `npm run bench -- calls [--calls 10] [--pops 10] [--registrations 2000]`
 *
 * One Kamailio (scripts/kamailio.sh, the project's config) and one hub process, then:
 *  - desk: agent1's desk calls agent2's desk (auto-answer) in Chromium with fake
 *    microphones; call setup is INVITE sent → 200 OK received on the caller's
 *    SIP WebSocket, timestamped inside the caller's page;
 *  - bare: the same through two bare sip.js pages (UserAgent + Inviter, no
 *    React, no hub round trips) with the same ephemeral credentials, measured
 *    the same way, in the same run; `ratio` is desk / bare;
 *  - queue: agent1's desk dials the main number (1588); Kamailio asks the hub
 *    which agent rings (the routing engine offers the call to agent2, Ready,
 *    auto-answer) — the same measure, so `queueOverheadMs` is what asking
 *    the hub adds to a call;
 *  - screen pop: a customer's phone (sipp) calls agent2's desk; the desk's own
 *    measure from taking the INVITE in to the customer on screen;
 *  - registrations/s: sipp REGISTERs with digest auth (auth_ephemeral) against
 *    Kamailio over UDP, each user its own credentials.
 * Prints one JSON object.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { formatKoreanPhone } from '../src/shared/phone-number';
import { issueSipCredentials } from '../server/telephony/sip-credentials';
import { launchChromium } from '../tests/support/chromium';
import Database from 'better-sqlite3';
import { startHub, type TestHub } from '../tests/support/hub';
import { freePort, kamailioAvailability, startKamailio, type TestKamailio } from '../tests/support/kamailio';
import { sippCustomerCall } from '../tests/support/kamailio-sipp';
import { DEMO_QUEUE_NUMBERS } from '../server/demo/seed';

const ROOT = resolve(import.meta.dirname, '..');
/** The hub's SQLite file in its data dir (server/storage/database.ts). */
const DB_FILE = 'ieum.sqlite';
const SECRET = 'bench-secret-shared-with-kamailio';
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10' },
    pops: { type: 'string', default: '10' },
    registrations: { type: 'string', default: '2000' },
  },
});
const CALLS = Number(values.calls);
const POPS = Number(values.pops);
const REGISTRATIONS = Number(values.registrations);
const run = promisify(execFile);
/** Progress on stderr; stdout carries only the JSON. */
const progress = (message: string) => process.stderr.write(`bench calls: ${message}\n`);

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: s.length,
    medianMs: round(at(0.5)),
    p90Ms: round(at(0.9)),
    minMs: round(s[0] ?? NaN),
    maxMs: round(s[s.length - 1] ?? NaN),
  };
}

/**
 * In the page, before anything else runs: wraps WebSocket to timestamp (with the
 * page's own clock) each call's first INVITE sent and its 200 OK received.
 * Timestamps taken here are not delayed by this process or the DevTools pipe.
 */
const SIP_TAP = `(() => {
  const started = new Map(); const measured = new Set(); const setups = [];
  const callIdOf = (t) => (/^(?:Call-ID|i):\\s*(\\S+)/im.exec(t) || [])[1];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const t = e.data;
        if (typeof t !== 'string' || !t.startsWith('SIP/2.0 200') || !/^CSeq:\\s*\\d+ INVITE/im.test(t)) return;
        const id = callIdOf(t);
        if (!id || !started.has(id) || measured.has(id)) return;
        measured.add(id);
        setups.push(performance.now() - started.get(id));
      });
    }
    send(data) {
      if (typeof data === 'string' && data.startsWith('INVITE ')) {
        const id = callIdOf(data);
        if (id && !started.has(id)) started.set(id, performance.now());
      }
      return super.send(data);
    }
  };
  window.__sipSetups = setups;
})();`;

/** The setup time of the page's next measured call (INVITE sent → 200 OK received). */
async function nextSetup(page: Page, count: number): Promise<number> {
  await page.waitForFunction((n) => (globalThis as unknown as Tapped).__sipSetups.length > n, count, {
    timeout: 20_000,
  });
  return page.evaluate((n) => (globalThis as unknown as Tapped).__sipSetups[n]!, count);
}

interface Tapped {
  __sipSetups: number[];
}

async function signIn(browser: Browser, hubUrl: string, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  await page.addInitScript({ content: SIP_TAP });
  await page.goto(`${hubUrl}/desk/`);
  await page.getByLabel('아이디', { exact: true }).fill(username);
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('status', { name: '등록 상태' }).filter({ hasText: '등록됨' }).waitFor();
  return page;
}

async function finishWrapUp(page: Page): Promise<void> {
  const form = page.getByRole('form', { name: '후처리' });
  await form.waitFor();
  await form.getByLabel('처리 결과').selectOption({ index: 1 });
  await form.getByRole('button', { name: '후처리 완료' }).click();
  await page.getByRole('button', { name: '전화 걸기', exact: true }).waitFor();
}

async function benchDesk(browser: Browser, hub: TestHub): Promise<number[]> {
  const caller = await signIn(browser, hub.url, 'agent1');
  const callee = await signIn(browser, hub.url, 'agent2');
  await callee.getByLabel('자동 응답').check();
  const samples: number[] = [];
  for (let i = 0; i < CALLS + 1; i++) {
    await caller.getByLabel('전화번호', { exact: true }).fill('agent2');
    await caller.getByRole('button', { name: '전화 걸기', exact: true }).click();
    const ms = await nextSetup(caller, i);
    if (i > 0) samples.push(ms); // the first call warms up getUserMedia and the codecs
    await caller
      .getByRole('region', { name: '현재 통화' })
      .getByRole('status')
      .filter({ hasText: '통화 중' })
      .waitFor();
    await caller.getByRole('button', { name: '끊기', exact: true }).click();
    await Promise.all([finishWrapUp(caller), finishWrapUp(callee)]);
  }
  await caller.context().close();
  await callee.context().close();
  return samples;
}

/** agent1 dials the queue number; the hub picks agent2 (the only Ready agent), who auto-answers. */
async function benchQueue(browser: Browser, hub: TestHub): Promise<number[]> {
  const caller = await signIn(browser, hub.url, 'agent1');
  const callee = await signIn(browser, hub.url, 'agent2');
  await callee.getByLabel('자동 응답').check();
  await callee.getByRole('button', { name: '대기', exact: true }).click();
  await callee.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
  const samples: number[] = [];
  for (let i = 0; i < CALLS + 1; i++) {
    await caller.getByLabel('전화번호', { exact: true }).fill(DEMO_QUEUE_NUMBERS.seoul!);
    await caller.getByRole('button', { name: '전화 걸기', exact: true }).click();
    const ms = await nextSetup(caller, i);
    if (i > 0) samples.push(ms);
    await caller
      .getByRole('region', { name: '현재 통화' })
      .getByRole('status')
      .filter({ hasText: '통화 중' })
      .waitFor();
    await caller.getByRole('button', { name: '끊기', exact: true }).click();
    await Promise.all([finishWrapUp(caller), finishWrapUp(callee)]);
    // agent2 is Ready again once the hub has the hang-up (wrap-up 0 s): then the next call.
    await callee.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
  }
  await caller.context().close();
  await callee.context().close();
  return samples;
}

/** Serves the bare page and sip.js's own ES modules, unbundled, from node_modules. */
function bareServer(): Promise<{ server: Server; url: string }> {
  const lib = join(ROOT, 'node_modules/sip.js/lib');
  const page = `<!doctype html><meta charset="utf-8"><title>bare sip.js</title>
<script type="module">
import { Inviter, Registerer, RegistererState, SessionState, UserAgent } from '/sip/index.js';
const sdh = { constraints: { audio: true, video: false } };
let ua; let session = null;
window.bare = {
  async start({ wsUri, aor, username, password }) {
    ua = new UserAgent({
      uri: UserAgent.makeURI(aor), transportOptions: { server: wsUri },
      authorizationUsername: username, authorizationPassword: password, logLevel: 'error',
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 1000 },
      delegate: { onInvite: (inv) => { session = inv; inv.accept({ sessionDescriptionHandlerOptions: sdh }); } },
    });
    await ua.start();
    const reg = new Registerer(ua);
    await new Promise((ok) => { reg.stateChange.addListener((s) => s === RegistererState.Registered && ok()); reg.register(); });
  },
  call(target) {
    return new Promise((ok, fail) => {
      session = new Inviter(ua, UserAgent.makeURI(target), { sessionDescriptionHandlerOptions: sdh });
      session.stateChange.addListener((s) => s === SessionState.Established && ok());
      session.invite().catch(fail);
    });
  },
  hangUp() {
    const s = session; session = null;
    if (!s) return Promise.resolve();
    const ended = new Promise((ok) => s.state === SessionState.Terminated ? ok() : s.stateChange.addListener((x) => x === SessionState.Terminated && ok()));
    s.bye().catch(() => undefined);
    return ended;
  },
  idle: () => session === null || session.state === SessionState.Terminated,
};
</script>`;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const file = normalize(join(lib, path.replace(/^\/sip\//, '')));
    if (!path.startsWith('/sip/') || !file.startsWith(lib) || extname(file) !== '.js' || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      r({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
    }),
  );
}

async function benchBare(browser: Browser, kamailio: TestKamailio, url: string): Promise<number[]> {
  const open = async (user: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.addInitScript({ content: SIP_TAP });
    await page.goto(url);
    await page.waitForFunction(() => 'bare' in globalThis);
    const creds = issueSipCredentials(user, {
      secret: SECRET,
      wsUri: kamailio.wsUrl,
      domain: kamailio.domain,
      ttlSeconds: 3600,
    });
    await page.evaluate(
      (c) => (globalThis as unknown as { bare: { start(c: unknown): Promise<void> } }).bare.start(c),
      creds,
    );
    return page;
  };
  // Other users than the desks', so the two runs never ring each other.
  const [caller, callee] = [await open('bare1'), await open('bare2')];
  const samples: number[] = [];
  type Bare = { bare: { call(t: string): Promise<void>; hangUp(): Promise<void>; idle(): boolean } };
  for (let i = 0; i < CALLS + 1; i++) {
    await caller.evaluate(
      (t) => (globalThis as unknown as Bare).bare.call(t),
      `sip:bare2@${kamailio.domain}`,
    );
    const ms = await nextSetup(caller, i);
    if (i > 0) samples.push(ms);
    await caller.evaluate(() => (globalThis as unknown as Bare).bare.hangUp());
    await callee.waitForFunction(() => (globalThis as unknown as Bare).bare.idle());
  }
  await caller.context().close();
  await callee.context().close();
  return samples;
}

async function benchScreenPop(browser: Browser, hub: TestHub, kamailio: TestKamailio): Promise<number[]> {
  const agent = await signIn(browser, hub.url, 'agent2');
  // Demo customers' numbers, read straight from the hub's SQLite file.
  const db = new Database(join(hub.dataDir, DB_FILE), { readonly: true });
  const numbers = db
    .prepare(
      `SELECT i.handle FROM identities i JOIN users u ON u.site_id = i.site_id
       WHERE u.username = 'agent2' AND i.channel = 'voice' LIMIT ?`,
    )
    .all(POPS) as { handle: string }[];
  db.close();
  const samples: number[] = [];
  for (const { handle } of numbers) {
    const phone = await sippCustomerCall({
      sipPort: kamailio.sipPort,
      domain: kamailio.domain,
      from: formatKoreanPhone(handle).replace(/-/g, ''),
      to: 'agent2',
    });
    const call = agent.getByRole('region', { name: '현재 통화' });
    // The call panel carries the desk's own measure once the customer is on screen.
    const popped = agent.locator('section[data-pop-ms]');
    await popped.waitFor();
    samples.push(Number(await popped.getAttribute('data-pop-ms')));
    await call.getByRole('button', { name: '거절', exact: true }).click();
    const done = await phone.done;
    if (done.code !== 0) throw new Error(`sipp customer call failed:\n${done.output}`);
    await agent.getByRole('button', { name: '전화 걸기', exact: true }).waitFor();
  }
  await agent.context().close();
  return samples;
}

const SIPP_REGISTER = `<?xml version="1.0" encoding="UTF-8" ?>
<scenario name="register with auth_ephemeral credentials">
  <send retrans="500"><![CDATA[
REGISTER sip:[field1] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[field0]@[field1]>;tag=[call_number]
To: <sip:[field0]@[field1]>
Call-ID: [call_id]
CSeq: 1 REGISTER
Contact: <sip:[field0]@[local_ip]:[local_port]>
Max-Forwards: 70
Expires: 300
Content-Length: 0

]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
REGISTER sip:[field1] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[field0]@[field1]>;tag=[call_number]
To: <sip:[field0]@[field1]>
Call-ID: [call_id]
CSeq: 2 REGISTER
Contact: <sip:[field0]@[local_ip]:[local_port]>
[field2]
Max-Forwards: 70
Expires: 300
Content-Length: 0

]]></send>
  <recv response="200"/>
</scenario>
`;

async function benchRegistrations(kamailio: TestKamailio) {
  const dir = mkdtempSync(join(tmpdir(), 'ieum-sipp-reg-'));
  try {
    const lines = ['SEQUENTIAL'];
    for (let i = 0; i < REGISTRATIONS; i++) {
      const c = issueSipCredentials(`load${i}`, {
        secret: SECRET,
        wsUri: kamailio.wsUrl,
        domain: kamailio.domain,
        ttlSeconds: 3600,
      });
      const digest = createHmac('sha1', SECRET).update(c.username).digest('base64');
      lines.push(
        `${c.extension};${kamailio.domain};[authentication username=${c.username} password=${digest}]`,
      );
    }
    writeFileSync(join(dir, 'users.csv'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'register.xml'), SIPP_REGISTER);
    const t0 = performance.now();
    const { stdout } = await run(
      'sipp',
      [
        `127.0.0.1:${kamailio.sipPort}`,
        ...['-sf', 'register.xml', '-inf', 'users.csv', '-m', String(REGISTRATIONS)],
        ...['-r', '20000', '-l', '200', '-i', '127.0.0.1', '-p', String(await freePort())],
        ...['-nostdin', '-timeout', '120s', '-timeout_error'],
      ],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? '', code: e.code }));
    const seconds = (performance.now() - t0) / 1000;
    const count = (label: string) =>
      Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(stdout)?.[1] ?? NaN);
    const ok = count('Successful call');
    return {
      attempted: REGISTRATIONS,
      successful: ok,
      failed: count('Failed call'),
      seconds: Math.round(seconds * 100) / 100,
      perSecond: Math.round(ok / seconds),
      note: 'each a REGISTER, 401 challenge, REGISTER with digest; sipp and Kamailio on the same 2 cores',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const availability = kamailioAvailability();
  if (!availability.ok) throw new Error(availability.reason);
  if (!existsSync(join(ROOT, 'out/renderer/index.html')))
    throw new Error('build the desk first: npx electron-vite build');
  // Kamailio asks the hub about queue numbers and the hub hands desks Kamailio's address:
  // the WebSocket port is chosen first, the hub started, then Kamailio with the hub's URL.
  const wsPort = await freePort();
  const hubPort = await freePort();
  const kamailio = await startKamailio({ secret: SECRET, wsPort, hubUrl: `http://127.0.0.1:${hubPort}` });
  // Ctrl-C or a timeout still stops Kamailio, which runs in its own session.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void kamailio.stop().finally(() => process.exit(130)));
  }
  let hub: TestHub | undefined;
  let browser: Browser | undefined;
  let bare: Server | undefined;
  try {
    // A hub process of its own, as in production: its SQLite commits (fsync) must
    // not stall this process, which timestamps the SIP frames.
    hub = await startHub({
      demo: true,
      port: hubPort,
      env: { IEUM_SIP_SECRET: SECRET, IEUM_SIP_WS_URL: kamailio.wsUrl, IEUM_SIP_DOMAIN: kamailio.domain },
    });
    browser = await launchChromium({ media: true });
    const served = await bareServer();
    bare = served.server;
    progress('desk calls');
    const desk = stats(await benchDesk(browser, hub));
    progress('queue calls');
    const queue = stats(await benchQueue(browser, hub));
    progress('bare sip.js calls');
    const bareCalls = stats(await benchBare(browser, kamailio, served.url));
    progress('screen pops');
    const pop = stats(await benchScreenPop(browser, hub, kamailio));
    progress('registrations');
    const registrations = await benchRegistrations(kamailio);
    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'calls',
          kamailio: (await run('kamailio', ['-v'])).stdout.split('\n')[0]?.trim(),
          callSetup: {
            what: 'INVITE sent to 200 OK received on the caller SIP WebSocket (callee auto-answers)',
            desk,
            bareSipJs: bareCalls,
            ratioMedian: Math.round((desk.medianMs / bareCalls.medianMs) * 100) / 100,
          },
          queueCallSetup: {
            what: 'the same, dialling the queue number: Kamailio asks the hub (routing engine) which agent rings',
            ...queue,
            queueOverheadMs: Math.round((queue.medianMs - desk.medianMs) * 10) / 10,
          },
          screenPop: {
            what: "desk: INVITE taken in to the caller's customer on screen (hub lookup)",
            ...pop,
          },
          registrations,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await browser?.close();
    bare?.close();
    await hub?.stop();
    await kamailio.stop();
  }
}

await main();
