/**
 * SMS and messenger through their fakes, on SQLite and PostgreSQL: a
 * customer's message becomes a routed conversation, the agent's reply reaches
 * the fake provider in its wire format, delivery goes queued → sent →
 * delivered (or failed after retries), a repeated webhook stores nothing, a
 * bad signature is refused and logged, limits refuse before storing, and one
 * customer stands behind the phone of an SMS, a messenger key and a web chat.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectVisitor } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Message, MessageDelivery } from '@shared/domain';
import type { DeskEvent, WorkItemView } from '@shared/protocol';
import type { StartChatResponse, VisitorEvent } from '@shared/webchat';
import type { HubConfig } from '../../server/config';
import { ChannelSettings } from '../../server/config';
import { send, waitFor } from '../support/commands';
import { type FakeMessenger, startFakeMessenger } from '../support/fake-messenger';
import { type FakeSmsGateway, startFakeSmsGateway } from '../support/fake-sms-gateway';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { postSigned } from '../support/webhook-signer';
import { freshDatabase } from '../support/postgres';

async function freshPostgres(): Promise<string> {
  const base = inject('pgUrl');
  return freshDatabase(base, 'ieum_channels');
}

export function channelConfig(sms: FakeSmsGateway, messenger: FakeMessenger, extra: object = {}) {
  return ChannelSettings.parse({
    sms: {
      baseUrl: sms.url,
      apiKey: sms.apiKey,
      apiSecret: sms.apiSecret,
      sender: '1588-1234',
      webhookSecret: sms.webhookSecret,
    },
    messenger: {
      baseUrl: messenger.url,
      apiKey: messenger.apiKey,
      senderKey: messenger.senderKey,
      webhookSecret: messenger.webhookSecret,
      templates: {
        callback: { code: 'CB01', text: '#{name}님, #{time}에 전화드리겠습니다.' },
        survey: {
          code: 'SV01',
          text: '#{name}님, 설문에 참여해 주세요.',
          buttonUrl: 'https://survey.example/s',
        },
      },
    },
    retry: { maxAttempts: 3, backoffMs: 50, backoffFactor: 2, sendTimeoutMs: 800 },
    webhooks: { windowSeconds: 300, ratePerSecond: 1000, burst: 1000 },
    ...extra,
  });
}

interface Agent {
  socket: DeskSocket;
  token: string;
  userId: string;
  events: DeskEvent[];
}

let n = 0;
const cid = () => `channels-${Date.now()}-${++n}`;

describe.each(['sqlite', 'postgres'] as const)('channels on %s', (kind) => {
  let hub: TestHubInProcess;
  let sms: FakeSmsGateway;
  let messenger: FakeMessenger;
  let agent1: Agent;
  let agent2: Agent;
  let supervisor: Agent;

  async function desk(username: string, ready: boolean): Promise<Agent> {
    const { token, user } = await loginAs(hub.url, username);
    const socket = await connectDesk(hub.url, token);
    const events: DeskEvent[] = [];
    socket.on('event', (e) => events.push(e));
    if (ready) {
      const r = await send(socket, 'agent.setState', { commandId: cid(), state: 'ready' });
      expect(r.ok).toBe(true);
    }
    return { socket, token, userId: user.id, events };
  }

  beforeAll(async () => {
    sms = await startFakeSmsGateway();
    messenger = await startFakeMessenger();
    const overrides: Partial<HubConfig> = { channels: channelConfig(sms, messenger) };
    if (kind === 'postgres') overrides.db = await freshPostgres();
    hub = await startTestHub(overrides);
    agent1 = await desk('agent1', true);
    agent2 = await desk('agent2', true);
    supervisor = await desk('supervisor1', false);
  });
  afterAll(async () => {
    for (const a of [agent1, agent2, supervisor]) a?.socket.close();
    await hub?.stop();
    await sms?.close();
    await messenger?.close();
  });

  const held: { agent: Agent; itemId: string }[] = [];

  /** Waits for the offer of this conversation (to either agent), accepts it and returns who holds it. */
  async function accept(conversationId: string): Promise<Agent> {
    const offerOf = (a: Agent) =>
      a.events.find(
        (e) =>
          e.type === 'offer.created' &&
          (e.payload as { item: WorkItemView }).item.conversationId === conversationId,
      );
    const [agent, offer] = await waitFor(() => {
      for (const a of [agent1, agent2]) {
        const o = offerOf(a);
        if (o) return [a, o] as const;
      }
      return undefined;
    }, 'offer.created');
    const item = (offer.payload as { item: WorkItemView }).item;
    const r = await send(agent.socket, 'offer.accept', { commandId: cid(), itemId: item.id });
    expect(r.ok).toBe(true);
    held.push({ agent, itemId: item.id });
    return agent;
  }

  /** Each test leaves both agents free: their work is completed and wrap-up ended. */
  afterEach(async () => {
    for (const h of held.splice(0)) {
      await send(h.agent.socket, 'work.complete', { commandId: cid(), itemId: h.itemId });
      await send(h.agent.socket, 'wrapup.end', { commandId: cid() });
    }
  });

  const other = (a: Agent) => (a === agent1 ? agent2 : agent1);
  const nameOf = (a: Agent) => (a === agent1 ? '김지은' : '이준호');

  async function conversationOf(messageId: string): Promise<string> {
    const row = await hub.ctx.db
      .selectFrom('messages')
      .select('conversation_id')
      .where('id', '=', messageId)
      .executeTakeFirstOrThrow();
    return row.conversation_id;
  }

  const deliveryEvent = (a: Agent, messageId: string, status: MessageDelivery['status']) =>
    waitFor(
      () =>
        a.events.find(
          (e) =>
            e.type === 'message.delivery_updated' &&
            (e.payload as MessageDelivery).messageId === messageId &&
            (e.payload as MessageDelivery).status === status,
        )?.payload as MessageDelivery | undefined,
      `delivery ${status}`,
      15_000,
    );

  const reply = (a: Agent, conversationId: string, body: string, extra: object = {}) =>
    send<Message>(a.socket, 'message.send', {
      commandId: cid(),
      conversationId,
      body,
      kind: 'out',
      ...extra,
    });

  it('an SMS arrives, is routed, the reply reaches the gateway and turns delivered', async () => {
    const mo = await sms.mo(hub.url, 'seoul', '010-3141-5926', '배송이 언제 오나요?');
    expect(mo.status).toBe(200);
    const { messageId, duplicate } = mo.body as { messageId: string; duplicate: boolean };
    expect(duplicate).toBe(false);
    const conversationId = await conversationOf(messageId);
    const agent = await accept(conversationId);

    const sent = await reply(agent, conversationId, '내일 도착 예정입니다.');
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.value.delivery?.status).toBe('queued');
    expect(sent.value.channel).toBe('sms');
    const [out] = await sms.waitForSent(1);
    expect(out).toMatchObject({
      to: '01031415926',
      from: '15881234',
      text: '내일 도착 예정입니다.',
      type: 'SMS',
    });
    expect(out!.customFields?.ieumMessageId).toBe(sent.value.id);
    const sentEvent = await deliveryEvent(agent, sent.value.id, 'sent');
    expect(sentEvent.providerMessageId).toBe(out!.messageId);

    const report = await sms.report(hub.url, 'seoul', out!.messageId, '4000');
    expect(report.status).toBe(200);
    await deliveryEvent(agent, sent.value.id, 'delivered');
    const list = await send<Message[]>(agent.socket, 'message.list', { conversationId });
    expect(list.ok && list.value.map((m) => [m.direction, m.delivery?.status ?? null])).toEqual([
      ['in', null],
      ['out', 'delivered'],
    ]);
  });

  it('a webhook delivered twice stores one message; a repeated report changes nothing', async () => {
    const id = `MO-dup-${kind}`;
    const first = await sms.mo(hub.url, 'seoul', '01027182818', '중복 테스트', id);
    const second = await sms.mo(hub.url, 'seoul', '01027182818', '중복 테스트', id);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect((second.body as { duplicate: boolean }).duplicate).toBe(true);
    expect((second.body as { messageId: string }).messageId).toBe(
      (first.body as { messageId: string }).messageId,
    );
    const rows = await hub.ctx.db
      .selectFrom('messages')
      .select('id')
      .where('provider_message_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a bad signature, an old timestamp and a malformed payload, logs them and stores nothing', async () => {
    const url = `${hub.url}/api/v1/channels/sms/seoul/inbound`;
    const payload = {
      messageId: `MO-bad-${kind}`,
      from: '01099998888',
      to: '15881234',
      text: '위조',
      type: 'SMS',
    };
    const logsBefore = hub.logs.length;
    const forged = await postSigned(url, 'not-the-secret-at-all-000', payload);
    expect(forged.status).toBe(401);
    expect((forged.body as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const old = await postSigned(url, sms.webhookSecret, payload, {
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(old.status).toBe(401);
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(unsigned.status).toBe(401);
    const malformed = await postSigned(url, sms.webhookSecret, null, { raw: '{"messageId": 1' });
    expect(malformed.status).toBe(400);
    const wrongShape = await postSigned(url, sms.webhookSecret, { ...payload, from: 'not a number' });
    expect(wrongShape.status).toBe(400);
    expect((wrongShape.body as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    const refused = hub.logs.slice(logsBefore).filter((l) => String(l.msg).startsWith('webhook refused'));
    expect(refused.length).toBeGreaterThanOrEqual(5);
    const stored = await hub.ctx.db
      .selectFrom('messages')
      .select('id')
      .where('provider_message_id', '=', payload.messageId)
      .execute();
    expect(stored).toHaveLength(0);
  });

  it('retries a gateway 5xx and timeout with backoff, then fails visibly with the reason', async () => {
    const mo = await sms.mo(hub.url, 'seoul', '01016180339', '재시도 테스트');
    const conversationId = await conversationOf((mo.body as { messageId: string }).messageId);
    const agent = await accept(conversationId);

    // One 503 then one answer slower than the hub's timeout, then the gateway answers: sent on the 3rd try.
    const before = sms.sent.length;
    sms.failNext(1, 503);
    sms.delayNext(1, 1500);
    const ok = await reply(agent, conversationId, '첫 번째 답장');
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const sent = await deliveryEvent(agent, ok.value.id, 'sent');
    expect(sent.attempts).toBe(3);
    expect(sms.sent.length).toBeGreaterThan(before);

    // Always 503: three tries, then failed with PROVIDER_UNAVAILABLE.
    const attemptsBefore = sms.attempts;
    sms.failNext(3, 503);
    const bad = await reply(agent, conversationId, '두 번째 답장');
    expect(bad.ok).toBe(true);
    if (!bad.ok) return;
    const failed = await deliveryEvent(agent, bad.value.id, 'failed');
    expect(failed).toMatchObject({ reason: 'PROVIDER_UNAVAILABLE', attempts: 3 });
    expect(failed.detail).toContain('503');
    expect(sms.attempts - attemptsBefore).toBe(3);
    expect(sms.sent.map((s) => s.text)).not.toContain('두 번째 답장');
  });

  it('sends a long Korean reply as LMS and refuses one over 2,000 bytes before storing it', async () => {
    const mo = await sms.mo(hub.url, 'seoul', '01014142135', 'LMS 테스트');
    const conversationId = await conversationOf((mo.body as { messageId: string }).messageId);
    const agent = await accept(conversationId);
    const long = '가'.repeat(46); // 92 bytes in EUC-KR: one byte too many for an SMS... and then some
    const r = await reply(agent, conversationId, long);
    expect(r.ok && r.value.delivery?.kind).toBe('lms');
    const all = await sms.waitForSent(sms.sent.length);
    const lms = await waitFor(() => all.find((s) => s.text === long), 'LMS at the gateway');
    expect(lms.type).toBe('LMS');
    expect(lms.subject).toBeTruthy();

    const exact = '나'.repeat(45); // exactly 90 bytes: still an SMS
    const s = await reply(agent, conversationId, exact);
    expect(s.ok && s.value.delivery?.kind).toBe('sms');

    const tooLong = '다'.repeat(1001); // 2,002 bytes
    const refused = await reply(agent, conversationId, tooLong);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('VALIDATION_FAILED');
    expect(refused.error.details).toMatchObject({ reason: 'TEXT_TOO_LONG', limit: 2000, actual: 2002 });
    const stored = await hub.ctx.db.selectFrom('messages').select('id').where('body', '=', tooLong).execute();
    expect(stored).toHaveLength(0);
  });

  it('messenger: user key in, reply within limits, buttons, hand-off, session end, template', async () => {
    const userKey = `uk-${kind}-${Date.now()}`;
    const inbound = await messenger.message(hub.url, 'seoul', userKey, '환불 문의드려요', {
      nickname: '카톡고객',
    });
    expect(inbound.status).toBe(200);
    const conversationId = await conversationOf((inbound.body as { messageId: string }).messageId);
    const agent = await accept(conversationId);

    const buttons = [{ name: '주문 조회', url: 'https://shop.example/orders' }];
    const r = await reply(agent, conversationId, '확인해 드리겠습니다.', { buttons });
    expect(r.ok).toBe(true);
    const [w] = await messenger.waitFor(() => messenger.writes.filter((x) => x.user_key === userKey), 1);
    expect(w).toMatchObject({
      sender_key: messenger.senderKey,
      user_key: userKey,
      message_type: 'TX',
      message: '확인해 드리겠습니다.',
      counselor: nameOf(agent),
    });
    expect(w!.attachment?.button).toEqual([
      {
        name: '주문 조회',
        type: 'WL',
        url_mobile: 'https://shop.example/orders',
        url_pc: 'https://shop.example/orders',
      },
    ]);
    if (!r.ok) return;
    const sentState = await deliveryEvent(agent, r.value.id, 'sent');
    expect(sentState.providerMessageId).toBe(w!.message_id);
    expect((await messenger.result(hub.url, 'seoul', userKey, w!.message_id!)).status).toBe(200);
    await deliveryEvent(agent, r.value.id, 'delivered');

    // Limits: over 1,000 characters, six buttons.
    const tooLong = await reply(agent, conversationId, 'ㅋ'.repeat(1001));
    expect(!tooLong.ok && tooLong.error.details).toMatchObject({ reason: 'TEXT_TOO_LONG', limit: 1000 });
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `b${i}`, url: `https://x.example/${i}` }));
    const tooMany = await reply(agent, conversationId, '버튼', { buttons: six });
    expect(!tooMany.ok && tooMany.error.details).toMatchObject({ reason: 'TOO_MANY_BUTTONS', limit: 5 });

    // An image over 5 MB is refused (413) before anything is stored.
    const big = Buffer.alloc(5 * 1024 * 1024 + 10);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(big);
    const up = await fetch(
      `${hub.url}/api/v1/channels/conversations/${conversationId}/attachments?name=big.png&commandId=${cid()}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/octet-stream' },
        body: big,
      },
    );
    expect(up.status).toBe(413);
    expect(((await up.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe(
      'ATTACHMENT_TOO_LARGE',
    );
    // A small image goes: uploaded, then written as IM.
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64),
    ]);
    const ok = await fetch(
      `${hub.url}/api/v1/channels/conversations/${conversationId}/attachments?name=receipt.png&commandId=${cid()}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/octet-stream' },
        body: png,
      },
    );
    expect(ok.status).toBe(201);
    const im = await messenger.waitFor(
      () => messenger.writes.filter((x) => x.user_key === userKey && x.message_type === 'IM'),
      1,
    );
    expect(im[0]!.attachment?.image?.img_url).toMatch(/^https:\/\//);

    // Hand-off: the supervisor gives the conversation to agent2; agent2 answers under their own name.
    const handoff = await send(supervisor.socket, 'conversation.reassign', {
      commandId: cid(),
      conversationId,
      agentId: other(agent).userId,
    });
    expect(handoff.ok).toBe(true);
    const refusedOld = await reply(agent, conversationId, '저 아직 있어요');
    expect(!refusedOld.ok && refusedOld.error.code).toBe('FORBIDDEN');
    const by2 = await reply(other(agent), conversationId, '담당자가 바뀌었습니다.');
    expect(by2.ok).toBe(true);
    const w2 = await messenger.waitFor(
      () => messenger.writes.filter((x) => x.message === '담당자가 바뀌었습니다.'),
      1,
    );
    expect(w2[0]!.counselor).toBe(nameOf(other(agent)));

    // The customer ends the session: the agent is told before anything is stored, and offered a template.
    expect((await messenger.sessionEnd(hub.url, 'seoul', userKey)).status).toBe(200);
    const late = await reply(other(agent), conversationId, '혹시 더 궁금하신 점?');
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.details).toMatchObject({
        reason: 'SESSION_EXPIRED',
        alternatives: ['template', 'sms'],
      });
    }
    // No phone known for this customer yet: a template has no recipient.
    const noPhone = await api(
      hub.url,
      `/api/v1/channels/conversations/${conversationId}/templates`,
      agent2.token,
      {
        method: 'POST',
        body: JSON.stringify({ commandId: cid(), template: 'survey' }),
      },
    );
    expect(noPhone.status).toBe(400);
    expect((noPhone.body as { error: { details: { reason: string } } }).error.details.reason).toBe(
      'NO_RECIPIENT',
    );
  });

  it('one customer behind an SMS phone, a messenger key with that phone and a web chat; a web chat answered by SMS', async () => {
    const phone = '010-5772-1566';
    const a = await sms.mo(hub.url, 'seoul', phone, '문자로 문의');
    const smsConv = await conversationOf((a.body as { messageId: string }).messageId);
    await accept(smsConv);
    const key = `uk-same-${kind}-${Date.now()}`;
    const b = await messenger.message(hub.url, 'seoul', key, '카톡으로도 문의', {
      phone_number: '+82 10-5772-1566',
      nickname: '이음고객',
    });
    const msgConv = await conversationOf((b.body as { messageId: string }).messageId);
    await accept(msgConv);
    const chat = await api<{ conversationId: string }>(hub.url, '/api/v1/webchat/sessions', null, {
      method: 'POST',
      body: JSON.stringify({
        site: 'seoul',
        name: '이음고객',
        phone: '01057721566',
        consent: true,
        body: '웹에서도 문의',
      }),
    });
    expect(chat.status).toBe(201);
    const owners = await hub.ctx.db
      .selectFrom('conversations')
      .select(['customer_id', 'channel'])
      .where('id', 'in', [smsConv, msgConv, chat.body.conversationId])
      .execute();
    expect(new Set(owners.map((o) => o.customer_id)).size).toBe(1);
    expect(owners.map((o) => o.channel).sort()).toEqual(['messenger', 'sms', 'webchat']);

    // The timeline of that customer shows all three.
    const timeline = await api<{ items: { channel?: string; kind?: string }[] }>(
      hub.url,
      `/api/v1/customers/${owners[0]!.customer_id}/timeline`,
      supervisor.token,
    );
    expect(timeline.status).toBe(200);
    const channels = new Set(JSON.stringify(timeline.body).match(/"(sms|messenger|webchat)"/g));
    expect(channels.size).toBe(3);

    // The agent answers the web chat by SMS: the gateway gets it, the conversation records the switch.
    const agent = await accept(chat.body.conversationId);
    const switched = await reply(agent, chat.body.conversationId, '문자로 답변드립니다.', {
      channel: 'sms',
    });
    expect(switched.ok).toBe(true);
    await waitFor(
      () => sms.sent.find((s) => s.text === '문자로 답변드립니다.' && s.to === '01057721566'),
      'SMS',
    );
    const log = await hub.ctx.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'conversation.channel_switched')
      .execute();
    expect(
      log.map((l) => JSON.parse(l.payload) as { conversationId: string; from: string; to: string }),
    ).toContainEqual(
      expect.objectContaining({ conversationId: chat.body.conversationId, from: 'webchat', to: 'sms' }),
    );
    // A notification template goes to the phone the messenger customer shared.
    const tpl = await api<Message>(
      hub.url,
      `/api/v1/channels/conversations/${msgConv}/templates`,
      supervisor.token,
      {
        method: 'POST',
        body: JSON.stringify({ commandId: cid(), template: 'callback', variables: { time: '오후 3시' } }),
      },
    );
    expect(tpl.status).toBe(201);
    expect(tpl.body.delivery).toMatchObject({ status: 'queued', kind: 'template', channel: 'messenger' });
    const [sentTpl] = await messenger.waitFor(
      () => messenger.templates.filter((t) => t.phone_number === '01057721566'),
      1,
    );
    expect(sentTpl).toMatchObject({
      template_code: 'CB01',
      message: '이음고객님, 오후 3시에 전화드리겠습니다.',
    });

    // The customer's SMS answer continues that same conversation.
    const back = await sms.mo(hub.url, 'seoul', phone, '네 확인했어요');
    expect(await conversationOf((back.body as { messageId: string }).messageId)).toBe(
      chat.body.conversationId,
    );
  });

  it('an adapter naming a resolved conversation (an old email thread) opens it again and routes it', async () => {
    const mo = await sms.mo(hub.url, 'seoul', '010-8888-7777', '처음 문의');
    const conversationId = await conversationOf((mo.body as { messageId: string }).messageId);
    const agent = await accept(conversationId);
    const h = held.pop()!;
    expect((await send(agent.socket, 'work.complete', { commandId: cid(), itemId: h.itemId })).ok).toBe(true);
    await send(agent.socket, 'wrapup.end', { commandId: cid() });
    await hub.ctx.db
      .updateTable('conversations')
      .set({ status: 'resolved' })
      .where('id', '=', conversationId)
      .execute();
    const site = await hub.ctx.db
      .selectFrom('sites')
      .select('id')
      .where('code', '=', 'seoul')
      .executeTakeFirstOrThrow();

    const again = await hub.ctx.channels!.receive({
      siteId: site.id,
      channel: 'sms',
      providerMessageId: `thread-${kind}-${Date.now()}`,
      from: { handle: '+821088887777', phone: '+821088887777' },
      body: '다시 문의드려요',
      conversationId,
    });
    expect(again).toMatchObject({ conversationId, duplicate: false, created: false });
    const conv = await hub.ctx.db
      .selectFrom('conversations')
      .select(['status', 'assignee_id'])
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(conv.status).not.toBe('resolved');
    const items = await hub.ctx.db
      .selectFrom('work_items')
      .select(['id', 'status'])
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(items).toHaveLength(2);
    const fresh = items.find((i) => i.id !== h.itemId)!;
    expect(['waiting', 'offered', 'active']).toContain(fresh.status);
    // Whoever it is offered to takes it, so the next test starts with free agents.
    const offered = await waitFor(
      () =>
        [agent1, agent2].find((a) =>
          a.events.some(
            (e) => e.type === 'offer.created' && (e.payload as { item: WorkItemView }).item.id === fresh.id,
          ),
        ),
      'the new offer',
    );
    expect((await send(offered.socket, 'offer.accept', { commandId: cid(), itemId: fresh.id })).ok).toBe(
      true,
    );
    held.push({ agent: offered, itemId: fresh.id });
  });

  it('web chat through the adapter: a reply is sent into the visitor feed and delivered once the visitor read it', async () => {
    const chat = await api<StartChatResponse>(hub.url, '/api/v1/webchat/sessions', null, {
      method: 'POST',
      body: JSON.stringify({
        site: 'seoul',
        name: '웹고객',
        email: `web-${kind}@example.com`,
        consent: true,
        body: '웹 문의',
      }),
    });
    expect(chat.status).toBe(201);
    const agent = await accept(chat.body.conversationId);
    const visitor = connectVisitor(`${hub.url}/visitor`, {
      auth: { token: chat.body.token },
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      const events: VisitorEvent[] = [];
      visitor.on('event', (e: VisitorEvent) => events.push(e));
      await new Promise((r, j) => {
        visitor.once('welcome', r);
        visitor.once('connect_error', j);
      });
      const r = await reply(agent, chat.body.conversationId, '웹 답장입니다');
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.delivery).toMatchObject({ channel: 'webchat', status: 'queued' });
      await deliveryEvent(agent, r.value.id, 'sent');
      const shown = await waitFor(
        () =>
          events.find((e) => e.type === 'message.created' && (e.payload as { id: string }).id === r.value.id),
        'reply in the visitor feed',
      );
      // Exactly once in the feed, though both the dispatcher and the publish hook sync it.
      expect(events.filter((e) => (e.payload as { id?: string }).id === r.value.id)).toHaveLength(1);
      visitor.emit('read', { upToSeq: shown.seq });
      await deliveryEvent(agent, r.value.id, 'delivered');
      // Buttons are not for web chat.
      const withButtons = await reply(agent, chat.body.conversationId, '버튼', {
        buttons: [{ name: 'x', url: 'https://x.example' }],
      });
      expect(!withButtons.ok && withButtons.error.details).toMatchObject({ reason: 'TOO_MANY_BUTTONS' });
    } finally {
      visitor.close();
    }
  });
});

