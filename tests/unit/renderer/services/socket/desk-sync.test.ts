import { describe, expect, it, vi } from 'vitest';
import type { AgentStatus, Message } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import type { CommandName, DeskEvent } from '@shared/protocol';
import { DeskSync } from '@renderer/services/socket/desk-sync';
import type { Transport } from '@renderer/services/socket/transport';

/** One emitted command: the test decides whether the hub acks it or it times out. */
interface Sent {
  name: CommandName;
  payload: Record<string, unknown>;
  ack(result: Result<unknown>): void;
  timeout(): void;
}

/** A fake socket following the wire format: commands in, acks (or timeouts) out. */
function fakeTransport() {
  const sent: Sent[] = [];
  const transport: Transport = {
    request(name, payload) {
      return new Promise((resolve, reject) => {
        sent.push({
          name,
          payload: payload as Record<string, unknown>,
          ack: (r) => resolve(r as never),
          timeout: () => reject(new Error('timeout')),
        });
      });
    },
  };
  return { transport, sent };
}

const message = (seq: number): DeskEvent => ({
  seq,
  type: 'message.created',
  at: new Date(seq * 1000).toISOString(),
  payload: {
    id: `m${seq}`,
    conversationId: 'c1',
    direction: 'in',
    authorId: null,
    body: `hello ${seq}`,
    clientId: null,
    createdAt: new Date(seq * 1000).toISOString(),
  } satisfies Message,
});

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(lastSeq: number | null = 0) {
  const { transport, sent } = fakeTransport();
  const applied: number[] = [];
  const saved: number[] = [];
  let ids = 0;
  const onReset = vi.fn();
  const sync = new DeskSync({
    transport,
    lastSeq,
    saveSeq: (s) => saved.push(s),
    apply: (e) => applied.push(e.seq),
    onReset,
    newCommandId: () => `command-${++ids}`,
  });
  const resumes = () => sent.filter((s) => s.name === 'session.resume');
  return { sync, sent, applied, saved, onReset, resumes };
}

describe('DeskSync events', () => {
  it('applies events in order once and drops duplicates', async () => {
    const { sync, applied, saved, resumes } = setup(0);
    await Promise.all([
      sync.handleConnect(),
      flush().then(() => resumes()[0]!.ack(ok({ events: [], headSeq: 0 }))),
    ]);
    expect(sync.handleEvent(message(1))).toBe('applied');
    expect(sync.handleEvent(message(2))).toBe('applied');
    expect(sync.handleEvent(message(2))).toBe('duplicate');
    expect(sync.handleEvent(message(1))).toBe('duplicate');
    expect(applied).toEqual([1, 2]);
    expect(saved.at(-1)).toBe(2);
  });

  it('rejects malformed frames without touching lastSeq', () => {
    const { sync } = setup(3);
    expect(sync.handleEvent({ seq: 'x', type: 'message.created' })).toBe('invalid');
    expect(sync.lastSeq).toBe(3);
  });

  it('on a gap resumes from lastSeq instead of applying out of order', async () => {
    const { sync, applied, resumes } = setup(5);
    const connected = sync.handleConnect();
    await flush();
    resumes()[0]!.ack(ok({ events: [], headSeq: 5 }));
    await connected;

    expect(sync.handleEvent(message(8))).toBe('gap');
    expect(applied).toEqual([]);
    await flush();
    expect(resumes()[1]!.payload).toEqual({ afterSeq: 5 });
    resumes()[1]!.ack(ok({ events: [message(7), message(6), message(8)], headSeq: 8 }));
    await flush();
    expect(applied).toEqual([6, 7, 8]);
    expect(sync.handleEvent(message(8))).toBe('duplicate');
  });

  it('pages session.resume until headSeq is reached', async () => {
    const { sync, applied, resumes } = setup(0);
    const done = sync.handleConnect();
    await flush();
    resumes()[0]!.ack(ok({ events: [message(1), message(2)], headSeq: 4 }));
    await flush();
    expect(resumes()[1]!.payload).toEqual({ afterSeq: 2 });
    resumes()[1]!.ack(ok({ events: [message(3), message(4)], headSeq: 4 }));
    await done;
    expect(applied).toEqual([1, 2, 3, 4]);
    expect(resumes()).toHaveLength(2);
  });

  it('resumes on every reconnect from where it stopped', async () => {
    const { sync, applied, resumes } = setup(0);
    const first = sync.handleConnect();
    await flush();
    resumes()[0]!.ack(ok({ events: [message(1)], headSeq: 1 }));
    await first;
    sync.handleDisconnect();
    const second = sync.handleConnect();
    await flush();
    expect(resumes()[1]!.payload).toEqual({ afterSeq: 1 });
    // The replay overlaps what we have: seq 1 is not applied twice.
    resumes()[1]!.ack(ok({ events: [message(1), message(2)], headSeq: 2 }));
    await second;
    expect(applied).toEqual([1, 2]);
  });

  it('a user with no history starts at the hub head from welcome', async () => {
    const { sync, applied, resumes } = setup(null);
    await sync.handleConnect();
    expect(resumes()).toHaveLength(0);
    expect(sync.handleEvent(message(41))).toBe('gap');
    const welcomed = sync.handleWelcome(40);
    await flush();
    expect(resumes()[0]!.payload).toEqual({ afterSeq: 40 });
    resumes()[0]!.ack(ok({ events: [message(41)], headSeq: 41 }));
    await welcomed;
    expect(applied).toEqual([41]);
  });

  it('notices a hub whose log is behind ours and resyncs from zero', async () => {
    const { sync, onReset, resumes, applied } = setup(50);
    const connected = sync.handleConnect();
    await flush();
    resumes()[0]!.ack(ok({ events: [], headSeq: 2 }));
    await flush();
    expect(onReset).toHaveBeenCalledOnce();
    expect(resumes()[1]!.payload).toEqual({ afterSeq: 0 });
    resumes()[1]!.ack(ok({ events: [message(1), message(2)], headSeq: 2 }));
    await connected;
    expect(applied).toEqual([1, 2]);
  });
});

