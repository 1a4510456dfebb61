/**
 * Starts a real hub as a child process (`tsx server/main.ts`) on 127.0.0.1 with
 * a free port and a temp data dir, and waits for its "hub listening" log line.
 * `kill()` is kill -9 (for crash tests); `stop()` is a clean SIGTERM; `restart()`
 * starts a new process on the same data dir and port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '../..');

export interface HubOptions {
  demo?: boolean;
  db?: string;
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
  /** Lines of the hub's log, for tests that assert on logging. */
  onLog?: (line: string) => void;
}

export interface TestHub {
  url: string;
  port: number;
  dataDir: string;
  logs: string[];
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** A clean SIGTERM that keeps the data dir, for a later `restart()`. */
  halt(): Promise<void>;
  restart(): Promise<void>;
}

function launch(opts: HubOptions, dataDir: string, port: number, logs: string[]) {
  // node --import tsx (not the tsx wrapper) so the pid we signal is the hub itself:
  // kill -9 of a wrapper would leave the real hub running.
  const args = [
    '--import',
    'tsx',
    'server/main.ts',
    '--data',
    dataDir,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ];
  if (opts.demo) args.push('--demo');
  if (opts.db) args.push('--db', opts.db);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, IEUM_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<number>((resolvePort, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`hub exited with ${code} before listening:\n${logs.slice(-20).join('\n')}`));
    child.once('exit', onExit);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        opts.onLog?.(line);
        if (line.includes('"hub listening"')) {
          child.off('exit', onExit);
          resolvePort(Number(new URL((JSON.parse(line) as { url: string }).url).port));
        }
      });
    }
  });
  return { child, ready };
}

function waitExit(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

export async function startHub(opts: HubOptions = {}): Promise<TestHub> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ieum-hub-'));
  const logs: string[] = [];
  let { child, ready } = launch(opts, dataDir, opts.port ?? 0, logs);
  const port = await ready;
  const hub: TestHub = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    logs,
    async stop() {
      child.kill('SIGTERM');
      await waitExit(child);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      child.kill('SIGKILL');
      await waitExit(child);
    },
    async halt() {
      child.kill('SIGTERM');
      await waitExit(child);
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await waitExit(child);
      }
      ({ child, ready } = launch({ ...opts, demo: false }, dataDir, port, logs));
      await ready;
    },
  };
  return hub;
}

/** Logs in over HTTP and returns the token and user. */
export async function login(url: string, username: string, password = 'demo') {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: { id: string; siteId: string; role: string } };
}
