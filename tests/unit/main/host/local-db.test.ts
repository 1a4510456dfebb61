import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from '@shared/outbox';
import { openLocalDb, type LocalDb } from '../../../../src/main/host/local-db';
import { createLocalCache } from '../../../../src/main/host/local-cache';
import { createOutboxStore } from '../../../../src/main/host/outbox-store';

let dir: string;
let file: string;
let open: LocalDb[] = [];
const scope = { hubUrl: 'http://127.0.0.1:7300', userId: 'u-agent1' };

const item = (n: number, over: Partial<OutboxItem> = {}): OutboxItem => ({
  ...scope,
  id: `cmd-0000-${n}`,
  conversationId: 'c-1',
  body: `답장 ${n}`,
  kind: 'out',
  createdAt: new Date(2026, 0, 1, 9, 0, n).toISOString(),
  state: 'pending',
  error: null,
  ...over,
});

function openDb(options: Parameters<typeof openLocalDb>[1] = {}): LocalDb {
  const local = openLocalDb(file, options);
  open.push(local);
  return local;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ieum-desk-db-'));
  file = join(dir, 'desk.db');
});
afterEach(() => {
  for (const local of open) if (local.db.open) local.close();
  open = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('outbox store on SQLite', () => {
  it('keeps items in the order written, per user, across a restart', async () => {
    const first = openDb();
    const store = createOutboxStore(first.db);
    for (const n of [3, 1, 2]) expect((await store.outboxAdd(item(n))).ok).toBe(true);
    await store.outboxAdd(item(9, { userId: 'u-other' }));
    first.close();

    const again = createOutboxStore(openDb().db);
    const listed = await again.outboxList(scope);
    expect(listed.ok && listed.value.map((i) => i.id)).toEqual(['cmd-0000-3', 'cmd-0000-1', 'cmd-0000-2']);
    await again.outboxSetState({
      id: 'cmd-0000-1',
      state: 'failed',
      error: { code: 'NOT_FOUND', message: 'gone' },
    });
    await again.outboxRemove('cmd-0000-3');
    const after = await again.outboxList(scope);
    expect(after.ok && after.value.map((i) => [i.id, i.state, i.error?.code ?? null])).toEqual([
      ['cmd-0000-1', 'failed', 'NOT_FOUND'],
      ['cmd-0000-2', 'pending', null],
    ]);
  });

  it('keeps the channel of a reply sent on another channel, and a limit refusal’s details', async () => {
    const first = openDb();
    const store = createOutboxStore(first.db);
    await store.outboxAdd(item(1, { channel: 'sms' }));
    await store.outboxAdd(item(2));
    await store.outboxSetState({
      id: 'cmd-0000-1',
      state: 'failed',
      error: {
        code: 'VALIDATION_FAILED',
        message: 'too long',
        details: { reason: 'TEXT_TOO_LONG', limit: 2000 },
      },
    });
    first.close();
    const listed = await createOutboxStore(openDb().db).outboxList(scope);
    expect(
      listed.ok && listed.value.map((i) => [i.id, i.channel ?? null, i.error?.details?.reason ?? null]),
    ).toEqual([
      ['cmd-0000-1', 'sms', 'TEXT_TOO_LONG'],
      ['cmd-0000-2', null, null],
    ]);
  });

  it('adding the same id twice keeps one item', async () => {
    const store = createOutboxStore(openDb().db);
    await store.outboxAdd(item(1));
    await store.outboxAdd(item(1, { body: 'changed' }));
    const listed = await store.outboxList(scope);
    expect(listed.ok && listed.value.map((i) => i.body)).toEqual(['답장 1']);
  });

  it('answers STORAGE_FULL when the disk is full, and keeps what was saved before', async () => {
    const local = openDb({ maxPages: 12 });
    const store = createOutboxStore(local.db);
    const big = 'ㄱ'.repeat(3000);
    let n = 0;
    let last;
    do {
      last = await store.outboxAdd(item(++n, { id: `cmd-full-${n}`, body: big }));
    } while (last.ok && n < 200);
    expect(last).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL' } });
    expect(n).toBeGreaterThan(1);
    const listed = await store.outboxList(scope);
    expect(listed.ok && listed.value.length).toBe(n - 1);
  });

  it('moves an unreadable file aside and starts afresh', () => {
    const first = openDb();
    first.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from('this is not a database file at all'), 0, undefined, 0);
    closeSync(fd);

    const warnings: string[] = [];
    const local = openDb({ onWarn: (m) => warnings.push(m) });
    expect(local.recovered?.movedTo).toMatch(/desk\.db\.corrupt-/);
    expect(local.recovered?.outboxRowsKept).toBe(0);
    expect(existsSync(local.recovered!.movedTo)).toBe(true);
    expect(warnings[0]).toMatch(/moved to/);
    expect(local.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('rebuilds a damaged file but keeps the outbox rows it can still read', async () => {
    const first = openDb();
    const store = createOutboxStore(first.db);
    for (const n of [1, 2, 3]) await store.outboxAdd(item(n));
    // Many cache pages after the outbox's, then damage the tail of the file.
    const cache = createLocalCache(first.db);
    for (let i = 0; i < 60; i++) {
      await cache.cacheCustomer({
        scope,
        customer: {
          id: `cu-${i}`,
          siteId: 's',
          name: 'x'.repeat(90),
          segment: null,
          phones: ['0'.repeat(3000)],
          emails: [],
          createdAt: 't',
        },
      });
    }
    first.db.pragma('wal_checkpoint(TRUNCATE)');
    first.close();
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, size - 3 * 4096);
    closeSync(fd);

    const local = openDb({ onWarn: () => undefined });
    expect(local.recovered).not.toBeNull();
    expect(local.recovered?.outboxRowsKept).toBe(3);
    const listed = await createOutboxStore(local.db).outboxList(scope);
    expect(listed.ok && listed.value.map((i) => i.body)).toEqual(['답장 1', '답장 2', '답장 3']);
    expect(readdirSync(dir).some((f) => f.startsWith('desk.db.corrupt-'))).toBe(true);
  });
});

describe('local cache', () => {
  it('returns the last snapshot per user and drops what no longer parses', async () => {
    const local = openDb();
    const cache = createLocalCache(local.db);
    const conversation = {
      id: 'c-1',
      siteId: 's',
      customerId: 'cu-1',
      channel: 'webchat' as const,
      queueId: null,
      status: 'open' as const,
      priority: 0,
      assigneeId: 'u-agent1',
      subject: '배송 문의',
      waitingSince: null,
      createdAt: 't',
      lastMessageAt: null,
    };
    await cache.cacheConversations({ scope, items: [conversation] });
    expect(await cache.cachedConversations(scope)).toEqual({ ok: true, value: [conversation] });
    expect(await cache.cachedConversations({ ...scope, userId: 'u-other' })).toEqual({ ok: true, value: [] });
    local.db.prepare('UPDATE cache SET value = \'[{"id":1}]\'').run();
    expect(await cache.cachedConversations(scope)).toEqual({ ok: true, value: [] });
  });

  it('keeps drafts until they are emptied', async () => {
    const cache = createLocalCache(openDb().db);
    await cache.saveDraft({ scope, conversationId: 'c-1', body: '작성 중' });
    expect(await cache.loadDraft({ scope, id: 'c-1' })).toEqual({ ok: true, value: '작성 중' });
    await cache.saveDraft({ scope, conversationId: 'c-1', body: '  ' });
    expect(await cache.loadDraft({ scope, id: 'c-1' })).toEqual({ ok: true, value: null });
  });
});