describe('DeskSync commands', () => {
  const status: AgentStatus = {
    userId: 'u1',
    state: 'ready',
    reasonCodeId: null,
    since: '2026-01-01T00:00:00Z',
  };

  async function connected(lastSeq = 0) {
    const s = setup(lastSeq);
    const c = s.sync.handleConnect();
    await flush();
    s.resumes()[0]!.ack(ok({ events: [], headSeq: lastSeq }));
    await c;
    return s;
  }

  it('adds a commandId and resolves with the ack', async () => {
    const { sync, sent } = await connected();
    const result = sync.send('agent.setState', { state: 'ready' });
    const command = sent.find((s) => s.name === 'agent.setState')!;
    expect(command.payload).toEqual({ state: 'ready', commandId: 'command-1' });
    command.ack(ok(status));
    expect(await result).toEqual(ok(status));
    expect(sync.pendingCount).toBe(0);
  });

  it('retries with the same commandId after a timeout until acked', async () => {
    const { sync, sent } = await connected();
    const result = sync.send('agent.setState', { state: 'ready' });
    const attempts = () => sent.filter((s) => s.name === 'agent.setState');
    attempts()[0]!.timeout();
    await flush();
    attempts()[1]!.timeout();
    await flush();
    expect(attempts()).toHaveLength(3);
    expect(new Set(attempts().map((a) => a.payload['commandId']))).toEqual(new Set(['command-1']));
    attempts()[2]!.ack(ok(status));
    expect((await result).ok).toBe(true);
  });

  it('waits while disconnected and re-sends the same command on reconnect', async () => {
    const { sync, sent, resumes } = await connected();
    sync.handleDisconnect();
    const result = sync.send('message.send', { conversationId: 'c1', body: 'hi', kind: 'out' });
    expect(sent.filter((s) => s.name === 'message.send')).toHaveLength(0);
    const reconnect = sync.handleConnect();
    await flush();
    resumes()
      .at(-1)!
      .ack(ok({ events: [], headSeq: 0 }));
    await reconnect;
    const attempts = sent.filter((s) => s.name === 'message.send');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.payload['commandId']).toBe('command-1');
    attempts[0]!.ack(ok(message(1).payload));
    expect((await result).ok).toBe(true);
  });

  it('an attempt lost in a disconnect is retried after the reconnect, and a late ack of it still counts', async () => {
    const { sync, sent, resumes } = await connected();
    const result = sync.send('agent.setState', { state: 'ready' });
    const first = sent.find((s) => s.name === 'agent.setState')!;
    sync.handleDisconnect();
    first.timeout();
    await flush();
    const reconnect = sync.handleConnect();
    await flush();
    resumes()
      .at(-1)!
      .ack(ok({ events: [], headSeq: 0 }));
    await reconnect;
    const attempts = sent.filter((s) => s.name === 'agent.setState');
    expect(attempts).toHaveLength(2);
    attempts[1]!.ack(ok(status));
    expect(await result).toEqual(ok(status));
  });

  it('an error ack is an answer, not a reason to retry', async () => {
    const { sync, sent } = await connected();
    const result = sync.send('agent.setState', { state: 'wrap_up' });
    sent.find((s) => s.name === 'agent.setState')!.ack(fail('INVALID_STATE_TRANSITION', 'no'));
    expect(await result).toMatchObject({ ok: false, error: { code: 'INVALID_STATE_TRANSITION' } });
    expect(sent.filter((s) => s.name === 'agent.setState')).toHaveLength(1);
  });

  it('reads carry no commandId (their schemas are strict)', async () => {
    const { sync, sent } = await connected();
    void sync.request('conversation.list', { scope: 'mine' });
    expect(sent.find((s) => s.name === 'conversation.list')!.payload).toEqual({ scope: 'mine' });
  });
});
