/**
 * The outbox's delivery rules, run against both hosts' stores: SQLite (the
 * Electron desk) and localStorage (the browser desk).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Message } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import { createOutbox, type OutboxItem, type OutboxStore } from '@shared/outbox';
import { createBrowserOutbox, OUTBOX_KEY } from '@renderer/host/browser-outbox';
import { openLocalDb } from '../../../src/main/host/local-db';
import { createOutboxStore } from '../../../src/main/host/outbox-store';

const dir = mkdtempSync(join(tmpdir(), 'ieum-outbox-logic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scope = { hubUrl: 'http://127.0.0.1:7300', userId: 'u-agent1' };

function memoryStorage(quota = Infinity) {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > quota) throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      data.set(k, v);
    },
    removeItem: (k: string) => void data.delete(k),
  };
}

let n = 0;
const stores: [string, () => OutboxStore][] = [
  ['sqlite', () => createOutboxStore(openLocalDb(join(dir, `desk-${++n}.db`)).db)],
  ['localStorage', () => createBrowserOutbox(memoryStorage())],
];

const message = (item: OutboxItem): Message => ({
  id: `m-${item.id}`,
  conversationId: item.conversationId,
  direction: item.kind,
  authorId: scope.userId,
  body: item.body,
  clientId: item.id,
  createdAt: new Date().toISOString(),
});

/** A hub the test controls: answers per body, records what it was sent. */
function fakeHub(answer: (item: OutboxItem) => Result<Message> = (item) => ok(message(item))) {
  const sent: string[] = [];
  return {
    sent,
    send: async (item: OutboxItem) => {
      sent.push(item.body);
      return answer(item);
    },
  };
}

let ids = 0;
const newId = () => `cmd-${String(++ids).padStart(8, '0')}`;

describe.each(stores)('outbox over %s', (_name, makeStore) => {
  it('delivers in the order written and forgets only what was acked', async () => {
    const store = makeStore();
    let up = false;
    const hub = fakeHub((item) => (up ? ok(message(item)) : fail('UNAVAILABLE', 'down')));
    const outbox = createOutbox({ store, scope, send: hub.send, newId });
    for (const body of ['a', 'b', 'c']) await outbox.submit({ conversationId: 'c-1', body, kind: 'out' });
    await outbox.flush();
    // Down: each submit tried the head of the line once and stopped there; nothing got past 'a'.
    expect(new Set(hub.sent)).toEqual(new Set(['a']));
    up = true;
    hub.sent.length = 0;
    await outbox.flush();
    expect(hub.sent).toEqual(['a', 'b', 'c']);
    expect(outbox.items()).toEqual([]);
    expect(await store.outboxList(scope)).toEqual({ ok: true, value: [] });
  });

  it('marks a refused item failed, goes on with the rest, and can retry or discard it', async () => {
    const store = makeStore();
    let refuse = true;
    const hub = fakeHub((item) =>
      item.body === 'bad' && refuse ? fail('FORBIDDEN', 'not your conversation') : ok(message(item)),
    );
    const outbox = createOutbox({ store, scope, send: hub.send, newId });
    await outbox.submit({ conversationId: 'c-1', body: 'bad', kind: 'out' });
    await outbox.submit({ conversationId: 'c-1', body: 'good', kind: 'out' });
    await outbox.flush();
    expect(outbox.items().map((i) => [i.body, i.state, i.error?.code])).toEqual([
      ['bad', 'failed', 'FORBIDDEN'],
    ]);
    const stored = await store.outboxList(scope);
    expect(stored.ok && stored.value.map((i) => i.state)).toEqual(['failed']);

    refuse = false;
    await outbox.retry(outbox.items()[0]!.id);
    await outbox.flush();
    expect(outbox.items()).toEqual([]);

    refuse = true;
    await outbox.submit({ conversationId: 'c-1', body: 'bad', kind: 'out' });
    await outbox.flush();
    await outbox.discard(outbox.items()[0]!.id);
    expect(await store.outboxList(scope)).toEqual({ ok: true, value: [] });
  });

  it('sends one item at a time even when flushes overlap', async () => {
    const store = makeStore();
    let inFlight = 0;
    let most = 0;
    const outbox = createOutbox({
      store,
      scope,
      newId,
      send: async (item) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return ok(message(item));
      },
    });
    await Promise.all(
      ['x', 'y', 'z'].map((body) => outbox.submit({ conversationId: 'c-2', body, kind: 'note' })),
    );
    await Promise.all([outbox.flush(), outbox.flush()]);
    await outbox.flush();
    expect(most).toBe(1);
    expect(outbox.items()).toEqual([]);
  });

  it('after close, delivers nothing more and keeps the items stored', async () => {
    const store = makeStore();
    const hub = fakeHub();
    const outbox = createOutbox({ store, scope, send: hub.send, newId });
    outbox.close();
    expect((await outbox.submit({ conversationId: 'c-3', body: 'later', kind: 'out' })).ok).toBe(true);
    await outbox.flush();
    expect(hub.sent).toEqual([]);
    const stored = await store.outboxList(scope);
    expect(stored.ok && stored.value.map((i) => i.body)).toEqual(['later']);
  });
});

describe('browser outbox storage', () => {
  it('answers STORAGE_FULL when localStorage is over quota, keeping earlier items', async () => {
    const storage = memoryStorage(900);
    const outbox = createOutbox({
      store: createBrowserOutbox(storage),
      scope,
      send: async () => fail('UNAVAILABLE', 'down'),
      newId,
    });
    expect((await outbox.submit({ conversationId: 'c-1', body: 'short', kind: 'out' })).ok).toBe(true);
    const full = await outbox.submit({ conversationId: 'c-1', body: '가'.repeat(2000), kind: 'out' });
    expect(full).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL' } });
    expect(outbox.items().map((i) => i.body)).toEqual(['short']);
    expect(JSON.parse(storage.data.get(OUTBOX_KEY)!)).toHaveLength(1);
  });

  it('skips entries that no longer parse instead of failing', async () => {
    const storage = memoryStorage();
    storage.setItem(OUTBOX_KEY, JSON.stringify([{ id: 'broken' }, 42]));
    expect(await createBrowserOutbox(storage).outboxList(scope)).toEqual({ ok: true, value: [] });
    storage.setItem(OUTBOX_KEY, '{not json');
    expect(await createBrowserOutbox(storage).outboxList(scope)).toEqual({ ok: true, value: [] });
  });
});
