/**
 * HQ and two centers (서울, 부산), in process: survey templates from HQ used by
 * the web chat survey at a center; cross-site customer history only with the
 * customer's group_share consent, PII masked, and never otherwise; overflow of
 * waiting SMS work to a queue at the other center through HQ, with its history,
 * exactly once, answered through that center's own gateway; web chat stays at
 * its center; HQ analysts see figures, not customers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@shared/domain';
import type { Result } from '@shared/errors';
import type { OtherCentersAnswer } from '@shared/customers';
import type { DeskEvent, WorkItemView } from '@shared/protocol';
import type {
  HubToVisitorEvents,
  StartChatResponse,
  VisitorToHubEvents,
  VisitorWelcome,
} from '@shared/webchat';
import { io as connect, type Socket } from 'socket.io-client';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { enrollmentToken } from '../support/federation';
import { type FakeSmsGateway, startFakeSmsGateway } from '../support/fake-sms-gateway';
import { ChannelSettings } from '../../server/config';

let hq: TestHubInProcess;
let seoul: TestHubInProcess;
let busan: TestHubInProcess;
let sms: FakeSmsGateway;
const sockets: { close(): void }[] = [];
/** Each center's own SMS sender number (발신번호), as the gateway sees it. */
const SENDER = { seoul: '1588-1111', busan: '1599-2222' } as const;

beforeAll(async () => {
  hq = await startTestHub({ role: 'hq' });
  // One fake gateway, two accounts' worth of sender numbers: who sent a reply shows in `from`.
  sms = await startFakeSmsGateway();
  const start = async (site: 'seoul' | 'busan') =>
    startTestHub({
      demoSites: [site],
      hqUrl: hq.url,
      hqEnrollToken: await enrollmentToken(hq.url, site),
      federationHeartbeatSeconds: 0.3,
      channels: ChannelSettings.parse({
        sms: {
          baseUrl: sms.url,
          apiKey: sms.apiKey,
          apiSecret: sms.apiSecret,
          sender: SENDER[site],
          webhookSecret: sms.webhookSecret,
        },
        retry: { maxAttempts: 3, backoffMs: 50, backoffFactor: 2, sendTimeoutMs: 2000 },
        webhooks: { windowSeconds: 300, ratePerSecond: 1000, burst: 1000 },
      }),
    });
  [seoul, busan] = await Promise.all([start('seoul'), start('busan')]);
});
let hqStopped = false;
afterAll(async () => {
  for (const s of sockets.splice(0)) s.close();
  await Promise.all([seoul?.stop(), busan?.stop()]);
  if (!hqStopped) await hq?.stop();
  await sms?.close();
});

let n = 0;
const cid = () => `multisite-${Date.now()}-${++n}`;

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function deskSend<T>(socket: DeskSocket, name: string, payload: unknown): Promise<Result<T>> {
  return (socket as unknown as { emitWithAck(n: string, p: unknown): Promise<Result<T>> }).emitWithAck(
    name,
    payload,
  );
}

