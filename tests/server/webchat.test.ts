/**
 * The web chat visitor API through a real hub: start a chat (customer,
 * conversation, ACD), the agent's reply reaching the visitor and the
 * visitor's messages reaching the agent's desk, resume after a reconnect
 * without loss or duplicates, the per-visitor rate limit, attachments
 * (type by magic bytes, size, who may download), and the survey at the end.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '@shared/errors';
import type { DeskEvent, WorkItemView } from '@shared/protocol';
import type {
  HubToVisitorEvents,
  StartChatResponse,
  VisitorEvent,
  VisitorSendResult,
  VisitorToHubEvents,
  VisitorWelcome,
} from '@shared/webchat';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';

type Visitor = Socket<HubToVisitorEvents, VisitorToHubEvents>;

let hub: TestHubInProcess;
const sockets: { close(): void }[] = [];
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await hub?.stop();
});

let n = 0;
const cid = () => `webchat-${Date.now()}-${++n}`;

function until<T>(check: () => T | undefined, what: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

function deskSend<T>(socket: DeskSocket, name: string, payload: unknown): Promise<Result<T>> {
  return (socket as unknown as { emitWithAck(n: string, p: unknown): Promise<Result<T>> }).emitWithAck(
    name,
    payload,
  );
}

async function agentReady(username = 'agent1') {
  const { token, user } = await loginAs(hub.url, username);
  const socket = await connectDesk(hub.url, token);
  sockets.push(socket);
  const events: DeskEvent[] = [];
  socket.on('event', (e) => events.push(e));
  const r = await deskSend(socket, 'agent.setState', { commandId: cid(), state: 'ready' });
  expect(r.ok).toBe(true);
  return { socket, token, userId: user.id, events };
}

async function startChat(extra: Record<string, unknown> = {}) {
  const res = await api<StartChatResponse>(hub.url, '/api/v1/webchat/sessions', null, {
    method: 'POST',
    body: JSON.stringify({
      site: 'seoul',
      name: '홍길동',
      phone: '010-1234-5678',
      consent: true,
      body: '주문한 상품이 아직 안 왔어요',
      ...extra,
    }),
  });
  return res;
}

async function visitor(token: string) {
  const socket: Visitor = connect(`${hub.url}/visitor`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  sockets.push(socket);
  const events: VisitorEvent[] = [];
  socket.on('event', (e) => events.push(e));
  const welcome = await new Promise<VisitorWelcome>((resolve, reject) => {
    socket.once('welcome', resolve);
    socket.once('connect_error', reject);
  });
  // As the widget does on connect: catch up from the start, then live events (deduplicated by seq).
  const resumed = await socket.emitWithAck('session.resume', { afterSeq: 0 });
  if (resumed.ok) {
    for (const e of resumed.value.events) if (!events.some((x) => x.seq === e.seq)) events.push(e);
    events.sort((a, b) => a.seq - b.seq);
  }
  return { socket, events, welcome };
}

/** Agent1 is Ready, a visitor starts a chat, agent1 accepts it. */
async function assignedChat() {
  const agent = await agentReady();
  const started = await startChat();
  expect(started.status).toBe(201);
  const offer = await until(() => agent.events.find((e) => e.type === 'offer.created'), 'offer.created');
  const item = (offer.payload as { item: WorkItemView }).item;
  expect(item.conversationId).toBe(started.body.conversationId);
  const accepted = await deskSend(agent.socket, 'offer.accept', { commandId: cid(), itemId: item.id });
  expect(accepted.ok).toBe(true);
  return { agent, chat: started.body, item };
}

const reply = (agent: { socket: DeskSocket }, conversationId: string, body: string) =>
  deskSend(agent.socket, 'message.send', { commandId: cid(), conversationId, body, kind: 'out' });

