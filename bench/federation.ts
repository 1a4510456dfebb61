/**
 * `npm run bench -- federation [--backlog 1000000] [--seconds 10] [--desks 20]`
 *
 * A real HQ hub and a real site hub (separate processes, SQLite). Measures:
 * 1. catch-up: the site starts with a backlog of `--backlog` events in its log
 *    and enrolls; time until HQ has applied all of them (events/s);
 * 2. live: `--desks` agents send messages for `--seconds`; replication lag is
 *    sampled as the time from the site's head reaching a seq to HQ having it
 *    (p50/p99), with the throughput HQ applied meanwhile.
 * Baseline, same run: the same backlog gzip-batched and POSTed to a bare HTTP
 * server that only unzips and parses (transport and codec, no signing,
 * verification or database). Prints one JSON object.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import pino from 'pino';
import { io as connect } from 'socket.io-client';
import { DEFAULTS } from '../server/config';
import { seedDemo } from '../server/demo/seed';
import { setRootLogger } from '../server/log';
import { openDatabase } from '../server/storage/database';
import { newId } from '../server/storage/ids';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    backlog: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    desks: { type: 'string', default: '20' },
  },
});
const BACKLOG = Number(values.backlog);
const SECONDS = Number(values.seconds);
const DESKS = Number(values.desks);
const BATCH = 1000;

const progress = (msg: string) => process.stderr.write(`[bench federation] ${msg}\n`);
const children: ChildProcess[] = [];
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

function startHubProcess(dataDir: string, env: Record<string, string>): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--data', dataDir, '--port', '0', '--log-level', 'info'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"hub listening"')) resolveUrl((JSON.parse(line) as { url: string }).url);
      else if (line.includes('"level":50')) process.stderr.write(`${line}\n`);
    });
  });
}

async function post(url: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function get<T>(url: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json() as Promise<T>;
}

const payloadFor = (i: number, siteId: string) =>
  JSON.stringify({
    id: newId(),
    siteId,
    conversationId: '0190a000-0000-7000-8000-000000000000',
    direction: 'out',
    authorId: null,
    body: `백로그 메시지 ${i}: 주문하신 상품은 내일 도착 예정입니다.`,
    createdAt: new Date().toISOString(),
  });

/** A site data dir seeded with the seoul demo and `count` extra events in its log. */
async function prepareSite(dataDir: string, count: number): Promise<string> {
  const database = await openDatabase({ dataDir });
  const ctx = {
    config: { ...DEFAULTS, dataDir, demoSites: ['seoul'] },
    db: database.db,
    log: pino({ level: 'silent' }),
  };
  await seedDemo(ctx as never);
  const site = await database.db.selectFrom('sites').select('id').executeTakeFirstOrThrow();
  const at = Date.now();
  for (let from = 1; from <= count; from += 10_000) {
    await database.db.transaction().execute(async (trx) => {
      for (let i = from; i < Math.min(from + 10_000, count + 1); i += 500) {
        const rows = [];
        for (let k = i; k < Math.min(i + 500, count + 1); k++) {
          rows.push({
            site_id: site.id,
            seq: k,
            type: 'message.created',
            payload: payloadFor(k, site.id),
            at,
          });
        }
        await trx.insertInto('events').values(rows).execute();
      }
    });
  }
  await database.db
    .insertInto('site_counters')
    .values({ site_id: site.id, last_seq: count })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ last_seq: count }))
    .execute();
  await database.close();
  return site.id;
}

/** The baseline: the same batches through gzip + HTTP + JSON.parse to a server that keeps nothing. */
async function bareBaseline(count: number, siteId: string) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const batch = JSON.parse(gunzipSync(Buffer.concat(chunks)).toString('utf8')) as { events: unknown[] };
      res.end(JSON.stringify({ n: batch.events.length }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const started = performance.now();
  for (let from = 1; from <= count; from += BATCH) {
    const events = [];
    for (let k = from; k < Math.min(from + BATCH, count + 1); k++) {
      events.push({ seq: k, type: 'message.created', payload: payloadFor(k, siteId), at: Date.now() });
    }
    const body = gzipSync(JSON.stringify({ siteId, headSeq: count, events }));
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: new Uint8Array(body) });
    await res.text();
  }
  const seconds = (performance.now() - started) / 1000;
  server.close();
  return {
    events: count,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(count / seconds),
  };
}

