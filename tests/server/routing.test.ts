/**
 * The ACD through the hub's API and realtime events: offers, accept, reject,
 * ring-no-answer, the wait queue and its order across a restart, a desk
 * that disconnects mid-offer, supervisor pick, wrap-up, business hours and
 * config that would make a queue unreachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent, WorkItemView } from '@shared/protocol';
import { newId } from '../../server/storage/ids';
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
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await hub?.stop();
});

let n = 0;
const cid = () => `route-${Date.now()}-${++n}`;

interface Desk {
  socket: DeskSocket;
  token: string;
  userId: string;
  events: DeskEvent[];
  offers(): string[];
}

async function desk(username: string): Promise<Desk> {
  const { token, user } = await loginAs(hub.url, username);
  const socket = await connectDesk(hub.url, token);
  sockets.push(socket);
  const events: DeskEvent[] = [];
  socket.on('event', (e) => events.push(e));
  return {
    socket,
    token,
    userId: user.id,
    events,
    offers: () =>
      events
        .filter((e) => e.type === 'offer.created')
        .map((e) => (e.payload as { item: { id: string } }).item.id),
  };
}

async function ready(d: Desk) {
  const r = await send(d.socket, 'agent.setState', { commandId: cid(), state: 'ready' });
  expect(r.ok).toBe(true);
}

async function notReady(d: Desk) {
  const reason = await hub.ctx.db
    .selectFrom('reason_codes')
    .select('id')
    .where('code', '=', 'break')
    .where('site_id', '=', (await loginAs(hub.url, 'agent1')).user.siteId)
    .executeTakeFirstOrThrow();
  const r = await send(d.socket, 'agent.setState', {
    commandId: cid(),
    state: 'not_ready',
    reasonCodeId: reason.id,
  });
  expect(r.ok).toBe(true);
}

async function supervisorToken() {
  return (await loginAs(hub.url, 'supervisor1')).token;
}

async function queueNamed(name: string) {
  const { body } = await api<{ id: string; name: string }[]>(
    hub.url,
    '/api/v1/admin/queues',
    await supervisorToken(),
  );
  return body.find((q) => q.name === name)!;
}

/** A fresh conversation for a seoul customer, as a channel would create it. */
async function newConversation(): Promise<string> {
  const site = await hub.ctx.db
    .selectFrom('sites')
    .select('id')
    .where('code', '=', 'seoul')
    .executeTakeFirstOrThrow();
  const customer = await hub.ctx.db
    .selectFrom('customers')
    .select('id')
    .where('site_id', '=', site.id)
    .orderBy('id')
    .offset(100 + n++)
    .limit(1)
    .executeTakeFirstOrThrow();
  const id = newId();
  await hub.ctx.db
    .insertInto('conversations')
    .values({
      id,
      site_id: site.id,
      customer_id: customer.id,
      channel: 'webchat',
      queue_id: null,
      status: 'open',
      priority: 0,
      assignee_id: null,
      subject: '배송 문의',
      waiting_since: Date.now(),
      created_at: Date.now(),
      last_message_at: Date.now(),
    })
    .execute();
  return id;
}

interface Enqueued {
  status: string;
  item: WorkItemView;
  position: number | null;
  message: string | null;
  opensAt: string | null;
}

async function enqueue(queueId: string, extra: Record<string, unknown> = {}) {
  const res = await api<Enqueued>(hub.url, '/api/v1/routing/work', await supervisorToken(), {
    method: 'POST',
    body: JSON.stringify({ queueId, channel: 'webchat', conversationId: await newConversation(), ...extra }),
  });
  return res;
}

async function item(id: string) {
  return (
    await api<{ item: WorkItemView; position: number | null; ewtSeconds: number | null }>(
      hub.url,
      `/api/v1/routing/work/${id}`,
      await supervisorToken(),
    )
  ).body;
}

