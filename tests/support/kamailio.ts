/**
 * Kamailio for tests, started and stopped by the project's own
 * scripts/kamailio.sh on free loopback ports, as the current user.
 * `kamailioAvailability()` installs it through scripts/system-deps.sh when it
 * is missing and says why not when that fails, so a test can skip with a reason.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Availability, requireOnCi } from './availability';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/kamailio.sh');
const run = promisify(execFile);

export interface TestKamailio {
  wsUrl: string;
  /** `wss://127.0.0.1:PORT` when started with `tls`. */
  wssUrl?: string;
  sipPort: number;
  wsPort: number;
  domain: string;
  secret: string;
  dir: string;
  /** Kamailio's own log so far, for failure messages. */
  log(): string;
  /** Stops Kamailio and starts it again on the same ports (registrations are lost, as in a real restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function installed(): boolean {
  const which = spawnSync('bash', ['-c', 'command -v kamailio'], { encoding: 'utf8' });
  if (which.status !== 0) return false;
  return ['/usr/lib', '/usr/lib64'].some((base) => {
    try {
      return (
        readdirSync(base).some((d) => existsSync(join(base, d, 'kamailio/modules/websocket.so'))) ||
        existsSync(join(base, 'kamailio/modules/websocket.so'))
      );
    } catch {
      return false;
    }
  });
}

let availability: Availability | undefined;

/** Installed, or installed now through system-deps; otherwise the reason it is not. */
export function kamailioAvailability(): Availability {
  return requireOnCi(probe(), 'telephony');
}

function probe(): Availability {
  if (availability) return availability;
  if (installed()) return (availability = { ok: true });
  const deps = spawnSync('bash', [join(ROOT, 'scripts/system-deps.sh'), 'telephony'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (installed()) return (availability = { ok: true });
  const why = `${deps.stderr ?? ''}${deps.stdout ?? ''}`.trim().split('\n').slice(-3).join(' ');
  return (availability = {
    ok: false,
    reason: `kamailio is not installed and scripts/system-deps.sh telephony could not install it: ${why}`,
  });
}

/** A TCP port free right now on 127.0.0.1 (Kamailio binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startKamailio(opts: {
  secret: string;
  domain?: string;
  /** rtpengine's NG socket, to bridge WebRTC desks and plain-RTP phones. */
  rtpengine?: string;
  /** The hub Kamailio asks who rings for a queue number (`--hub-url`). */
  hubUrl?: string;
  /** Seconds the hub may hold a caller for a free agent (`--queue-wait`). */
  queueWait?: number;
  /** A WebSocket port chosen beforehand (the hub was told it before Kamailio started). */
  wsPort?: number;
  /** wss:// for desks too, with this certificate and key (PEM files). */
  tls?: { cert: string; key: string };
}): Promise<TestKamailio> {
  const dir = mkdtempSync(join(tmpdir(), 'ieum-kamailio-'));
  const domain = opts.domain ?? 'ieum.test';
  const [sipPort, wsPort] = [await freePort(), opts.wsPort ?? (await freePort())];
  const args = [
    'start',
    '--dir',
    dir,
    '--sip-port',
    String(sipPort),
    '--ws-port',
    String(wsPort),
    '--domain',
    domain,
    ...(opts.rtpengine ? ['--rtpengine', opts.rtpengine] : []),
    ...(opts.hubUrl ? ['--hub-url', opts.hubUrl] : []),
    ...(opts.queueWait !== undefined ? ['--queue-wait', String(opts.queueWait)] : []),
  ];
  const wssPort = opts.tls ? await freePort() : undefined;
  if (opts.tls)
    args.push('--wss-port', String(wssPort), '--tls-cert', opts.tls.cert, '--tls-key', opts.tls.key);
  const start = () =>
    run('bash', [SCRIPT, ...args], { cwd: ROOT, env: { ...process.env, IEUM_SIP_SECRET: opts.secret } });
  try {
    await start();
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`scripts/kamailio.sh start failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    ...(wssPort ? { wssUrl: `wss://127.0.0.1:${wssPort}` } : {}),
    sipPort,
    wsPort,
    domain,
    secret: opts.secret,
    dir,
    log: () => {
      try {
        return readFileSync(join(dir, 'kamailio.log'), 'utf8');
      } catch {
        return '';
      }
    },
    async restart() {
      await run('bash', [SCRIPT, 'stop', '--dir', dir], { cwd: ROOT });
      await start();
    },
    async stop() {
      await run('bash', [SCRIPT, 'stop', '--dir', dir], { cwd: ROOT });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestRtpengine {
  /** For `startKamailio({ rtpengine })`: `udp:127.0.0.1:PORT`. */
  ngSocket: string;
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

/** rtpengine in userspace through scripts/rtpengine.sh, on a free NG port and its own media port range. */
export async function startRtpengine(): Promise<TestRtpengine> {
  const dir = mkdtempSync(join(tmpdir(), 'ieum-rtpengine-'));
  const ngPort = await freePort();
  // A media range unlikely to meet another test's: derived from the free NG port.
  const portMin = 20_000 + ((ngPort * 7) % 20_000);
  const script = join(ROOT, 'scripts/rtpengine.sh');
  const args = ['start', '--dir', dir, '--ng-port', String(ngPort), '--port-min', String(portMin)];
  await run('bash', [script, ...args, '--port-max', String(portMin + 199)], { cwd: ROOT });
  return {
    ngSocket: `udp:127.0.0.1:${ngPort}`,
    dir,
    log: () => {
      try {
        return readFileSync(join(dir, 'rtpengine.log'), 'utf8');
      } catch {
        return '';
      }
    },
    async stop() {
      await run('bash', [script, 'stop', '--dir', dir], { cwd: ROOT });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