describe('webhook rate limit', () => {
  it('answers 429 past the per-source burst and logs it', async () => {
    const sms = await startFakeSmsGateway();
    const messenger = await startFakeMessenger();
    const hub = await startTestHub({
      channels: channelConfig(sms, messenger, {
        webhooks: { windowSeconds: 300, ratePerSecond: 0.01, burst: 3 },
      }),
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await sms.mo(hub.url, 'seoul', '01011112222', `m${i}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(hub.logs.some((l) => l.msg === 'webhook refused: rate limited')).toBe(true);
    } finally {
      await hub.stop();
      await sms.close();
      await messenger.close();
    }
  });
});

describe('a queued delivery survives a restart', () => {
  it('a reply the gateway could not take before the hub stopped is sent by the next hub process', async () => {
    const sms = await startFakeSmsGateway();
    const messenger = await startFakeMessenger();
    const dataDir = mkdtempSync(join(tmpdir(), 'ieum-channels-restart-'));
    const config = {
      dataDir,
      channels: channelConfig(sms, messenger, {
        retry: { maxAttempts: 20, backoffMs: 200, backoffFactor: 1, sendTimeoutMs: 800 },
      }),
    };
    let hub = await startTestHub(config);
    try {
      const mo = await sms.mo(hub.url, 'seoul', '01033334444', '재시작 테스트');
      const conversationId = (
        await hub.ctx.db
          .selectFrom('messages')
          .select('conversation_id')
          .where('id', '=', (mo.body as { messageId: string }).messageId)
          .executeTakeFirstOrThrow()
      ).conversation_id;
      const { token } = await loginAs(hub.url, 'supervisor1');
      const desk = await connectDesk(hub.url, token);
      sms.failNext(1000, 503);
      const r = await send<Message>(desk, 'message.send', {
        commandId: cid(),
        conversationId,
        body: '재시작 후에도 갑니다',
        kind: 'out',
      });
      desk.close();
      expect(r.ok).toBe(true);
      await waitFor(() => sms.attempts > 0, 'a first try');
      await hub.stop();

      sms.clearFaults();
      hub = await startTestHub(config);
      const sent = await sms.waitForSent(1);
      expect(sent[0]).toMatchObject({ text: '재시작 후에도 갑니다', to: '01033334444' });
      // Once the gateway took it, the delivery is sent (the hub records it right after the answer).
      const messageId = r.ok ? r.value.id : '';
      let delivery = { status: 'queued', attempts: 0 };
      for (let i = 0; i < 200 && delivery.status !== 'sent'; i++) {
        delivery = await hub.ctx.db
          .selectFrom('message_deliveries')
          .select(['status', 'attempts'])
          .where('message_id', '=', messageId)
          .executeTakeFirstOrThrow();
        if (delivery.status !== 'sent') await new Promise((res) => setTimeout(res, 25));
      }
      expect(delivery.status).toBe('sent');
      expect(Number(delivery.attempts)).toBeGreaterThan(1);
    } finally {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await sms.close();
      await messenger.close();
    }
  });
});