/** A fresh demo hub with agent1 and agent2 Ready (agent1 idle longest), and the '일반 문의' queue. */
async function twoReadyAgents() {
  hub = await startTestHub();
  const queue = await queueNamed('일반 문의');
  const a1 = await desk('agent1');
  const a2 = await desk('agent2');
  await ready(a1);
  await ready(a2);
  return { queue, a1, a2 };
}

async function patchQueue(id: string, routing: Record<string, unknown>) {
  const { token } = await loginAs(hub.url, 'manager1');
  const res = await api(hub.url, `/api/v1/admin/queues/${id}`, token, {
    method: 'PATCH',
    body: JSON.stringify({ routing }),
  });
  expect(res.status).toBe(200);
}

describe('offers', () => {
  it('offers new work to the agent idle longest; accepted, the conversation is theirs', async () => {
    const { queue, a1, a2 } = await twoReadyAgents();
    const { body, status } = await enqueue(queue.id);
    expect(status).toBe(201);
    expect(body.status).toBe('queued');
    const id = body.item.id;
    await waitFor(() => a1.offers().includes(id), 'offer to agent1 (idle longest)');
    expect(a2.offers()).not.toContain(id);
    const accepted = await send<WorkItemView>(a1.socket, 'offer.accept', { commandId: cid(), itemId: id });
    expect(accepted.ok && accepted.value).toMatchObject({ status: 'active', agentId: a1.userId });
    const assigned = await waitFor(
      () =>
        a1.events.find(
          (e) =>
            e.type === 'conversation.assigned' &&
            (e.payload as { id: string }).id === body.item.conversationId,
        ),
      'conversation.assigned',
    );
    expect((assigned.payload as { assigneeId: string }).assigneeId).toBe(a1.userId);
    // The retried accept (same commandId) is answered from the first result, not refused.
    expect((await item(id)).item.status).toBe('active');
    // A desk that reloads finds the work it holds.
    const mine = await api<WorkItemView[]>(hub.url, '/api/v1/routing/my-work', a1.token);
    expect(mine.body.map((w) => w.id)).toEqual([id]);
    expect((await api<WorkItemView[]>(hub.url, '/api/v1/routing/my-work', a2.token)).body).toEqual([]);
  });

  it('a rejected offer goes to the next agent and not straight back', async () => {
    const { queue, a1, a2 } = await twoReadyAgents();
    const { body } = await enqueue(queue.id);
    const id = body.item.id;
    await waitFor(() => a1.offers().includes(id), 'first offer');
    expect((await send(a1.socket, 'offer.reject', { commandId: cid(), itemId: id })).ok).toBe(true);
    await waitFor(() => a2.offers().includes(id), 'offer to agent2 after reject');
    expect(a1.offers().filter((x) => x === id)).toHaveLength(1);
    expect(a1.events.some((e) => e.type === 'offer.withdrawn')).toBe(true);
    // Accepting someone else's offer is refused with a typed error.
    const wrong = await send(a1.socket, 'offer.accept', { commandId: cid(), itemId: id });
    expect(!wrong.ok && wrong.error.code).toBe('CONFLICT');
  });

  it('ring-no-answer: the offer moves on and the first agent is set not_ready(missed)', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    await patchQueue(queue.id, { offerTimeoutSeconds: 1 });
    const a1 = await desk('agent1');
    const a2 = await desk('agent2');
    await ready(a1);
    await ready(a2);
    const { body } = await enqueue(queue.id);
    const id = body.item.id;
    await waitFor(() => a1.offers().includes(id), 'first offer');
    await waitFor(() => a2.offers().includes(id), 'offer to agent2 after timeout', 5000);
    const missed = await hub.ctx.db
      .selectFrom('reason_codes')
      .select('id')
      .where('code', '=', 'missed')
      .execute();
    const state = a1.events.filter((e) => e.type === 'agent.state_changed').at(-1)!.payload as {
      state: string;
      reasonCodeId: string;
    };
    expect(state.state).toBe('not_ready');
    expect(missed.map((m) => m.id)).toContain(state.reasonCodeId);
    const withdrawn = a1.events.find((e) => e.type === 'offer.withdrawn')!.payload as { reason: string };
    expect(withdrawn.reason).toBe('timeout');
  });

  it('a desk that disconnects mid-offer: the offer is withdrawn and goes to the next agent', async () => {
    const { queue, a1, a2 } = await twoReadyAgents();
    const { body } = await enqueue(queue.id);
    const id = body.item.id;
    await waitFor(() => a1.offers().includes(id), 'first offer');
    a1.socket.close();
    await waitFor(() => a2.offers().includes(id), 'offer re-routed to agent2');
    const row = await hub.ctx.db
      .selectFrom('agent_status')
      .select('state')
      .where('user_id', '=', a1.userId)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('not_ready');
  });
});

