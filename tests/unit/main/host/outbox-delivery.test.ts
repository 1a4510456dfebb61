/**
 * The offline outbox end to end under Node: real SQLite file, the shared
 * delivery logic, and a real hub that is down, then up. Replies written
 * during the outage survive a desk restart and reach the hub in order, once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@shared/domain';
import { fail, type Result } from '@shared/errors';
import { createOutbox, type OutboxItem, type OutboxScope } from '@shared/outbox';
import { openLocalDb, type LocalDb } from '../../../../src/main/host/local-db';
import { createOutboxStore } from '../../../../src/main/host/outbox-store';
import {
  connectDesk,
  loginAs,
  startTestHub,
  type DeskSocket,
  type TestHubInProcess,
} from '../../../support/in-process-hub';

let root: string;
let hubData: string;
let hub: TestHubInProcess | null = null;
let port = 0;
let hubUrl = '';
let token = '';
let userId = '';
let conversationId = '';

async function startHubAgain(): Promise<void> {
  hub = await startTestHub({ dataDir: hubData, port });
  port = hub.port;
  hubUrl = hub.url;
}

/** What the desk's socket does for one item: connect if it can, send with the item's id as commandId. */
function socketSender(onSent?: (item: OutboxItem, result: Result<Message>) => Result<Message>) {
  let socket: DeskSocket | null = null;
  const send = async (item: OutboxItem): Promise<Result<Message>> => {
    if (!socket?.connected) {
      socket?.close();
      socket = null;
      try {
        socket = await connectDesk(hubUrl, token);
      } catch {
        return fail('UNAVAILABLE', 'hub unreachable');
      }
    }
    try {
      const result = (await socket.timeout(5_000).emitWithAck('message.send', {
        commandId: item.id,
        conversationId: item.conversationId,
        body: item.body,
        kind: item.kind,
      })) as Result<Message>;
      return onSent ? onSent(item, result) : result;
    } catch {
      return fail('UNAVAILABLE', 'no ack');
    }
  };
  return { send, close: () => socket?.close() };
}

async function hubMessages(): Promise<Message[]> {
  const socket = await connectDesk(hubUrl, token);
  try {
    const result = (await socket.emitWithAck('message.list', { conversationId, limit: 200 })) as Result<
      Message[]
    >;
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  } finally {
    socket.close();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ieum-outbox-'));
  hubData = join(root, 'hub');
  await startHubAgain();
  const login = await loginAs(hubUrl, 'agent1');
  token = login.token;
  userId = login.user.id;
  const socket = await connectDesk(hubUrl, token);
  const list = (await socket.emitWithAck('conversation.list', { scope: 'mine', limit: 10 })) as Result<
    { id: string; status: string }[]
  >;
  socket.close();
  if (!list.ok || !list.value.length) throw new Error('agent1 has no demo conversation');
  conversationId = list.value.find((c) => c.status !== 'resolved')?.id ?? list.value[0]!.id;
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('offline outbox against a hub that is down, then up', () => {
  it('keeps replies across a desk restart and delivers them in order, once', async () => {
    const file = join(root, 'desk.db');
    const scope: OutboxScope = { hubUrl, userId };
    const stamp = Date.now();
    const bodies = [1, 2, 3].map((n) => `오프라인 답장 ${n} ${stamp}`);

    // The hub goes away; the agent keeps writing.
    await hub!.stop();
    hub = null;
    let local: LocalDb = openLocalDb(file);
    const offline = socketSender();
    const first = createOutbox({
      store: createOutboxStore(local.db),
      scope,
      send: offline.send,
      newId: randomUUID,
    });
    for (const body of bodies)
      expect((await first.submit({ conversationId, body, kind: 'out' })).ok).toBe(true);
    await first.flush();
    expect(first.items().map((i) => [i.body, i.state])).toEqual(bodies.map((b) => [b, 'pending']));

    // The desk restarts while the hub is still down.
    first.close();
    offline.close();
    local.close();
    local = openLocalDb(file);
    const delivered: string[] = [];
    const online = socketSender();
    const second = createOutbox({
      store: createOutboxStore(local.db),
      scope,
      send: online.send,
      newId: randomUUID,
      onDelivered: (message) => delivered.push(message.body),
    });
    const loaded = await second.load();
    expect(loaded.ok && loaded.value.map((i) => i.body)).toEqual(bodies);
    await second.flush();
    expect(second.items()).toHaveLength(3);

    // The hub is back.
    await startHubAgain();
    await second.flush();
    online.close();
    expect(delivered).toEqual(bodies);
    expect(second.items()).toEqual([]);
    expect(await createOutboxStore(local.db).outboxList(scope)).toEqual({ ok: true, value: [] });
    local.close();

    const onHub = (await hubMessages()).filter((m) => bodies.includes(m.body));
    expect(onHub.map((m) => m.body)).toEqual(bodies);
    expect(new Set(onHub.map((m) => m.clientId)).size).toBe(3);
  }, 60_000);

  it('re-sends an item whose ack was lost with the same key, and the hub keeps one message', async () => {
    const local = openLocalDb(join(root, 'desk-lost-ack.db'));
    const body = `ack 유실 ${Date.now()}`;
    let lose = true;
    const sender = socketSender((_item, result) => {
      // The hub committed and answered, but the answer never arrived.
      if (lose) {
        lose = false;
        return fail('UNAVAILABLE', 'connection dropped before the ack');
      }
      return result;
    });
    const outbox = createOutbox({
      store: createOutboxStore(local.db),
      scope: { hubUrl, userId },
      send: sender.send,
      newId: randomUUID,
    });
    const item = await outbox.submit({ conversationId, body, kind: 'note' });
    await outbox.flush();
    expect(outbox.items()).toHaveLength(1);
    await outbox.flush();
    sender.close();
    local.close();
    expect(outbox.items()).toEqual([]);
    const copies = (await hubMessages()).filter((m) => m.body === body);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ direction: 'note', clientId: item.ok ? item.value.id : 'x' });
  }, 60_000);
});
