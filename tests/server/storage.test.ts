/**
 * The storage suite: the same tests on embedded SQLite and on a real
 * PostgreSQL server (started on loopback by tests/support/global-postgres.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULTS } from '../../server/config';
import type { HubContext } from '../../server/context';
import { runCommand } from '../../server/realtime/command-runner';
import { type Database, openDatabase } from '../../server/storage/database';
import { appendEvent, headSeq, readFeed, readSiteLog } from '../../server/storage/event-log';
import { connectDesk, loginAs, startTestHub } from '../support/in-process-hub';
import { freshDatabase } from '../support/postgres';

async function freshPostgres(): Promise<string> {
  const base = inject('pgUrl');
  return freshDatabase(base, 'ieum_test');
}

const kinds = ['sqlite', 'postgres'] as const;

describe.each(kinds)('storage on %s', (kind) => {
  let dataDir: string;
  let url: string | undefined;
  let database: Database;
  let ctx: HubContext;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ieum-storage-'));
    url = kind === 'postgres' ? await freshPostgres() : undefined;
    database = await openDatabase({ dataDir, url });
    const published: unknown[] = [];
    ctx = {
      config: { ...DEFAULTS, dataDir },
      db: database.db,
      dbKind: database.kind,
      tokens: null as never,
      throttle: null as never,
      publisher: { publish: (e) => published.push(...e) },
      log: pino({ level: 'silent' }),
    };
    await database.db
      .insertInto('sites')
      .values({ id: 's1', code: 's1', name: 'Site 1', timezone: 'Asia/Seoul', created_at: Date.now() })
      .execute();
  });
  afterAll(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`reports ${kind} and re-running migrations on reopen changes nothing`, async () => {
    expect(database.kind).toBe(kind);
    const again = await openDatabase({ dataDir, url });
    const sites = await again.db.selectFrom('sites').select('id').execute();
    expect(sites.map((s) => s.id)).toEqual(['s1']);
    await again.close();
  });

  it('gives contiguous site and per-user seqs under concurrent appends', async () => {
    const status = {
      userId: 'u1',
      state: 'ready' as const,
      reasonCodeId: null,
      since: new Date().toISOString(),
    };
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        database.db
          .transaction()
          .execute((trx) =>
            appendEvent(trx, 's1', 'agent.state_changed', status, i % 2 ? ['u1', 'u2'] : ['u1']),
          ),
      ),
    );
    const log = await readSiteLog(database.db, 's1', 0, 1000);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const feed1 = await readFeed(database.db, 'u1', 0, 1000);
    expect(feed1.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const feed2 = await readFeed(database.db, 'u2', 0, 1000);
    expect(feed2.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await headSeq(database.db, 'u2')).toBe(12);
    expect((await readFeed(database.db, 'u1', 20, 3)).map((e) => e.seq)).toEqual([21, 22, 23]);
    expect(feed1[0]).toMatchObject({
      type: 'agent.state_changed',
      payload: { userId: 'u1', state: 'ready' },
    });
  });

  it('runs a command once per idempotency key, even when the retries race', async () => {
    const actor = { userId: 'u9', siteId: 's1', role: 'agent' as const };
    let executions = 0;
    const exec = () =>
      runCommand(ctx, actor, 'test', 'key-0001', async (trx) => {
        executions++;
        const e = await appendEvent(
          trx,
          's1',
          'agent.state_changed',
          { userId: 'u9', state: 'ready', reasonCodeId: null, since: new Date().toISOString() },
          ['u9'],
        );
        return { value: { n: executions }, events: [e] };
      });
    const results = await Promise.all([exec(), exec(), exec()]);
    const again = await exec();
    expect(new Set([...results, again].map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await headSeq(database.db, 'u9')).toBe(1);
  });

  it('rolls back everything a failing command wrote', async () => {
    const actor = { userId: 'u8', siteId: 's1', role: 'agent' as const };
    const before = (await readSiteLog(database.db, 's1', 0, 10_000)).length;
    await expect(
      runCommand(ctx, actor, 'test', 'key-fail-01', async (trx) => {
        await appendEvent(
          trx,
          's1',
          'agent.state_changed',
          { userId: 'u8', state: 'ready', reasonCodeId: null, since: new Date().toISOString() },
          ['u8'],
        );
        throw new Error('boom after a write');
      }),
    ).rejects.toThrow('boom');
    expect((await readSiteLog(database.db, 's1', 0, 10_000)).length).toBe(before);
    expect(await headSeq(database.db, 'u8')).toBe(0);
    const stored = await database.db
      .selectFrom('commands')
      .select('command_id')
      .where('user_id', '=', 'u8')
      .execute();
    expect(stored).toEqual([]);
  });

  it('stores SQL-looking and Korean text literally', async () => {
    const text = "'); DROP TABLE sites; -- 안녕하세요 😀";
    await database.db
      .insertInto('sites')
      .values({ id: 's2', code: 's2', name: text, timezone: 'Asia/Seoul', created_at: 1 })
      .execute();
    const row = await database.db
      .selectFrom('sites')
      .select('name')
      .where('id', '=', 's2')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe(text);
  });
});

describe('a whole hub on PostgreSQL', () => {
  it('seeds the demo, logs in, and acks a message that is then readable', async () => {
    const hub = await startTestHub({ db: await freshPostgres() });
    try {
      const health = (await (await fetch(`${hub.url}/healthz`)).json()) as { db: string };
      expect(health.db).toBe('postgres');
      const { token } = await loginAs(hub.url, 'agent1');
      const socket = await connectDesk(hub.url, token);
      const list = await socket.emitWithAck('conversation.list', { scope: 'mine' });
      expect(list.ok).toBe(true);
      if (!list.ok) return;
      const conversationId = list.value.find((c) => c.status === 'open')!.id;
      const sent = await socket.emitWithAck('message.send', {
        commandId: 'pg-message-0001',
        conversationId,
        body: 'PostgreSQL에서 보낸 답장',
      });
      expect(sent.ok).toBe(true);
      const page = await socket.emitWithAck('message.list', { conversationId });
      expect(page.ok && page.value.at(-1)?.body).toBe('PostgreSQL에서 보낸 답장');
      socket.close();
    } finally {
      await hub.stop();
    }
  });
});