describe('web chat visitors', () => {
  it('start: finds the customer by phone, stores consent, queues the chat and says where it stands', async () => {
    const first = await startChat({ email: 'Hong@Example.com' });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('queued');
    expect(first.body.position).toBe(1);
    const second = await startChat({ phone: '+82 10 1234 5678', body: '두 번째 문의' });
    expect(second.body.position).toBe(2);
    const rows = await hub.ctx.db
      .selectFrom('webchat_sessions')
      .selectAll()
      .where('conversation_id', 'in', [first.body.conversationId, second.body.conversationId])
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.customer_id).toBe(rows[1]!.customer_id); // same phone, same customer
    expect(Number(rows[0]!.consent_at)).toBeGreaterThan(0);
    const ids = await hub.ctx.db
      .selectFrom('identities')
      .select(['channel', 'handle'])
      .where('customer_id', '=', rows[0]!.customer_id)
      .execute();
    expect(ids).toEqual(
      expect.arrayContaining([
        { channel: 'voice', handle: '+821012345678' },
        { channel: 'email', handle: 'hong@example.com' },
      ]),
    );
    // Consent is required; so is a phone or an email.
    expect((await startChat({ consent: false })).status).toBe(400);
    expect((await startChat({ phone: undefined })).status).toBe(400);
    expect((await startChat({ site: 'nowhere' })).status).toBe(404);
  });

  it('an agent reply reaches the visitor once; the visitor’s message reaches the assignee’s desk as text', async () => {
    const { agent, chat } = await assignedChat();
    const v = await visitor(chat.token);
    await until(() => v.events.find((e) => e.type === 'conversation.assigned'), 'assigned');
    expect((await reply(agent, chat.conversationId, '안녕하세요, 확인해 드리겠습니다.')).ok).toBe(true);
    const got = await until(
      () => v.events.find((e) => e.type === 'message.created' && e.payload.direction === 'out'),
      'reply',
    );
    expect(got.type === 'message.created' && got.payload.author).toBe('김지은');

    const html = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const sent = await v.socket.emitWithAck('message.send', { clientId: cid(), body: html });
    expect(sent.ok).toBe(true);
    const onDesk = await until(
      () =>
        agent.events.find(
          (e) => e.type === 'message.created' && (e.payload as { direction: string }).direction === 'in',
        ),
      'visitor message on desk',
    );
    expect((onDesk.payload as { body: string }).body).toBe(html);
    // Feed seqs are 1..n with no gaps and every message once.
    const seqs = v.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(
      v.events.filter((e) => e.type === 'message.created' && e.payload.direction === 'out'),
    ).toHaveLength(1);
  });

  it('reconnect: resume after the last seq gives exactly what was missed; a retried send is not doubled', async () => {
    const { agent, chat } = await assignedChat();
    const v1 = await visitor(chat.token);
    const clientId = cid();
    const first = await v1.socket.emitWithAck('message.send', { clientId, body: '하나' });
    expect(first.ok).toBe(true);
    const lastSeq = (first as { value: VisitorSendResult }).value.seq;
    v1.socket.close();

    await reply(agent, chat.conversationId, '첫 답장');
    await reply(agent, chat.conversationId, '두 번째 답장');

    const v2 = await visitor(chat.token);
    expect(v2.welcome.headSeq).toBeGreaterThan(lastSeq);
    const resumed = await v2.socket.emitWithAck('session.resume', { afterSeq: lastSeq });
    expect(resumed.ok).toBe(true);
    const events = (resumed as { value: { events: VisitorEvent[] } }).value.events;
    const bodies = events.flatMap((e) => (e.type === 'message.created' ? [e.payload.body] : []));
    expect(bodies).toEqual(['첫 답장', '두 번째 답장']);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => lastSeq + 1 + i));

    // The same clientId again (the ack was lost): same message, same seq, nothing new.
    const retry = await v2.socket.emitWithAck('message.send', { clientId, body: '하나' });
    expect(retry.ok && retry.value.seq).toBe(lastSeq);
    const count = await hub.ctx.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('c'))
      .where('conversation_id', '=', chat.conversationId)
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(Number(count.c)).toBe(1);
    // A forged token is refused at the handshake.
    await expect(visitor(`${chat.token.slice(0, -2)}xx`)).rejects.toThrow();
  });

  it('a flooding visitor is rate-limited with a typed error', async () => {
    const started = await startChat();
    const v = await visitor(started.body.token);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        v.socket.emitWithAck('message.send', { clientId: cid(), body: `m${i}` }),
      ),
    );
    const refused = results.filter((r) => !r.ok);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(refused.every((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toBe(true);
  });

  it('attachments: images and PDF by magic bytes, size-limited, served to the visitor and the site’s agents only', async () => {
    const { agent, chat } = await assignedChat();
    const other = (await startChat({ phone: '010-9999-0000' })).body;
    const upload = (token: string, bytes: Buffer, name: string) =>
      fetch(`${hub.url}/api/v1/webchat/attachments?name=${encodeURIComponent(name)}&clientId=${cid()}`, {
        method: 'POST',
        headers: { authorization: `Visitor ${token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 1),
    ]);
    const ok = await upload(chat.token, png, 'receipt.png');
    expect(ok.status).toBe(201);
    const sent = (await ok.json()) as VisitorSendResult;
    expect(sent.message.attachment).toMatchObject({
      name: 'receipt.png',
      contentType: 'image/png',
      size: png.length,
    });

    const fake = await upload(chat.token, Buffer.from('<html><script>alert(1)</script></html>'), 'evil.png');
    expect(fake.status).toBe(400);
    expect(((await fake.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    const huge = await upload(chat.token, Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]), 'big.png');
    expect(huge.status).toBe(413);
    expect((await upload('v1.a.b.c', png, 'x.png')).status).toBe(401);

    const url = `${hub.url}/api/v1/webchat/attachments/${sent.message.attachment!.id}`;
    const mine = await fetch(`${url}?token=${encodeURIComponent(chat.token)}`);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await mine.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${url}?token=${encodeURIComponent(other.token)}`)).status).toBe(404);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${agent.token}` } })).status).toBe(200);
    const busan = await loginAs(hub.url, 'agent3').catch(() => null);
    if (busan && busan.user.siteId !== (await loginAs(hub.url, 'agent1')).user.siteId) {
      expect((await fetch(url, { headers: { authorization: `Bearer ${busan.token}` } })).status).toBe(404);
    }
  });

  it('the end: work.complete resolves the chat, the survey is stored and logged; writing again reopens it', async () => {
    const { agent, chat, item } = await assignedChat();
    const v = await visitor(chat.token);
    const early = await v.socket.emitWithAck('survey.answer', { csat: 5 });
    expect(!early.ok && early.error.code).toBe('INVALID_STATE_TRANSITION');

    expect((await deskSend(agent.socket, 'work.complete', { commandId: cid(), itemId: item.id })).ok).toBe(
      true,
    );
    const resolved = await until(() => v.events.find((e) => e.type === 'conversation.resolved'), 'resolved');
    // No template at this site: the standard survey, all three questions in the widget's words.
    expect(resolved.payload).toEqual({
      surveyRequested: true,
      survey: { template: null, title: null, csat: { text: null }, nps: { text: null }, ces: { text: null } },
    });

    const bad = await v.socket.emitWithAck('survey.answer', { csat: 9 });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION_FAILED');
    const answered = await v.socket.emitWithAck('survey.answer', { csat: 4, nps: 9 });
    expect(answered.ok).toBe(true);
    const again = await v.socket.emitWithAck('survey.answer', { csat: 1 });
    expect(!again.ok && again.error.code).toBe('CONFLICT');

    const stored = await hub.ctx.db
      .selectFrom('surveys')
      .selectAll()
      .where('conversation_id', '=', chat.conversationId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ csat: 4, nps: 9, ces: null });
    const logged = await hub.ctx.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'survey.answered')
      .execute();
    expect(logged.map((e) => JSON.parse(e.payload) as unknown)).toContainEqual({
      conversationId: chat.conversationId,
      customerId: stored.customer_id,
      csat: 4,
      nps: 9,
      ces: null,
      template: null,
    });

    // Within 24 h a new message reopens the same conversation and queues it again.
    const later = await v.socket.emitWithAck('message.send', { clientId: cid(), body: '하나 더 물어볼게요' });
    expect(later.ok && later.value.conversationId).toBe(chat.conversationId);
    await until(() => v.events.find((e) => e.type === 'conversation.reopened'), 'reopened');
    const conv = await hub.ctx.db
      .selectFrom('conversations')
      .select('status')
      .where('id', '=', chat.conversationId)
      .executeTakeFirstOrThrow();
    expect(conv.status).not.toBe('resolved');
  });

  it('after 24 h a message starts a new conversation with a new token', async () => {
    const { agent, chat, item } = await assignedChat();
    const v = await visitor(chat.token);
    await deskSend(agent.socket, 'work.complete', { commandId: cid(), itemId: item.id });
    await until(() => v.events.find((e) => e.type === 'conversation.resolved'), 'resolved');
    await hub.ctx.db
      .updateTable('webchat_sessions')
      .set({ resolved_at: Date.now() - 25 * 3600_000 })
      .where('conversation_id', '=', chat.conversationId)
      .execute();
    const r = await v.socket.emitWithAck('message.send', { clientId: cid(), body: '새 문의입니다' });
    expect(r.ok).toBe(true);
    const value = (r as { value: VisitorSendResult }).value;
    expect(value.conversationId).not.toBe(chat.conversationId);
    expect(value.token).toBeTruthy();
    const v2 = await visitor(value.token!);
    expect(v2.welcome.conversationId).toBe(value.conversationId);
  });

  it('typing is relayed both ways and not logged', async () => {
    const { agent, chat } = await assignedChat();
    const v = await visitor(chat.token);
    const signal = new Promise((r) => agent.socket.on('visitor.signal', r));
    v.socket.emit('typing', { typing: true });
    expect(await signal).toEqual({ conversationId: chat.conversationId, typing: true });
    const typing = new Promise((r) => v.socket.once('typing', r));
    const res = await api(
      hub.url,
      `/api/v1/webchat/conversations/${chat.conversationId}/typing`,
      agent.token,
      {
        method: 'POST',
        body: JSON.stringify({ typing: true }),
      },
    );
    expect(res.status).toBe(200);
    expect(await typing).toEqual({ typing: true });
    const read = new Promise((r) => v.socket.once('read', r));
    await reply(agent, chat.conversationId, '네');
    expect(await read).toMatchObject({ upToSeq: expect.any(Number) as number });
  });
});