describe('the wait queue', () => {
  it('waits in order when nobody is free, publishes position, and offers FIFO when an agent is ready', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    const a1 = await desk('agent1');
    await notReady(a1);
    const first = (await enqueue(queue.id)).body;
    const second = (await enqueue(queue.id)).body;
    expect(first).toMatchObject({ status: 'queued', position: 1 });
    expect(second.position).toBe(2);
    expect((await item(second.item.id)).position).toBe(2);
    const vip = (await enqueue(queue.id, { vip: true })).body;
    expect(vip.position).toBe(1);
    await ready(a1);
    await waitFor(() => a1.offers().length === 3, 'three offers (a chat takes a third of the budget)');
    expect(a1.offers()).toEqual([vip.item.id, first.item.id, second.item.id]);
  });

  it('keeps the queue order and waiting times across a hub restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ieum-route-'));
    try {
      hub = await startTestHub({ dataDir });
      const queue = await queueNamed('일반 문의');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await enqueue(queue.id)).body.item.id);
      const before = await api<WorkItemView[]>(
        hub.url,
        `/api/v1/routing/queues/${queue.id}/waiting`,
        await supervisorToken(),
      );
      await hub.stop();
      hub = await startTestHub({ dataDir });
      const after = await api<WorkItemView[]>(
        hub.url,
        `/api/v1/routing/queues/${queue.id}/waiting`,
        await supervisorToken(),
      );
      expect(after.body.map((w) => w.id)).toEqual(ids);
      expect(after.body.map((w) => w.enqueuedAt)).toEqual(before.body.map((w) => w.enqueuedAt));
      expect((await item(ids[2]!)).position).toBe(3);
      const a1 = await desk('agent1');
      await ready(a1);
      await waitFor(() => a1.offers().length === 3, 'offers after restart');
      expect(a1.offers()).toEqual(ids);
    } finally {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('records work abandoned while waiting', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    const { body } = await enqueue(queue.id);
    const res = await api<WorkItemView>(
      hub.url,
      `/api/v1/routing/work/${body.item.id}/abandon`,
      await supervisorToken(),
      {
        method: 'POST',
      },
    );
    expect(res.body.status).toBe('abandoned');
    const stats = await api<{ queues: { queueId: string; abandoned: number; waiting: number }[] }>(
      hub.url,
      '/api/v1/routing/stats',
      await supervisorToken(),
    );
    expect(stats.body.queues.find((q) => q.queueId === queue.id)).toMatchObject({ abandoned: 1, waiting: 0 });
  });

  it('lets a supervisor pick waiting work for an agent', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    const a2 = await desk('agent2');
    await notReady(a2);
    const { body } = await enqueue(queue.id);
    const sup = await desk('supervisor1');
    const picked = await send<WorkItemView>(sup.socket, 'queue.pick', {
      commandId: cid(),
      itemId: body.item.id,
      agentId: a2.userId,
    });
    expect(picked.ok && picked.value).toMatchObject({ status: 'active', agentId: a2.userId });
    const denied = await send(a2.socket, 'queue.pick', { commandId: cid(), itemId: body.item.id });
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN');
  });
});

