/**
 * `kill -9` of the hub while a desk sends messages: after restart and
 * reconnect, every message the hub acknowledged is stored exactly once, and
 * the desk's retries (same commandId) of unacknowledged ones create no
 * duplicates.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToHubEvents, HubToClientEvents } from '@shared/protocol';
import { login, startHub, type TestHub } from '../support/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub({ demo: true });
});
afterAll(() => hub.stop());

const TOTAL = 80;
const WINDOW = 6;

describe('hub killed with -9 mid-stream', () => {
  it('keeps every acked message exactly once', async () => {
    const { token } = await login(hub.url, 'agent1');
    const socket: Socket<HubToClientEvents, ClientToHubEvents> = connect(hub.url, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
    });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const list = await socket.emitWithAck('conversation.list', { scope: 'mine' });
    if (!list.ok) throw new Error(list.error.message);
    const conversationId = list.value.find((c) => c.status === 'open')!.id;

    const run = `run-${Date.now()}`;
    const acked = new Set<number>();
    let attempts = 0;
    let killed = false;

    const connected = () =>
      socket.connected ? Promise.resolve() : new Promise<void>((r) => socket.once('connect', () => r()));

    // One message, retried with the same commandId until the hub acks it.
    const deliver = async (i: number) => {
      for (;;) {
        await connected();
        attempts++;
        try {
          const r = await socket.timeout(2000).emitWithAck('message.send', {
            commandId: `${run}-${String(i).padStart(4, '0')}`,
            conversationId,
            body: `${run} #${i}`,
          });
          if (r.ok) {
            acked.add(i);
            return;
          }
          throw new Error(`refused: ${r.error.code}`);
        } catch (err) {
          if (String(err).includes('refused')) throw err;
          // timeout or disconnect: the hub may or may not have committed; retry with the same id
        }
      }
    };

    let next = 0;
    const lanes = Array.from({ length: WINDOW }, async () => {
      while (next < TOTAL) {
        const i = next++;
        await deliver(i);
        if (!killed && acked.size >= TOTAL / 3) {
          killed = true;
          await hub.kill();
          await hub.restart();
        }
      }
    });
    await Promise.all(lanes);
    expect(killed).toBe(true);
    expect(acked.size).toBe(TOTAL);
    expect(attempts).toBeGreaterThan(TOTAL); // some were in flight at the kill and retried

    const res = await fetch(`${hub.url}/api/v1/conversations/${conversationId}/messages?limit=200`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const messages = (await res.json()) as { body: string }[];
    const ours = messages.map((m) => m.body).filter((b) => b.startsWith(run));
    expect(ours.length).toBe(TOTAL);
    expect(new Set(ours).size).toBe(TOTAL);
    socket.close();
  });
});