async function startChat(hub: TestHubInProcess, site: string, extra: Record<string, unknown> = {}) {
  const res = await api<StartChatResponse>(hub.url, '/api/v1/webchat/sessions', null, {
    method: 'POST',
    body: JSON.stringify({
      site,
      name: '홍길동',
      phone: '010-1234-5678',
      consent: true,
      body: '문의',
      ...extra,
    }),
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** A customer's SMS to a center (through the gateway's signed webhook): its conversation there. */
async function smsTo(hub: TestHubInProcess, site: string, from: string, text: string): Promise<string> {
  const mo = await sms.mo(hub.url, site, from, text);
  expect(mo.status).toBe(200);
  const { messageId } = mo.body as { messageId: string };
  const row = await hub.ctx.db
    .selectFrom('messages')
    .select('conversation_id')
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  return row.conversation_id;
}

/** An agent's desk that keeps what it is sent. */
async function deskOf(hub: TestHubInProcess, username: string) {
  const { token } = await loginAs(hub.url, username);
  const socket = await connectDesk(hub.url, token);
  sockets.push(socket);
  const events: DeskEvent[] = [];
  socket.on('event', (e) => events.push(e));
  return { socket, events };
}

const offerFor = (events: DeskEvent[], conversationId: string) =>
  events.find(
    (e) =>
      e.type === 'offer.created' &&
      (e.payload as { item: WorkItemView }).item.conversationId === conversationId,
  );

async function configureQueue(hub: TestHubInProcess, manager: string, name: string, routing: unknown) {
  const { token } = await loginAs(hub.url, manager);
  const queues = await api<{ id: string; name: string }[]>(hub.url, '/api/v1/admin/queues', token);
  const queue = queues.body.find((q) => q.name === name)!;
  const res = await api(hub.url, `/api/v1/admin/queues/${queue.id}`, token, {
    method: 'PATCH',
    body: JSON.stringify({ routing }),
  });
  expect(res.status).toBe(200);
  return queue.id;
}

describe('survey templates from HQ', () => {
  it('reach the center, decide the web chat survey, and a local override is visible at HQ', async () => {
    const { token: hqAdmin } = await loginAs(hq.url, 'admin1');
    const put = await api(hq.url, '/api/v1/hq/config/survey_template/default', hqAdmin, {
      method: 'PUT',
      body: JSON.stringify({
        title: { ko: '그룹 만족도 조사', en: 'Group survey' },
        csat: { text: { ko: '상담이 만족스러우셨나요?' } },
        nps: { ask: false },
        ces: { ask: true, text: { ko: '해결이 쉬웠나요?' } },
      }),
    });
    expect(put.status).toBe(200);
    const seoulSite = (await loginAs(seoul.url, 'agent1')).user.siteId;
    const template = await until(
      () =>
        seoul.ctx.db
          .selectFrom('survey_templates')
          .selectAll()
          .where('site_id', '=', seoulSite)
          .where('name', '=', 'default')
          .executeTakeFirst(),
      'the template at seoul',
    );

    // A chat at seoul, handled by agent1: the survey it asks is the template's.
    const { token } = await loginAs(seoul.url, 'agent1');
    const desk = await connectDesk(seoul.url, token);
    sockets.push(desk);
    const events: DeskEvent[] = [];
    desk.on('event', (e) => events.push(e));
    expect((await deskSend(desk, 'agent.setState', { commandId: cid(), state: 'ready' })).ok).toBe(true);
    const chat = await startChat(seoul, 'seoul', { phone: '010-2222-3333' });
    const offer = await until(async () => events.find((e) => e.type === 'offer.created'), 'offer');
    const item = (offer.payload as { item: WorkItemView }).item;
    expect(item.conversationId).toBe(chat.conversationId);
    expect((await deskSend(desk, 'offer.accept', { commandId: cid(), itemId: item.id })).ok).toBe(true);
    expect((await deskSend(desk, 'work.complete', { commandId: cid(), itemId: item.id })).ok).toBe(true);
    await deskSend(desk, 'agent.setState', { commandId: cid(), state: 'offline' });

    const visitor: Socket<HubToVisitorEvents, VisitorToHubEvents> = connect(`${seoul.url}/visitor`, {
      auth: { token: chat.token },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(visitor);
    const welcome = await new Promise<VisitorWelcome>((resolve) => visitor.once('welcome', resolve));
    expect(welcome.surveyPending).toBe(true);
    expect(welcome.survey).toEqual({
      template: 'default',
      title: { ko: '그룹 만족도 조사', en: 'Group survey' },
      csat: { text: { ko: '상담이 만족스러우셨나요?' } },
      nps: null,
      ces: { text: { ko: '해결이 쉬웠나요?' } },
    });
    // NPS is not asked by this template: a score for it is refused, the rest is stored.
    const refused = await visitor.emitWithAck('survey.answer', { csat: 5, nps: 10 });
    expect(!refused.ok && refused.error.code).toBe('VALIDATION_FAILED');
    expect((await visitor.emitWithAck('survey.answer', { csat: 4, ces: 6 })).ok).toBe(true);
    const logged = await seoul.ctx.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'survey.answered')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(logged.payload)).toMatchObject({ csat: 4, nps: null, ces: 6, template: 'default' });

    // The center's manager makes it their own: HQ's next version skips it, HQ shows the override.
    const { token: manager } = await loginAs(seoul.url, 'manager1');
    const patched = await api(seoul.url, `/api/v1/admin/survey-templates/${template.id}`, manager, {
      method: 'PATCH',
      body: JSON.stringify({ questions: { nps: { ask: true }, ces: { ask: false } } }),
    });
    expect(patched.status).toBe(200);
    await api(hq.url, '/api/v1/hq/config/survey_template/default', hqAdmin, {
      method: 'PUT',
      body: JSON.stringify({ nps: { ask: false }, ces: { ask: false } }),
    });
    const listed = await until(async () => {
      const list = await api<{ kind: string; key: string; overriddenBy: { code: string | null }[] }[]>(
        hq.url,
        '/api/v1/hq/config',
        hqAdmin,
      );
      const row = list.body.find((i) => i.kind === 'survey_template' && i.key === 'default');
      return row && row.overriddenBy.length > 0 ? row : undefined;
    }, 'the override at HQ');
    expect(listed.overriddenBy.map((o) => o.code)).toEqual(['seoul']);
    // Busan took HQ's new version; seoul kept its own.
    const busanSite = (await loginAs(busan.url, 'busan1')).user.siteId;
    await until(async () => {
      const row = await busan.ctx.db
        .selectFrom('survey_templates')
        .select('questions_json')
        .where('site_id', '=', busanSite)
        .where('name', '=', 'default')
        .executeTakeFirst();
      return row && JSON.parse(row.questions_json).title === null ? true : undefined;
    }, 'the new version at busan');
    const atSeoul = await seoul.ctx.db
      .selectFrom('survey_templates')
      .select('questions_json')
      .where('id', '=', template.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(atSeoul.questions_json)).toMatchObject({ nps: { ask: true }, ces: { ask: false } });
  });
});

describe('customer history across centers', () => {
  const phone = '010-7777-0001';
  let seoulCustomer: string;
  let busanCustomer: string;
  let seoulAgent: string;
  let busanAgent: string;

  const otherCenters = async () =>
    api<OtherCentersAnswer>(seoul.url, `/api/v1/customers/${seoulCustomer}/other-centers`, seoulAgent);
  const consent = (url: string, token: string, id: string, granted: boolean) =>
    api(url, `/api/v1/customers/${id}/consents/group_share`, token, {
      method: 'PUT',
      body: JSON.stringify({ granted }),
    });

  it('is shown only when the customer consented at both centers, PII masked, and forgotten on withdrawal', async () => {
    seoulAgent = (await loginAs(seoul.url, 'agent1')).token;
    busanAgent = (await loginAs(busan.url, 'busan1')).token;
    const b = await startChat(busan, 'busan', { name: '김공유', phone, body: '부산에서 문의' });
    busanCustomer = (
      await busan.ctx.db
        .selectFrom('conversations')
        .select('customer_id')
        .where('id', '=', b.conversationId)
        .executeTakeFirstOrThrow()
    ).customer_id;
    // A subject with a phone number and a card number in it: HQ must not keep either.
    await busan.ctx.db
      .updateTable('conversations')
      .set({ subject: '환불 문의 010-7777-0001 카드 4111 1111 1111 1111' })
      .where('id', '=', b.conversationId)
      .execute();
    const s = await startChat(seoul, 'seoul', { name: '김공유', phone, body: '서울에서 문의' });
    seoulCustomer = (
      await seoul.ctx.db
        .selectFrom('conversations')
        .select('customer_id')
        .where('id', '=', s.conversationId)
        .executeTakeFirstOrThrow()
    ).customer_id;

    // No consent at seoul: nothing, and HQ is not asked.
    expect((await otherCenters()).body).toEqual({ consent: false, reachable: true, items: [] });
    // Consent at seoul only: busan's record is not shared, so still nothing.
    expect((await consent(seoul.url, seoulAgent, seoulCustomer, true)).status).toBe(200);
    const onlyOne = await otherCenters();
    expect(onlyOne.body).toMatchObject({ consent: true, reachable: true, items: [] });

    // The customer consents at busan too: busan's consultation appears at seoul.
    expect((await consent(busan.url, busanAgent, busanCustomer, true)).status).toBe(200);
    const shared = await until(async () => {
      const r = await otherCenters();
      return r.body.items.length > 0 ? r.body : undefined;
    }, 'busan history at seoul');
    expect(shared.items).toHaveLength(1);
    expect(shared.items[0]).toMatchObject({
      id: b.conversationId,
      siteCode: 'busan',
      siteName: '부산센터',
      channel: 'webchat',
      messageCount: 1,
    });
    const subject = shared.items[0]!.subject!;
    expect(subject).toContain('환불 문의');
    expect(subject).not.toContain('7777-0001');
    expect(subject).not.toContain('1111 1111 1111');
    // HQ holds no handle and no unmasked text of the customer.
    const atHq =
      JSON.stringify(await hq.ctx.db.selectFrom('hq_shared_customers').selectAll().execute()) +
      JSON.stringify(await hq.ctx.db.selectFrom('hq_shared_keys').selectAll().execute());
    expect(atHq).not.toMatch(/7777-0001|1234-5678|김공유|1111 1111 1111/);

    // Withdrawn at busan: HQ forgets busan's record.
    expect((await consent(busan.url, busanAgent, busanCustomer, false)).status).toBe(200);
    await until(async () => ((await otherCenters()).body.items.length === 0 ? true : undefined), 'forgotten');
  });

  it('a center never reads another center’s customers or conversations directly', async () => {
    // Busan's ids are unknown at seoul, whatever route is tried.
    expect((await api(seoul.url, `/api/v1/customers/${busanCustomer}`, seoulAgent)).status).toBe(404);
    expect((await api(seoul.url, `/api/v1/customers/${busanCustomer}/timeline`, seoulAgent)).status).toBe(
      404,
    );
    expect(
      (await api(seoul.url, `/api/v1/customers/${busanCustomer}/other-centers`, seoulAgent)).status,
    ).toBe(404);
    const found = await api<unknown[]>(
      seoul.url,
      '/api/v1/customers?query=%EA%B9%80%EA%B3%B5%EC%9C%A0',
      seoulAgent,
    );
    expect((found.body as { id: string }[]).map((c) => c.id)).not.toContain(busanCustomer);
    // HQ serves figures, not customers: an analyst finds nobody there.
    const { token: analyst } = await loginAs(hq.url, 'hq1');
    const atHq = await api<unknown[]>(hq.url, '/api/v1/customers?query=%EA%B9%80%EA%B3%B5%EC%9C%A0', analyst);
    expect(atHq.status === 200 ? atHq.body : []).toEqual([]);
  });
});

describe('HQ analysts', () => {
  it('see every center’s figures and agents, and no customer contact anywhere in the board', async () => {
    const { token: analyst } = await loginAs(hq.url, 'hq1');
    const board = await until(async () => {
      const r = await api<{ sites: { site: { code: string } }[] }>(hq.url, '/api/v1/hq/board', analyst);
      return r.body.sites.length === 2 ? r : undefined;
    }, 'both centers on the board');
    expect(board.body.sites.map((s) => s.site.code)).toEqual(['busan', 'seoul']);
    expect(JSON.stringify(board.body)).not.toMatch(/010-|\+8210|@example|김공유|홍길동/);
    // An analyst may not reveal a message, even at HQ.
    expect(
      (await api(hq.url, '/api/v1/messages/x/reveal', analyst, { method: 'POST' })).status,
    ).toBeGreaterThanOrEqual(403);
  });
});

describe('overflow between centers', () => {
  /** The one conversation at busan holding a message with this text. */
  const atBusan = (body: string) =>
    busan.ctx.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['c.id', 'c.status', 'c.queue_id', 'c.channel'])
      .where('m.body', '=', body)
      .execute();

  it('moves waiting SMS work with its history to the named queue at the other center, exactly once, and that center answers through its own gateway', async () => {
    await configureQueue(seoul, 'manager1', '일반 문의', {
      remoteOverflow: { afterSeconds: 1, siteCode: 'busan', queueName: '일반 문의' },
    });
    const conversationId = await smsTo(seoul, 'seoul', '010-3333-4444', '넘김-표식 문의');
    const moved = await until(
      () => atBusan('넘김-표식 문의').then((rows) => (rows.length > 0 ? rows : undefined)),
      'the conversation at busan',
    );
    expect(moved).toHaveLength(1);
    expect(moved[0]!.channel).toBe('sms');
    const busanQueue = await busan.ctx.db
      .selectFrom('queues')
      .select('name')
      .where('id', '=', moved[0]!.queue_id!)
      .executeTakeFirstOrThrow();
    expect(busanQueue.name).toBe('일반 문의');
    // It waits in busan's queue; at seoul it left (transferred, not abandoned).
    await until(
      () =>
        busan.ctx.db
          .selectFrom('work_items')
          .select('status')
          .where('conversation_id', '=', moved[0]!.id)
          .executeTakeFirst()
          .then((w) => (w?.status === 'waiting' ? w : undefined)),
      'work waiting at busan',
    );
    const atSeoul = await seoul.ctx.db
      .selectFrom('work_items')
      .select('status')
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(atSeoul.map((w) => w.status)).toEqual(['transferred']);
    const transfer = await until(
      () =>
        hq.ctx.db
          .selectFrom('hq_overflow')
          .selectAll()
          .where('payload', 'like', `%${conversationId}%`)
          .executeTakeFirst()
          .then((t) => (t?.state === 'done' ? t : undefined)),
      'HQ marks it done',
    );
    await until(
      () =>
        seoul.ctx.db
          .selectFrom('overflow_transfers')
          .select('state')
          .where('id', '=', transfer.transfer_id)
          .executeTakeFirst()
          .then((t) => (t?.state === 'delivered' ? t : undefined)),
      'seoul sees it delivered',
    );

    // Busan's agent answers: the reply leaves through busan's own SMS account, to the customer's number.
    const agent = await deskOf(busan, 'busan1');
    expect((await deskSend(agent.socket, 'agent.setState', { commandId: cid(), state: 'ready' })).ok).toBe(
      true,
    );
    const offer = await until(async () => offerFor(agent.events, moved[0]!.id), 'the offer at busan');
    const itemId = (offer.payload as { item: WorkItemView }).item.id;
    expect((await deskSend(agent.socket, 'offer.accept', { commandId: cid(), itemId })).ok).toBe(true);
    const sent = await deskSend<Message>(agent.socket, 'message.send', {
      commandId: cid(),
      conversationId: moved[0]!.id,
      body: '부산센터에서 답변드립니다.',
      kind: 'out',
    });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.value.channel).toBe('sms');
    const out = await until(
      async () => sms.sent.find((m) => m.text === '부산센터에서 답변드립니다.'),
      'the reply at the gateway',
    );
    expect(out).toMatchObject({ to: '01033334444', from: SENDER.busan.replace('-', '') });
    expect(out.customFields?.ieumMessageId).toBe(sent.value.id);
    expect((await deskSend(agent.socket, 'work.complete', { commandId: cid(), itemId })).ok).toBe(true);
    await deskSend(agent.socket, 'agent.setState', { commandId: cid(), state: 'offline' });

    // More rounds change nothing: still one conversation at busan, one transfer.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await atBusan('넘김-표식 문의')).toHaveLength(1);
    expect(
      await hq.ctx.db
        .selectFrom('hq_overflow')
        .select('transfer_id')
        .where('payload', 'like', `%${conversationId}%`)
        .execute(),
    ).toHaveLength(1);
    const types = (
      await seoul.ctx.db
        .selectFrom('events')
        .select('type')
        .where('type', 'like', 'work.transfer%')
        .where('payload', 'like', `%${transfer.transfer_id}%`)
        .execute()
    ).map((e) => e.type);
    expect(types).toEqual(['work.transferred']);
  });

  it('keeps the work and routes it locally when the other center is unreachable, has no such queue or cannot answer the channel', async () => {
    await configureQueue(seoul, 'manager1', '일반 문의', {
      remoteOverflow: { afterSeconds: 1, siteCode: 'daegu', queueName: '일반 문의' },
    });
    const unknown = await smsTo(seoul, 'seoul', '010-5555-6666', '대구행');
    await new Promise((r) => setTimeout(r, 2500));
    const stays = await seoul.ctx.db
      .selectFrom('work_items')
      .select('status')
      .where('conversation_id', '=', unknown)
      .execute();
    expect(stays.map((w) => w.status)).toEqual(['waiting']);

    // Busan has no such queue: busan refuses, the work comes back to seoul's queue.
    await configureQueue(seoul, 'manager1', '일반 문의', {
      remoteOverflow: { afterSeconds: 1, siteCode: 'busan', queueName: '없는 큐' },
    });
    const back = await smsTo(seoul, 'seoul', '010-8888-9999', '반송 문의');
    const items = await until(
      () =>
        seoul.ctx.db
          .selectFrom('work_items')
          .select('status')
          .where('conversation_id', '=', back)
          .orderBy('seq')
          .execute()
          .then((rows) => (rows.length === 2 ? rows : undefined)),
      'the work back at seoul',
    );
    expect(items.map((w) => w.status)).toEqual(['transferred', 'waiting']);
    const transfer = await seoul.ctx.db
      .selectFrom('overflow_transfers')
      .select(['id', 'state'])
      .where('conversation_id', '=', back)
      .executeTakeFirstOrThrow();
    expect(transfer.state).toBe('returned');
    const returned = await seoul.ctx.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'work.transfer_returned')
      .where('payload', 'like', `%${transfer.id}%`)
      .execute();
    expect(returned).toHaveLength(1);
    expect(await atBusan('반송 문의')).toHaveLength(0);

    // Busan without an SMS account of its own could not answer: it refuses, and the work comes back.
    const adapters = (busan.ctx.channels as unknown as { adapters: Map<string, unknown> }).adapters;
    const busanSms = adapters.get('sms')!;
    adapters.delete('sms');
    try {
      await configureQueue(seoul, 'manager1', '일반 문의', {
        remoteOverflow: { afterSeconds: 1, siteCode: 'busan', queueName: '일반 문의' },
      });
      const unanswerable = await smsTo(seoul, 'seoul', '010-9999-0000', '답할 수 없는 문의');
      const refused = await until(
        () =>
          seoul.ctx.db
            .selectFrom('work_items')
            .select('status')
            .where('conversation_id', '=', unanswerable)
            .orderBy('seq')
            .execute()
            .then((rows) => (rows.length === 2 ? rows : undefined)),
        'the refused work back at seoul',
      );
      expect(refused.map((w) => w.status)).toEqual(['transferred', 'waiting']);
      const atHq = await hq.ctx.db
        .selectFrom('hq_overflow')
        .select(['state', 'reason'])
        .where('payload', 'like', `%${unanswerable}%`)
        .executeTakeFirstOrThrow();
      expect(atHq).toEqual({ state: 'refused', reason: 'cannot answer sms here' });
      expect(await atBusan('답할 수 없는 문의')).toHaveLength(0);
    } finally {
      adapters.set('sms', busanSms);
    }
  });

  it('leaves web chat at its own center, past the threshold, and offers it to a local agent when one is ready', async () => {
    await configureQueue(seoul, 'manager1', '일반 문의', {
      remoteOverflow: { afterSeconds: 1, siteCode: 'busan', queueName: '일반 문의' },
    });
    // A chat and an SMS wait in the same queue; once the SMS has moved, the chat was past its threshold too.
    const chat = await startChat(seoul, 'seoul', {
      name: '유웹챗',
      phone: '010-6666-7777',
      body: '웹챗-표식 문의',
    });
    await smsTo(seoul, 'seoul', '010-6666-8888', '같이-넘김 문의');
    await until(
      () => atBusan('같이-넘김 문의').then((rows) => (rows.length > 0 ? rows : undefined)),
      'the SMS at busan',
    );
    const waiting = await seoul.ctx.db
      .selectFrom('work_items')
      .select(['status', 'queue_entered_at'])
      .where('conversation_id', '=', chat.conversationId)
      .execute();
    expect(waiting.map((w) => w.status)).toEqual(['waiting']);
    expect(Date.now() - Number(waiting[0]!.queue_entered_at)).toBeGreaterThan(1000);
    expect(
      await seoul.ctx.db
        .selectFrom('overflow_transfers')
        .select('id')
        .where('conversation_id', '=', chat.conversationId)
        .execute(),
    ).toHaveLength(0);
    expect(await atBusan('웹챗-표식 문의')).toHaveLength(0);

    // A seoul agent becomes ready: the chat is offered here (earlier waiting work is taken and closed first).
    const agent = await deskOf(seoul, 'agent1');
    expect((await deskSend(agent.socket, 'agent.setState', { commandId: cid(), state: 'ready' })).ok).toBe(
      true,
    );
    const handled = new Set<string>();
    const offer = await until(async () => {
      const mine = offerFor(agent.events, chat.conversationId);
      if (mine) return mine;
      for (const e of agent.events) {
        const item = (e.payload as { item?: WorkItemView }).item;
        if (e.type !== 'offer.created' || !item || handled.has(item.id)) continue;
        if (item.conversationId === chat.conversationId) continue;
        handled.add(item.id);
        await deskSend(agent.socket, 'offer.accept', { commandId: cid(), itemId: item.id });
        await deskSend(agent.socket, 'work.complete', { commandId: cid(), itemId: item.id });
      }
      return undefined;
    }, 'the chat offered at seoul');
    const itemId = (offer.payload as { item: WorkItemView }).item.id;
    expect((await deskSend(agent.socket, 'offer.accept', { commandId: cid(), itemId })).ok).toBe(true);
    expect((await deskSend(agent.socket, 'work.complete', { commandId: cid(), itemId })).ok).toBe(true);
    await deskSend(agent.socket, 'agent.setState', { commandId: cid(), state: 'offline' });
  });

  it('refuses remote overflow on a queue none of whose channels another center can answer, and keeps it unchanged', async () => {
    const { token } = await loginAs(seoul.url, 'manager1');
    const queues = await api<{ id: string; name: string; routing: { remoteOverflow: unknown } }[]>(
      seoul.url,
      '/api/v1/admin/queues',
      token,
    );
    const payments = queues.body.find((q) => q.name === '결제·환불')!; // web chat and voice
    const res = await api<{ error: { code: string; details: { issues: { rule: string }[] } } }>(
      seoul.url,
      `/api/v1/admin/queues/${payments.id}`,
      token,
      {
        method: 'PATCH',
        body: JSON.stringify({
          routing: { remoteOverflow: { afterSeconds: 30, siteCode: 'busan', queueName: '결제·환불' } },
        }),
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues.map((i) => i.rule)).toEqual(['remote_overflow_channels']);
    const after = await api<{ routing: { remoteOverflow: unknown } }>(
      seoul.url,
      `/api/v1/admin/queues/${payments.id}`,
      token,
    );
    expect(after.body.routing.remoteOverflow).toBeNull();
    // A mixed queue is accepted: its SMS work moves, the rest stays (the tests above).
    await configureQueue(seoul, 'manager1', '일반 문의', {
      remoteOverflow: { afterSeconds: 30, siteCode: 'busan', queueName: '일반 문의' },
    });
  });

  it('with HQ down the work stays and an agent of its own center gets it', async () => {
    await configureQueue(seoul, 'manager1', '일반 문의', {
      remoteOverflow: { afterSeconds: 1, siteCode: 'busan', queueName: '일반 문의' },
    });
    hqStopped = true;
    await hq.stop();
    const conversationId = await smsTo(seoul, 'seoul', '010-4444-5555', '본사 끊김');
    // Past the threshold and several heartbeats: the probe cannot reach HQ, nothing moves.
    await new Promise((r) => setTimeout(r, 2500));
    const waiting = await seoul.ctx.db
      .selectFrom('work_items')
      .select(['id', 'status'])
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(waiting.map((w) => w.status)).toEqual(['waiting']);
    expect(
      await seoul.ctx.db
        .selectFrom('overflow_transfers')
        .select('id')
        .where('conversation_id', '=', conversationId)
        .execute(),
    ).toHaveLength(0);
    // Routed locally: agent1 at seoul gets it offered.
    const agent = await deskOf(seoul, 'agent1');
    expect((await deskSend(agent.socket, 'agent.setState', { commandId: cid(), state: 'ready' })).ok).toBe(
      true,
    );
    await until(async () => offerFor(agent.events, conversationId), 'the offer at seoul');
  });
});
