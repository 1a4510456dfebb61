/**
 * The conversation view's tools through a real hub: tags (written to
 * conversation_tags and logged), resolve and reopen (the web chat customer
 * gets the survey), snooze that wakes up — also after a restart — merge of
 * one customer's conversations and the typed refusal for two customers,
 * transfer to a queue through the ACD, @mentions in notes (and notes never
 * reaching the visitor), the per-channel reply limit, canned responses with
 * an attachment the visitor receives, and presence for the collision warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ConversationDetails, ConversationPresence, NoteMentioned } from '@shared/conversation-tools';
import type { Conversation, Message } from '@shared/domain';
import type { DeskEvent, WorkItemView } from '@shared/protocol';
import type {
  HubToVisitorEvents,
  StartChatResponse,
  VisitorEvent,
  VisitorToHubEvents,
} from '@shared/webchat';
import { send, waitFor } from '../support/commands';
import { api, connectDesk, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import { freshDatabase } from '../support/postgres';

let hub: TestHubInProcess;
let dbUrl: string | undefined;
const closers: { close(): void }[] = [];
afterEach(async () => {
  for (const s of closers.splice(0)) s.close();
  await hub?.stop();
});

async function freshPostgres(): Promise<string> {
  const base = inject('pgUrl');
  return freshDatabase(base, 'ieum_tools');
}

let n = 0;
const cid = () => `tools-${Date.now()}-${++n}`;

async function desk(username: string) {
  const { token, user } = await loginAs(hub.url, username);
  const socket = await connectDesk(hub.url, token);
  closers.push(socket);
  const events: DeskEvent[] = [];
  const presence: ConversationPresence[] = [];
  socket.on('event', (e) => events.push(e));
  socket.on('conversation.presence', (p) => presence.push(p));
  return { socket, token, userId: user.id, events, presence };
}
type Desk = Awaited<ReturnType<typeof desk>>;

async function ready(d: Desk) {
  expect((await send(d.socket, 'agent.setState', { commandId: cid(), state: 'ready' })).ok).toBe(true);
}

async function startChat(phone = '010-2222-3333', body = '배송 문의입니다') {
  const res = await api<StartChatResponse>(hub.url, '/api/v1/webchat/sessions', null, {
    method: 'POST',
    body: JSON.stringify({ site: 'seoul', name: '도구 고객', phone, consent: true, body }),
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** agent1 Ready takes a new web chat. */
async function chatWith(agent: Desk, phone?: string) {
  const chat = await startChat(phone);
  const offer = await waitFor(
    () =>
      agent.events.find(
        (e) =>
          e.type === 'offer.created' &&
          (e.payload as { item: WorkItemView }).item.conversationId === chat.conversationId,
      ),
    'offer',
  );
  const item = (offer.payload as { item: WorkItemView }).item;
  expect((await send(agent.socket, 'offer.accept', { commandId: cid(), itemId: item.id })).ok).toBe(true);
  return { chat, item };
}

