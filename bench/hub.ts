/**
 * `npm run bench -- hub [--desks 500] [--seconds 10]`
 *
 * 500 simulated desks, each logged in as its own agent with its own open
 * conversation, send `message.send` commands in a closed loop against a real
 * hub process (SQLite, WAL, synchronous=FULL: every ack is a durable commit).
 * The same client code then drives a bare socket.io echo server in the same
 * run; `ratio` is ours / bare. Prints one JSON object.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import pino from 'pino';
import { DEFAULTS } from '../server/config';
import { seedDemo } from '../server/demo/seed';
import { setRootLogger } from '../server/log';
import { openDatabase } from '../server/storage/database';
import { newId } from '../server/storage/ids';
import { loadSecret } from '../server/auth/tokens';
import { runLoad } from './load';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { desks: { type: 'string', default: '500' }, seconds: { type: 'string', default: '10' } },
});
const DESKS = Number(values.desks);
const SECONDS = Number(values.seconds);

const children: ChildProcess[] = [];

/** Starts a process and resolves with the first stdout line matching `pick`. */
function startProcess(
  args: string[],
  pick: (line: string) => number | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"level":50') && process.env.BENCH_DEBUG) process.stderr.write(`${line}\n`);
      const port = pick(line);
      if (port) resolvePort({ child, port });
    });
  });
}

async function prepareHubData(dataDir: string) {
  const log = pino({ level: 'silent' });
  setRootLogger(log); // stdout carries only the bench's JSON
  const database = await openDatabase({ dataDir });
  const ctx = { config: { ...DEFAULTS, dataDir }, db: database.db, dbKind: database.kind, log } as never;
  await seedDemo(ctx);
  const site = await database.db
    .selectFrom('sites')
    .select('id')
    .where('code', '=', 'seoul')
    .executeTakeFirstOrThrow();
  const customer = await database.db
    .selectFrom('customers')
    .select('id')
    .where('site_id', '=', site.id)
    .executeTakeFirstOrThrow();
  const hash = (await database.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow())
    .password_hash;
  const desks: { userId: string; conversationId: string }[] = [];
  await database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < DESKS; i++) {
      const userId = newId();
      const conversationId = newId();
      await trx
        .insertInto('users')
        .values({
          id: userId,
          site_id: site.id,
          username: `bench${i}`,
          display_name: `벤치 ${i}`,
          role: 'agent',
          team_id: null,
          skills_json: '[]',
          password_hash: hash,
          active: 1,
          created_at: Date.now(),
        })
        .execute();
      await trx
        .insertInto('conversations')
        .values({
          id: conversationId,
          site_id: site.id,
          customer_id: customer.id,
          channel: 'webchat',
          queue_id: null,
          status: 'open',
          priority: 0,
          assignee_id: userId,
          subject: null,
          waiting_since: null,
          created_at: Date.now(),
          last_message_at: null,
        })
        .execute();
      desks.push({ userId, conversationId });
    }
  });
  await database.close();
  const secret = loadSecret(dataDir);
  return Promise.all(
    desks.map(async (d) => ({
      ...d,
      token: await new SignJWT({ site: site.id, role: 'agent' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(d.userId)
        .setIssuer('ieum-hub')
        .setExpirationTime('1h')
        .sign(secret),
    })),
  );
}

const progress = (msg: string) => process.stderr.write(`[bench hub] ${msg}\n`);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ieum-bench-'));
  try {
    progress(`preparing ${DESKS} agents`);
    const desks = await prepareHubData(dataDir);
    progress('measuring bare socket.io echo');

    const bare = await startProcess(
      ['bench/bare-echo-server.ts'],
      (l) => (JSON.parse(l) as { port?: number }).port,
    );
    const bareResult = await runLoad(
      `http://127.0.0.1:${bare.port}`,
      desks.map((d) => ({
        payload: (i) => ({
          commandId: `${d.userId}-${i}`,
          conversationId: d.conversationId,
          body: `벤치 메시지 ${i}`,
        }),
      })),
      SECONDS,
    );
    bare.child.kill('SIGTERM');
    progress('measuring the hub');

    const hub = await startProcess(
      ['server/main.ts', '--data', dataDir, '--port', '0', '--log-level', 'info'],
      (l) => {
        try {
          const j = JSON.parse(l) as { msg?: string; url?: string };
          return j.msg === 'hub listening' ? Number(new URL(j.url!).port) : undefined;
        } catch {
          return undefined;
        }
      },
      // The per-desk rate limit (50/s) protects the hub from one runaway desk;
      // lifted here so the bench measures what the hub can carry in total.
      { IEUM_COMMAND_RATE_PER_SECOND: '1000000', IEUM_COMMAND_BURST: '1000000' },
    );
    const hubResult = await runLoad(
      `http://127.0.0.1:${hub.port}`,
      desks.map((d) => ({
        auth: { token: d.token },
        payload: (i) => ({
          commandId: `${d.userId}-${i}`,
          conversationId: d.conversationId,
          body: `벤치 메시지 ${i}`,
        }),
      })),
      SECONDS,
    );
    hub.child.kill('SIGTERM');

    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'hub',
          desks: DESKS,
          seconds: SECONDS,
          storage: 'sqlite (WAL, synchronous=FULL)',
          hub: hubResult,
          bare: bareResult,
          ratio: {
            commandsPerSecond:
              Math.round((hubResult.commandsPerSecond / bareResult.commandsPerSecond) * 1000) / 1000,
            p50: Math.round((hubResult.p50Ms / bareResult.p50Ms) * 100) / 100,
            p99: Math.round((hubResult.p99Ms / bareResult.p99Ms) * 100) / 100,
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    // Whatever happened, no hub or echo server outlives the bench.
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