async function main() {
  const hqDir = mkdtempSync(join(tmpdir(), 'ieum-bench-hq-'));
  const siteDir = mkdtempSync(join(tmpdir(), 'ieum-bench-site-'));
  setRootLogger(pino({ level: 'silent' }));
  try {
    progress(`preparing a site with ${BACKLOG} events in its log`);
    const siteId = await prepareSite(siteDir, BACKLOG);

    progress('baseline: gzip + HTTP + parse to a bare server');
    const bare = await bareBaseline(BACKLOG, siteId);

    progress('starting HQ');
    const hqUrl = await startHubProcess(hqDir, { IEUM_ROLE: 'hq', IEUM_DEMO: '1' });
    const admin = (await post(hqUrl, '/api/v1/auth/login', { username: 'admin1', password: 'demo' }))
      .token as string;
    const enrollToken = (await post(hqUrl, '/api/v1/hq/enrollments', { name: 'bench' }, admin))
      .token as string;

    progress('starting the site: catch-up');
    const started = performance.now();
    const siteUrl = await startHubProcess(siteDir, { IEUM_HQ_URL: hqUrl, IEUM_HQ_ENROLL_TOKEN: enrollToken });
    const hqSeq = async () =>
      (await get<{ siteId: string; lastSeq: number }[]>(hqUrl, '/api/v1/hq/sites', admin)).find(
        (s) => s.siteId === siteId,
      )?.lastSeq ?? 0;
    while ((await hqSeq()) < BACKLOG) await new Promise((r) => setTimeout(r, 100));
    const catchUpSeconds = (performance.now() - started) / 1000;

    progress(`live: ${DESKS} desks for ${SECONDS}s`);
    const manager = (await post(siteUrl, '/api/v1/auth/login', { username: 'manager1', password: 'demo' }))
      .token as string;
    // The site's head from its replication status (a counter read): the
    // event-totals report would scan the whole log on every sample.
    const siteHead = async () =>
      (
        await get<{ sites: { siteId: string; headSeq: number }[] }>(
          siteUrl,
          '/api/v1/federation/status',
          manager,
        )
      ).sites.find((s) => s.siteId === siteId)?.headSeq ?? 0;
    const agents = ['agent1', 'agent2'];
    const desks = await Promise.all(
      Array.from({ length: DESKS }, async (_, i) => {
        const token = (
          await post(siteUrl, '/api/v1/auth/login', { username: agents[i % 2], password: 'demo' })
        ).token as string;
        const socket = connect(siteUrl, { auth: { token }, transports: ['websocket'], reconnection: false });
        await new Promise((r) => socket.once('connect', () => r(undefined)));
        const list = (await socket.emitWithAck('conversation.list', { scope: 'mine' })) as {
          value: { id: string; status: string }[];
        };
        return { socket, conversationId: list.value.find((c) => c.status === 'open')!.id };
      }),
    );
    const deadline = performance.now() + SECONDS * 1000;
    const headSamples: { t: number; seq: number }[] = [];
    const hqSamples: { t: number; seq: number }[] = [];
    const hqBefore = await hqSeq();
    const liveStart = performance.now();
    const sampler = (async () => {
      while (performance.now() < deadline + 2000) {
        const t = performance.now();
        const [head, atHq] = await Promise.all([siteHead(), hqSeq()]);
        if (performance.now() < deadline) headSamples.push({ t, seq: head });
        hqSamples.push({ t: performance.now(), seq: atHq });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    let sent = 0;
    await Promise.all(
      desks.map(async (d, k) => {
        let i = 0;
        while (performance.now() < deadline) {
          await d.socket.emitWithAck('message.send', {
            commandId: `bench-${k}-${i}-${Date.now()}`,
            conversationId: d.conversationId,
            body: `실시간 메시지 ${i++}`,
          });
          sent++;
        }
      }),
    );
    await sampler;
    for (const d of desks) d.socket.close();
    const liveSeconds = (performance.now() - liveStart) / 1000;
    const lags = headSamples
      .map((h) => {
        const seen = hqSamples.find((s) => s.t >= h.t && s.seq >= h.seq);
        return seen ? seen.t - h.t : undefined;
      })
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    const applied = (await hqSeq()) - hqBefore;

    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'federation',
          storage: 'sqlite (WAL, synchronous=FULL) at both ends',
          catchUp: {
            events: BACKLOG,
            seconds: Math.round(catchUpSeconds * 100) / 100,
            eventsPerSecond: Math.round(BACKLOG / catchUpSeconds),
          },
          live: {
            desks: DESKS,
            seconds: Math.round(liveSeconds * 100) / 100,
            messagesSent: sent,
            eventsAppliedAtHq: applied,
            eventsPerSecond: Math.round(applied / liveSeconds),
            lagSamples: lags.length,
            lagP50Ms: Math.round(percentile(lags, 50)),
            lagP99Ms: Math.round(percentile(lags, 99)),
          },
          bare,
          ratio: {
            catchUpEventsPerSecond:
              Math.round((BACKLOG / catchUpSeconds / bare.eventsPerSecond) * 1000) / 1000,
          },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(hqDir, { recursive: true, force: true });
    rmSync(siteDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(1);
  },
);