/** A widget: connected, caught up from the start, then live events (each seq once). */
async function visitor(token: string) {
  const socket: Socket<HubToVisitorEvents, VisitorToHubEvents> = connect(`${hub.url}/visitor`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  closers.push(socket);
  const events: VisitorEvent[] = [];
  const add = (e: VisitorEvent) => {
    if (!events.some((x) => x.seq === e.seq)) events.push(e);
  };
  socket.on('event', add);
  await new Promise((resolve, reject) => {
    socket.once('welcome', resolve);
    socket.once('connect_error', reject);
  });
  const resumed = await socket.emitWithAck('session.resume', { afterSeq: 0 });
  if (resumed.ok) resumed.value.events.forEach(add);
  return { socket, events };
}

describe.each(['sqlite', 'postgres'] as const)('conversation tools on %s', (kind) => {
  beforeEach(async () => {
    dbUrl = kind === 'postgres' ? await freshPostgres() : undefined;
    hub = await startTestHub(dbUrl ? { db: dbUrl } : {});
  });

  it('tags: added and removed in conversation_tags, each change logged; the same change twice logs once', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat } = await chatWith(agent);
    const add = await send<ConversationDetails>(agent.socket, 'conversation.tag', {
      commandId: cid(),
      conversationId: chat.conversationId,
      tag: '배송지연',
      on: true,
    });
    expect(add.ok && add.value.tags).toEqual(['배송지연']);
    await send(agent.socket, 'conversation.tag', {
      commandId: cid(),
      conversationId: chat.conversationId,
      tag: '배송지연',
      on: true,
    });
    await send(agent.socket, 'conversation.tag', {
      commandId: cid(),
      conversationId: chat.conversationId,
      tag: 'VIP',
      on: true,
    });
    const off = await send<ConversationDetails>(agent.socket, 'conversation.tag', {
      commandId: cid(),
      conversationId: chat.conversationId,
      tag: '배송지연',
      on: false,
    });
    expect(off.ok && off.value.tags).toEqual(['VIP']);
    const rows = await hub.ctx.db
      .selectFrom('conversation_tags')
      .select('tag')
      .where('conversation_id', '=', chat.conversationId)
      .execute();
    expect(rows.map((r) => r.tag)).toEqual(['VIP']);
    const logged = await hub.ctx.db
      .selectFrom('events')
      .select('type')
      .where('type', '=', 'conversation.tags_changed')
      .execute();
    expect(logged).toHaveLength(3);
    // A tag with a comma or nothing in it is refused.
    const bad = await send(agent.socket, 'conversation.tag', {
      commandId: cid(),
      conversationId: chat.conversationId,
      tag: 'a,b',
      on: true,
    });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION_FAILED');
    // agent2 is not the assignee.
    const other = await desk('agent2');
    const refused = await send(other.socket, 'conversation.tag', {
      commandId: cid(),
      conversationId: chat.conversationId,
      tag: 'x',
      on: true,
    });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
  });

  it('resolve finishes the routed work and asks the web chat customer for the survey; reopen brings it back', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat, item } = await chatWith(agent);
    const v = await visitor(chat.token);
    const resolved = await send<Conversation>(agent.socket, 'conversation.setStatus', {
      commandId: cid(),
      conversationId: chat.conversationId,
      status: 'resolved',
    });
    expect(resolved.ok && resolved.value.status).toBe('resolved');
    const work = await hub.ctx.db
      .selectFrom('work_items')
      .select('status')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(['wrap_up', 'done']).toContain(work.status);
    await waitFor(() => v.events.find((e) => e.type === 'conversation.resolved'), 'survey request');
    const reopened = await send<Conversation>(agent.socket, 'conversation.setStatus', {
      commandId: cid(),
      conversationId: chat.conversationId,
      status: 'open',
    });
    expect(reopened.ok && reopened.value).toMatchObject({ status: 'open', assigneeId: agent.userId });
    await waitFor(() => v.events.find((e) => e.type === 'conversation.reopened'), 'reopened');
  });

  it('a customer who writes to a snoozed conversation wakes it for the agent at once', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat } = await chatWith(agent);
    const snoozed = await send<Conversation>(agent.socket, 'conversation.snooze', {
      commandId: cid(),
      conversationId: chat.conversationId,
      until: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(snoozed.ok && snoozed.value.status).toBe('snoozed');
    const v = await visitor(chat.token);
    const sent = await v.socket.emitWithAck('message.send', {
      clientId: cid(),
      body: '아직 답을 못 받았어요',
    });
    expect(sent.ok).toBe(true);
    const woke = await waitFor(
      () =>
        agent.events.find(
          (e) =>
            e.type === 'conversation.updated' &&
            (e.payload as Conversation).id === chat.conversationId &&
            (e.payload as Conversation).status === 'open',
        ),
      'woken by the customer',
    );
    expect((woke.payload as Conversation).assigneeId).toBe(agent.userId);
    const row = await hub.ctx.db
      .selectFrom('conversations')
      .select(['status', 'snoozed_until'])
      .where('id', '=', chat.conversationId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'open', snoozed_until: null });
  });

  it('snooze hides the conversation until its time; a restarted hub wakes it from the rows', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ieum-snooze-'));
    await hub.stop();
    const db = dbUrl ? { db: dbUrl } : {};
    hub = await startTestHub({ dataDir, ...db });
    try {
      const agent = await desk('agent1');
      await ready(agent);
      const { chat } = await chatWith(agent);
      const past = await send(agent.socket, 'conversation.snooze', {
        commandId: cid(),
        conversationId: chat.conversationId,
        until: new Date(Date.now() - 1000).toISOString(),
      });
      expect(!past.ok && past.error.code).toBe('VALIDATION_FAILED');
      const until = new Date(Date.now() + 1500).toISOString();
      const snoozed = await send<Conversation>(agent.socket, 'conversation.snooze', {
        commandId: cid(),
        conversationId: chat.conversationId,
        until,
      });
      expect(snoozed.ok && snoozed.value.status).toBe('snoozed');
      // The routed work is finished: the agent's capacity is free while it sleeps.
      const work = await hub.ctx.db
        .selectFrom('work_items')
        .select('status')
        .where('conversation_id', '=', chat.conversationId)
        .executeTakeFirstOrThrow();
      expect(['wrap_up', 'done']).toContain(work.status);
      // The hub goes down before the snooze ends; the new one wakes it.
      for (const s of closers.splice(0)) s.close();
      await hub.stop();
      hub = await startTestHub({ dataDir, ...db });
      const back = await desk('agent1');
      const woke = await pollStatus(chat.conversationId, 'open', 8000);
      expect(woke).toEqual({ status: 'open', snoozed_until: null });
      const resumed = await send<{ events: DeskEvent[] }>(back.socket, 'session.resume', { afterSeq: 0 });
      expect(
        resumed.ok &&
          resumed.value.events.some(
            (e) =>
              e.type === 'conversation.updated' &&
              (e.payload as Conversation).id === chat.conversationId &&
              (e.payload as Conversation).status === 'open',
          ),
      ).toBe(true);
    } finally {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
      hub = await startTestHub(db);
    }
  });

  it('merge: the same customer’s messages move over and the other points to it; two customers are refused', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const first = await chatWith(agent, '010-4444-0001');
    const second = await startChat('010-4444-0001', '두 번째 문의');
    const elsewhere = await startChat('010-9999-0002', '다른 고객');
    // The second one is still waiting in the queue: finish routing before merging.
    const live = await send(agent.socket, 'conversation.merge', {
      commandId: cid(),
      conversationId: first.chat.conversationId,
      otherId: second.conversationId,
    });
    expect(!live.ok && live.error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    await hub.ctx.db
      .updateTable('work_items')
      .set({ status: 'abandoned' })
      .where('conversation_id', 'in', [second.conversationId, elsewhere.conversationId])
      .execute();
    const different = await send(agent.socket, 'conversation.merge', {
      commandId: cid(),
      conversationId: first.chat.conversationId,
      otherId: elsewhere.conversationId,
    });
    expect(!different.ok && different.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'DIFFERENT_CUSTOMERS' },
    });
    const merged = await send<Conversation>(agent.socket, 'conversation.merge', {
      commandId: cid(),
      conversationId: first.chat.conversationId,
      otherId: second.conversationId,
    });
    expect(merged.ok).toBe(true);
    const messages = await send<Message[]>(agent.socket, 'message.list', {
      conversationId: first.chat.conversationId,
    });
    expect(messages.ok && messages.value.map((m) => m.body)).toEqual(['배송 문의입니다', '두 번째 문의']);
    const closed = await hub.ctx.db
      .selectFrom('conversations')
      .select(['status', 'merged_into'])
      .where('id', '=', second.conversationId)
      .executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'resolved', merged_into: first.chat.conversationId });
  });

  it('transfer to a queue: the work leaves the agent and is offered again from that queue', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat, item } = await chatWith(agent);
    const queues = await api<{ queues: { id: string; name: string; channels: string[] }[] }>(
      hub.url,
      '/api/v1/conversation-tools/directory',
      agent.token,
    );
    const target = queues.body.queues.find((q) => q.channels.includes('webchat') && q.id !== item.queueId);
    expect(target).toBeDefined();
    const moved = await send<Conversation>(agent.socket, 'conversation.transfer', {
      commandId: cid(),
      conversationId: chat.conversationId,
      to: { kind: 'queue', queueId: target!.id },
    });
    expect(moved.ok && moved.value).toMatchObject({
      assigneeId: null,
      queueId: target!.id,
      status: 'pending',
    });
    const row = await hub.ctx.db
      .selectFrom('work_items')
      .select(['queue_id', 'status', 'agent_id'])
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row.queue_id).toBe(target!.id);
    expect(row.agent_id === agent.userId && row.status === 'active').toBe(false);
  });

  it('transfer to an agent: the work and the conversation move to them; agent1’s desk drops it', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat, item } = await chatWith(agent);
    const other = await desk('agent2');
    await ready(other);
    // Someone who is neither the assignee nor a supervisor cannot move it.
    const refused = await send(other.socket, 'conversation.transfer', {
      commandId: cid(),
      conversationId: chat.conversationId,
      to: { kind: 'agent', agentId: other.userId },
    });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    const moved = await send<Conversation>(agent.socket, 'conversation.transfer', {
      commandId: cid(),
      conversationId: chat.conversationId,
      to: { kind: 'agent', agentId: other.userId },
    });
    expect(moved.ok && moved.value.assigneeId).toBe(other.userId);
    const row = await hub.ctx.db
      .selectFrom('work_items')
      .select(['agent_id', 'status'])
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ agent_id: other.userId, status: 'active' });
    await waitFor(
      () =>
        agent.events.find(
          (e) =>
            e.type === 'conversation.assigned' &&
            (e.payload as Conversation).id === chat.conversationId &&
            (e.payload as Conversation).assigneeId === other.userId,
        ),
      'agent1 told it left',
    );
    await waitFor(
      () => other.events.find((e) => e.type === 'conversation.assigned'),
      'agent2 told it arrived',
    );
  });

  it('a note’s @mention reaches the mentioned agent; notes never reach the visitor', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat } = await chatWith(agent);
    const v = await visitor(chat.token);
    const supervisor = await desk('supervisor1');
    const note = await send<Message>(agent.socket, 'message.send', {
      commandId: cid(),
      conversationId: chat.conversationId,
      body: '@supervisor1 환불 승인 부탁드립니다',
      kind: 'note',
    });
    expect(note.ok).toBe(true);
    const mention = await waitFor(
      () => supervisor.events.find((e) => e.type === 'note.mentioned'),
      'note.mentioned',
    );
    expect(mention.payload as NoteMentioned).toMatchObject({
      conversationId: chat.conversationId,
      authorName: '김지은',
      body: '@supervisor1 환불 승인 부탁드립니다',
    });
    await send(agent.socket, 'message.send', {
      commandId: cid(),
      conversationId: chat.conversationId,
      body: '고객님 확인했습니다',
      kind: 'out',
    });
    await waitFor(
      () => v.events.find((e) => e.type === 'message.created' && e.payload.direction === 'out'),
      'reply',
    );
    const bodies = v.events.flatMap((e) => (e.type === 'message.created' ? [e.payload.body] : []));
    expect(bodies.some((b) => b.includes('환불 승인'))).toBe(false);
  });

  it('a reply over its channel’s limit is refused with the limit; the canned picker lists the site’s responses', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat } = await chatWith(agent);
    const long = await send(agent.socket, 'message.send', {
      commandId: cid(),
      conversationId: chat.conversationId,
      body: '가'.repeat(2001),
      kind: 'out',
    });
    expect(!long.ok && long.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'TEXT_TOO_LONG', limit: 2000, channel: 'webchat' },
    });
    const dir = await api<{ canned: { shortcut: string }[]; replyLimits: Record<string, number> }>(
      hub.url,
      '/api/v1/conversation-tools/directory',
      agent.token,
    );
    expect(dir.body.replyLimits.messenger).toBe(1000);
    expect(dir.body.canned.map((c) => c.shortcut)).toEqual(expect.arrayContaining(['hello', 'order']));
  });

  it('a canned response with a PDF: the visitor gets the text and the file, and may download it', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat } = await chatWith(agent);
    const v = await visitor(chat.token);
    const sup = await loginAs(hub.url, 'supervisor1');
    const dir = await api<{ canned: { id: string; shortcut: string }[] }>(
      hub.url,
      '/api/v1/conversation-tools/directory',
      agent.token,
    );
    const canned = dir.body.canned.find((c) => c.shortcut === 'thanks')!;
    const pdf = Buffer.from('%PDF-1.4\n%demo\n');
    const up = await fetch(`${hub.url}/api/v1/canned-responses/${canned.id}/attachments?name=guide.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sup.token}`, 'content-type': 'application/octet-stream' },
      body: pdf,
    });
    expect(up.status).toBe(201);
    const agentUp = await fetch(`${hub.url}/api/v1/canned-responses/${canned.id}/attachments?name=x.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/octet-stream' },
      body: pdf,
    });
    expect(agentUp.status).toBe(403);
    const sent = await send<Message>(agent.socket, 'message.sendCanned', {
      commandId: cid(),
      conversationId: chat.conversationId,
      cannedId: canned.id,
      body: '이용해 주셔서 감사합니다.',
    });
    expect(sent.ok).toBe(true);
    const file = await waitFor(
      () =>
        v.events.find(
          (e) => e.type === 'message.created' && e.payload.direction === 'out' && e.payload.attachment,
        ),
      'attachment',
    );
    const attachment = file.type === 'message.created' ? file.payload.attachment! : null;
    expect(attachment).toMatchObject({ name: 'guide.pdf', contentType: 'application/pdf' });
    const got = await fetch(
      `${hub.url}/api/v1/webchat/attachments/${attachment!.id}?token=${encodeURIComponent(chat.token)}`,
    );
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(pdf);
    const listed = await api<{ messageId: string; name: string }[]>(
      hub.url,
      `/api/v1/conversations/${chat.conversationId}/attachments`,
      agent.token,
    );
    expect(listed.body.map((a) => a.name)).toContain('guide.pdf');
  });

  it('presence: another desk viewing and typing is told to the viewer, and cleared on leave and disconnect', async () => {
    const agent = await desk('agent1');
    await ready(agent);
    const { chat } = await chatWith(agent);
    const supervisor = await desk('supervisor1');
    const mine = await send<ConversationPresence>(agent.socket, 'presence.set', {
      conversationId: chat.conversationId,
    });
    expect(mine.ok && mine.value.viewers).toEqual([]);
    await send(supervisor.socket, 'presence.set', { conversationId: chat.conversationId, typing: true });
    await waitFor(
      () => agent.presence.find((p) => p.viewers.some((x) => x.name === '박서연' && x.typing)),
      'typing supervisor',
    );
    await send(supervisor.socket, 'presence.set', { conversationId: null });
    await waitFor(() => agent.presence.at(-1)?.viewers.length === 0, 'cleared on leave');
    await send(supervisor.socket, 'presence.set', { conversationId: chat.conversationId });
    await waitFor(() => (agent.presence.at(-1)?.viewers.length ?? 0) === 1, 'viewing again');
    supervisor.socket.close();
    await waitFor(() => agent.presence.at(-1)?.viewers.length === 0, 'cleared on disconnect');
  });
});

async function pollStatus(conversationId: string, status: string, ms: number) {
  const start = Date.now();
  for (;;) {
    const row = await hub.ctx.db
      .selectFrom('conversations')
      .select(['status', 'snoozed_until'])
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    if (row.status === status || Date.now() - start > ms) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}
