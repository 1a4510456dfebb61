import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeskEvent } from '@shared/protocol';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { send, waitFor } from '../support/commands';

let hub: TestHubInProcess;
const sockets: DeskSocket[] = [];
beforeAll(async () => {
  hub = await startTestHub({ commandRatePerSecond: 20, commandBurst: 40 });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(() => hub.stop());

let n = 0;
const cid = () => `cmd-${Date.now()}-${++n}-xxxxxxxx`;

async function desk(username: string) {
  const { token, user } = await loginAs(hub.url, username);
  const socket = await connectDesk(hub.url, token);
  sockets.push(socket);
  const events: DeskEvent[] = [];
  socket.on('event', (e) => events.push(e));
  return { socket, token, user, events };
}

async function myOpenConversation(socket: DeskSocket) {
  const list = await send<{ id: string; status: string }[]>(socket, 'conversation.list', { scope: 'mine' });
  if (!list.ok) throw new Error(list.error.message);
  const open = list.value.find((c) => c.status === 'open');
  if (!open) throw new Error('demo agent has no open conversation');
  return open.id;
}

describe('agent state over the socket', () => {
  it('acks after commit, pushes agent.state_changed with seq, and supervisors see it', async () => {
    const sup = await desk('supervisor1');
    const a = await desk('agent2');
    const ack = await send<{ state: string }>(a.socket, 'agent.setState', {
      commandId: cid(),
      state: 'ready',
    });
    expect(ack).toMatchObject({ ok: true, value: { state: 'ready' } });
    const ev = await waitFor(() => a.events.find((e) => e.type === 'agent.state_changed'), 'state event');
    expect(ev.seq).toBeGreaterThan(0);
    await waitFor(
      () => sup.events.find((e) => e.type === 'agent.state_changed' && e.payload.userId === a.user.id),
      'supervisor sees it',
    );
    const states = await api<{ username: string; state: string }[]>(
      hub.url,
      '/api/v1/admin/agent-states',
      sup.token,
    );
    expect(states.body.find((s) => s.username === 'agent2')?.state).toBe('ready');
  });

  it('needs a not_ready reason of its own site and refuses impossible moves', async () => {
    const a = await desk('agent2');
    const noReason = await send(a.socket, 'agent.setState', { commandId: cid(), state: 'not_ready' });
    expect(noReason).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const foreign = await send(a.socket, 'agent.setState', {
      commandId: cid(),
      state: 'not_ready',
      reasonCodeId: 'no-such-reason',
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const busy = await send(a.socket, 'agent.setState', { commandId: cid(), state: 'busy' });
    expect(busy).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await send(a.socket, 'agent.setState', { commandId: cid(), state: 'offline' });
    const wrap = await send(a.socket, 'agent.setState', { commandId: cid(), state: 'wrap_up' });
    expect(wrap).toMatchObject({ ok: false, error: { code: 'INVALID_STATE_TRANSITION' } });
  });
});

describe('messages', () => {
  it('a retried message.send with the same commandId creates one message', async () => {
    const a = await desk('agent1');
    const conversationId = await myOpenConversation(a.socket);
    const commandId = cid();
    const body = `같은 메시지 ${commandId}`;
    const [first, second] = await Promise.all([
      send<{ id: string }>(a.socket, 'message.send', { commandId, conversationId, body }),
      send<{ id: string }>(a.socket, 'message.send', { commandId, conversationId, body }),
    ]);
    const third = await send<{ id: string }>(a.socket, 'message.send', { commandId, conversationId, body });
    expect(first.ok && second.ok && third.ok).toBe(true);
    if (first.ok && second.ok && third.ok) {
      expect(second.value.id).toBe(first.value.id);
      expect(third.value.id).toBe(first.value.id);
    }
    const msgs = await send<{ body: string }[]>(a.socket, 'message.list', { conversationId, limit: 200 });
    expect(msgs.ok && msgs.value.filter((m) => m.body === body)).toHaveLength(1);
    const created = a.events.filter((e) => e.type === 'message.created' && e.payload.body === body);
    await waitFor(
      () => a.events.some((e) => e.type === 'message.created' && e.payload.body === body),
      'event',
    );
    expect(created.length).toBeLessThanOrEqual(1);
  });

  it('a desk that reconnects gets every event it missed, in order, once', async () => {
    const a = await desk('agent1');
    const conversationId = await myOpenConversation(a.socket);
    await send(a.socket, 'message.send', { commandId: cid(), conversationId, body: '끊기 전' });
    const lastSeen = await waitFor(() => a.events.at(-1)?.seq, 'first event');
    a.socket.close();

    // While agent1 is away, a second desk of the same agent sends three messages.
    const other = await desk('agent1');
    for (const body of ['부재 중 1', '부재 중 2', '부재 중 3']) {
      const r = await send(other.socket, 'message.send', { commandId: cid(), conversationId, body });
      expect(r.ok).toBe(true);
    }

    const back = await desk('agent1');
    const resumed = await send<{ events: DeskEvent[]; headSeq: number }>(back.socket, 'session.resume', {
      afterSeq: lastSeen,
    });
    expect(resumed.ok).toBe(true);
    if (!resumed.ok) return;
    const seqs = resumed.value.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBe(lastSeen + 1);
    expect(resumed.value.headSeq).toBe(seqs.at(-1));
    const bodies = resumed.value.events.flatMap((e) =>
      e.type === 'message.created' ? [e.payload.body] : [],
    );
    expect(bodies).toEqual(['부재 중 1', '부재 중 2', '부재 중 3']);
  });

  it('an agent cannot reply in a conversation assigned to someone else, nor read another site', async () => {
    const a1 = await desk('agent1');
    const a2 = await desk('agent2');
    const theirs = await myOpenConversation(a2.socket);
    const r = await send(a1.socket, 'message.send', {
      commandId: cid(),
      conversationId: theirs,
      body: '끼어들기',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const busan = await desk('busan1');
    const read = await send(busan.socket, 'message.list', { conversationId: theirs });
    expect(read).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const http = await api<{ error: { code: string } }>(
      hub.url,
      `/api/v1/conversations/${theirs}`,
      busan.token,
    );
    expect(http.status).toBe(404);
  });
});

describe('bad input on the socket', () => {
  it('answers unknown commands, wrong types, oversized payloads with typed errors and stays connected', async () => {
    const a = await desk('agent2');
    const unknown = await send(a.socket, 'admin.dropEverything', { x: 1 });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    const wrongTypes = await send(a.socket, 'message.send', { commandId: 7, conversationId: {}, body: null });
    expect(wrongTypes).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const extra = await send(a.socket, 'agent.setState', { commandId: cid(), state: 'ready', admin: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const sqlish = await send(a.socket, 'message.list', { conversationId: "x' OR '1'='1" });
    expect(sqlish).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const big = await send(a.socket, 'message.send', {
      commandId: cid(),
      conversationId: 'c',
      body: '가'.repeat(40_000),
    });
    expect(big).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(a.socket.connected).toBe(true);
    const still = await send(a.socket, 'conversation.list', {});
    expect(still.ok).toBe(true);
    expect(hub.logs.some((l) => l.msg === 'unknown command')).toBe(true);
    expect(hub.logs.some((l) => l.msg === 'command payload too large')).toBe(true);
  });

  it('rate-limits a flooding client without dropping it or the hub', async () => {
    const a = await desk('agent2');
    const results = await Promise.all(
      Array.from({ length: 120 }, () => send(a.socket, 'conversation.list', { limit: 1 })),
    );
    const limited = results.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(40);
    expect(a.socket.connected).toBe(true);
    expect((await api(hub.url, '/healthz', null)).status).toBe(200);
  });

  it('does not half-write: a failing command leaves no message and no event', async () => {
    const a = await desk('agent1');
    const before = await api<{ id: string }[]>(hub.url, '/api/v1/conversations?scope=mine', a.token);
    const countEvents = async () =>
      Number(
        (
          await hub.ctx.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const eventsBefore = await countEvents();
    const r = await send(a.socket, 'message.send', {
      commandId: cid(),
      conversationId: 'missing',
      body: '유령',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await countEvents()).toBe(eventsBefore);
    expect(before.status).toBe(200);
  });
});