describe('timers on waiting work', () => {
  it('overflows to another queue after its time, and expires work waiting past the maximum', async () => {
    hub = await startTestHub();
    const general = await queueNamed('일반 문의');
    const payments = await queueNamed('결제·환불');
    await patchQueue(general.id, { overflow: { afterSeconds: 1, toQueueId: payments.id } });
    await patchQueue(payments.id, { maxWaitSeconds: 2 });
    const { body } = await enqueue(general.id);
    const row = async () =>
      hub.ctx.db
        .selectFrom('work_items')
        .selectAll()
        .where('id', '=', body.item.id)
        .executeTakeFirstOrThrow();
    await waitUntil(async () => (await row()).queue_id === payments.id, 'overflow to 결제·환불');
    expect((await row()).original_queue_id).toBe(general.id);
    await waitUntil(async () => (await row()).status === 'expired', 'expired after max wait');
    expect(Number((await row()).wait_ms)).toBeGreaterThanOrEqual(2000);
  });
});

async function waitUntil(pred: () => Promise<boolean>, what: string, ms = 8000) {
  const start = Date.now();
  while (!(await pred())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('wrap-up', () => {
  it('holds the agent in wrap_up for the queue time, then makes them ready by themselves', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    await patchQueue(queue.id, { wrapUpSeconds: 1 });
    const a1 = await desk('agent1');
    await ready(a1);
    const { body } = await enqueue(queue.id);
    await waitFor(() => a1.offers().includes(body.item.id), 'offer');
    await send(a1.socket, 'offer.accept', { commandId: cid(), itemId: body.item.id });
    const done = await send<WorkItemView>(a1.socket, 'work.complete', {
      commandId: cid(),
      itemId: body.item.id,
    });
    expect(done.ok && done.value.status).toBe('wrap_up');
    const states = () =>
      a1.events
        .filter((e) => e.type === 'agent.state_changed')
        .map((e) => (e.payload as { state: string }).state);
    await waitFor(
      () => states().includes('wrap_up') && states().at(-1) === 'ready',
      'auto-ready after wrap-up',
      5000,
    );
    expect((await item(body.item.id)).item.status).toBe('done');
  });
});

describe('configuration', () => {
  it('refuses a queue nobody can serve, absurd numbers and a dangling overflow, with typed errors', async () => {
    hub = await startTestHub();
    const { token } = await loginAs(hub.url, 'manager1');
    const skill = await api<{ id: string }>(hub.url, '/api/v1/admin/skills', token, {
      method: 'POST',
      body: JSON.stringify({ name: '아무도없음' }),
    });
    const base = { name: '불가능', channels: ['webchat'], priority: 1, slaSeconds: 20, slaTargetPct: 80 };
    const unreachable = await api<{ error: { code: string; details: { issues: unknown[] } } }>(
      hub.url,
      '/api/v1/admin/queues',
      token,
      {
        method: 'POST',
        body: JSON.stringify({ ...base, skills: [{ skillId: skill.body.id, minLevel: 1 }] }),
      },
    );
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.code).toBe('VALIDATION_FAILED');
    expect(unreachable.body.error.details.issues.length).toBeGreaterThan(0);
    const absurd = await api(hub.url, '/api/v1/admin/queues', token, {
      method: 'POST',
      body: JSON.stringify({ ...base, skills: [], routing: { wrapUpSeconds: -5 } }),
    });
    expect(absurd.status).toBe(400);
    const dangling = await api(hub.url, '/api/v1/admin/queues', token, {
      method: 'POST',
      body: JSON.stringify({
        ...base,
        skills: [],
        routing: { overflow: { afterSeconds: 30, toQueueId: newId() } },
      }),
    });
    expect(dangling.status).toBe(400);
    const names = (await api<{ name: string }[]>(hub.url, '/api/v1/admin/queues', token)).body.map(
      (q) => q.name,
    );
    expect(names).not.toContain('불가능');
  });

  it('out of hours: a message only, or a callback that joins the queue when it opens', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const hours = {
      timezone: 'Asia/Seoul',
      weekly: {
        mon: [['09:00', '18:00']],
        tue: [['09:00', '18:00']],
        wed: [['09:00', '18:00']],
        thu: [['09:00', '18:00']],
        fri: [['09:00', '18:00']],
        sat: [['09:00', '18:00']],
        sun: [['09:00', '18:00']],
      },
      holidays: [today],
    };
    await patchQueue(queue.id, {
      hours,
      outOfHours: { action: 'message', message: '상담 시간이 아닙니다.' },
    });
    const closed = (await enqueue(queue.id)).body;
    expect(closed).toMatchObject({ status: 'closed', message: '상담 시간이 아닙니다.' });
    expect(closed.opensAt).not.toBeNull();
    await patchQueue(queue.id, {
      hours,
      outOfHours: { action: 'callback', message: '내일 전화드리겠습니다.' },
    });
    const callback = (await enqueue(queue.id)).body;
    expect(callback.status).toBe('scheduled');
    expect(callback.item.status).toBe('scheduled');
    expect(new Date(callback.opensAt!).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('live statistics', () => {
  it('pushes queue and named agent statistics to supervisors', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    const a1 = await desk('agent1');
    await notReady(a1);
    await enqueue(queue.id);
    const sup = await desk('supervisor1');
    const stats = await new Promise<{
      queues: { queueId: string; waiting: number }[];
      agents: { agentId: string; state: string }[];
    }>((resolve) => sup.socket.once('routing.stats' as never, resolve as never));
    expect(stats.queues.find((q) => q.queueId === queue.id)?.waiting).toBe(1);
    expect(stats.agents.find((a) => a.agentId === a1.userId)?.state).toBe('not_ready');
  });
});

describe('supervisor actions', () => {
  it('a supervisor sets an agent not ready and reassigns a conversation with its routed work', async () => {
    hub = await startTestHub();
    const queue = await queueNamed('일반 문의');
    const a1 = await desk('agent1');
    const a2 = await desk('agent2');
    await ready(a1);
    const { body } = await enqueue(queue.id);
    await waitFor(() => a1.offers().includes(body.item.id), 'offer');
    await send(a1.socket, 'offer.accept', { commandId: cid(), itemId: body.item.id });
    const sup = await desk('supervisor1');

    // agent2 is offline: reassigning to them is refused and nothing moves.
    const refused = await send(sup.socket, 'conversation.reassign', {
      commandId: cid(),
      conversationId: body.item.conversationId,
      agentId: a2.userId,
    });
    expect(!refused.ok && refused.error.code).toBe('INVALID_STATE_TRANSITION');
    expect((await item(body.item.id)).item.agentId).toBe(a1.userId);

    await ready(a2);
    const moved = await send<{ assigneeId: string }>(sup.socket, 'conversation.reassign', {
      commandId: cid(),
      conversationId: body.item.conversationId,
      agentId: a2.userId,
    });
    expect(moved.ok && moved.value.assigneeId).toBe(a2.userId);
    expect((await item(body.item.id)).item).toMatchObject({ status: 'active', agentId: a2.userId });
    await waitFor(
      () =>
        a1.events.find(
          (e) =>
            e.type === 'conversation.assigned' &&
            (e.payload as { assigneeId: string }).assigneeId === a2.userId,
        ),
      'agent1 told the conversation left',
    );

    const breakReason = await hub.ctx.db
      .selectFrom('reason_codes')
      .select('id')
      .where('code', '=', 'break')
      .where('site_id', '=', (await loginAs(hub.url, 'agent1')).user.siteId)
      .executeTakeFirstOrThrow();
    const forced = await send<{ state: string }>(sup.socket, 'agent.forceState', {
      commandId: cid(),
      agentId: a1.userId,
      state: 'not_ready',
      reasonCodeId: breakReason.id,
    });
    expect(forced.ok && forced.value.state).toBe('not_ready');
    await waitFor(
      () =>
        a1.events.find(
          (e) => e.type === 'agent.state_changed' && (e.payload as { state: string }).state === 'not_ready',
        ),
      'agent1 sees the state the supervisor set',
    );
    const denied = await send(a2.socket, 'agent.forceState', {
      commandId: cid(),
      agentId: a1.userId,
      state: 'ready',
    });
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN');
    const audit = await hub.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'agent.state_forced')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
