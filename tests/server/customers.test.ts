/**
 * Customer 360 through the hub: profile, one timeline across channels, notes
 * and tags, merge and its exact undo, identity resolution, site isolation,
 * and PII masking with the audited, role-gated reveal — on SQLite and on
 * PostgreSQL, since the timeline and merge queries are hand-written.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type {
  CustomerNote,
  CustomerProfile,
  CustomerSummary,
  MergeResult,
  TimelineItem,
  TimelinePage,
  UndoMergeResult,
} from '@shared/customers';
import type { Message } from '@shared/domain';
import type { DeskEvent } from '@shared/protocol';
import { formatKoreanPhone } from '@shared/phone-number';
import { resolveIdentity } from '../../server/customers/identity-resolution';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { send, waitFor } from '../support/commands';
import { freshDatabase } from '../support/postgres';

async function freshPostgres(): Promise<string> {
  const base = inject('pgUrl');
  return freshDatabase(base, 'ieum_customers');
}

describe.each(['sqlite', 'postgres'] as const)('on %s', (kind) => {
  let hub: TestHubInProcess;
  const sockets: DeskSocket[] = [];
  const tokens: Record<string, string> = {};
  let seoulSiteId = '';
  let busanSiteId = '';

  beforeAll(async () => {
    hub = await startTestHub(kind === 'postgres' ? { db: await freshPostgres() } : {});
    for (const u of [
      'agent1',
      'agent2',
      'supervisor1',
      'manager1',
      'hq1',
      'admin1',
      'busan1',
      'supervisor2',
    ]) {
      const login = await loginAs(hub.url, u);
      tokens[u] = login.token;
      if (u === 'agent1') seoulSiteId = login.user.siteId;
      if (u === 'busan1') busanSiteId = login.user.siteId;
    }
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => hub.stop());

  let n = 0;
  const cid = () => `cmd-${Date.now()}-${++n}-customers`;
  const get = <T>(path: string, user: string) => api<T>(hub.url, path, tokens[user]!);
  const post = <T>(path: string, user: string, body: unknown) =>
    api<T>(hub.url, path, tokens[user]!, { method: 'POST', body: JSON.stringify(body) });

  /** A seoul customer with at least one conversation, and its voice number. */
  async function seoulCustomer(skip = 0) {
    const rows = await hub.ctx.db
      .selectFrom('customers')
      .innerJoin('identities', 'identities.customer_id', 'customers.id')
      .select(['customers.id', 'customers.name', 'identities.handle'])
      .where('customers.site_id', '=', seoulSiteId)
      .where('identities.channel', '=', 'voice')
      .orderBy('customers.id')
      .offset(40 + skip)
      .limit(1)
      .execute();
    return rows[0]!;
  }

  async function allTimeline(id: string, user = 'agent1', limit = 3): Promise<TimelineItem[]> {
    const items: TimelineItem[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&before=${encodeURIComponent(cursor)}` : '';
      const page: { status: number; body: TimelinePage } = await get<TimelinePage>(
        `/api/v1/customers/${id}/timeline?limit=${limit}${q}`,
        user,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  describe('profile and search', () => {
    it('returns name, phones, emails, identities, segment, lifetime value and consents', async () => {
      const c = await seoulCustomer();
      const res = await get<CustomerProfile>(`/api/v1/customers/${c.id}`, 'agent1');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: c.id,
        name: c.name,
        siteId: seoulSiteId,
        phones: [c.handle],
        mergedInto: null,
      });
      expect(res.body.emails[0]).toMatch(/@/);
      expect(res.body.identities.map((i) => i.channel).sort()).toEqual(['email', 'voice']);
      expect(res.body.consents.map((x) => x.kind)).toEqual([
        'privacy',
        'marketing',
        'third_party',
        'group_share',
      ]);
      expect(typeof res.body.lifetimeValue).toBe('number');
    });

    it('finds a customer by name, by phone in national format and by email', async () => {
      const c = await seoulCustomer(1);
      const profile = (await get<CustomerProfile>(`/api/v1/customers/${c.id}`, 'agent1')).body;
      const byPhone = await get<CustomerSummary[]>(
        `/api/v1/customers?query=${encodeURIComponent(formatKoreanPhone(c.handle))}`,
        'agent1',
      );
      expect(byPhone.body.map((s) => s.id)).toEqual([c.id]);
      const byEmail = await get<CustomerSummary[]>(`/api/v1/customers?query=${profile.emails[0]}`, 'agent1');
      expect(byEmail.body.map((s) => s.id)).toEqual([c.id]);
      const byName = await get<CustomerSummary[]>(
        `/api/v1/customers?query=${encodeURIComponent(c.name)}&limit=50`,
        'agent1',
      );
      expect(byName.body.map((s) => s.id)).toContain(c.id);
      expect(byName.body.every((s) => s.name.includes(c.name))).toBe(true);
    });
  });

  describe('timeline', () => {
    it('has the conversations and a call, newest first, across pages without gaps or repeats', async () => {
      const c = await seoulCustomer(2);
      const t0 = Date.now() - 60_000;
      const callId = `tl-call-${Date.now()}`;
      const events = [
        { callId, type: 'offered', at: t0, remote: formatKoreanPhone(c.handle) },
        { callId, type: 'answered', at: t0 + 5_000 },
        { callId, type: 'ended', at: t0 + 65_000 },
      ];
      for (const e of events) expect((await post('/api/v1/calls/events', 'agent2', e)).status).toBe(200);
      const conversations = await hub.ctx.db
        .selectFrom('conversations')
        .select('id')
        .where('customer_id', '=', c.id)
        .execute();

      const items = await allTimeline(c.id);
      const call = items.find((i) => i.kind === 'call');
      expect(call).toMatchObject({
        kind: 'call',
        talkSeconds: 60,
        direction: 'inbound',
        agentName: '이준호',
      });
      expect(
        items
          .filter((i) => i.kind === 'conversation')
          .map((i) => i.id)
          .sort(),
      ).toEqual(conversations.map((x) => x.id).sort());
      // The new call is the newest thing that happened with this customer.
      expect(items[0]!.id).toBe(call!.id);
      const times = items.map((i) => Date.parse(i.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      const conv = items.find((i) => i.kind === 'conversation');
      if (conv?.kind !== 'conversation') throw new Error('no conversation');
      expect(conv.lastMessages.length).toBeGreaterThan(0);
      expect(conv.messageCount).toBeGreaterThanOrEqual(conv.lastMessages.length);
    });

    it('shows surveys from the site log', async () => {
      const c = await seoulCustomer(3);
      await hub.ctx.db
        .insertInto('events')
        .values({
          site_id: seoulSiteId,
          seq: 9_000_000,
          type: 'survey.answered',
          payload: JSON.stringify({ conversationId: null, customerId: c.id, csat: 5, nps: 9, ces: null }),
          at: Date.now(),
        })
        .execute();
      const items = await allTimeline(c.id, 'agent1', 50);
      expect(items[0]).toMatchObject({ kind: 'survey', csat: 5, nps: 9, ces: null });
    });
  });

  describe('notes and tags', () => {
    it('adds, lists and removes notes; only the author or a supervisor removes one', async () => {
      const c = await seoulCustomer(4);
      const added = await post<CustomerNote>(`/api/v1/customers/${c.id}/notes`, 'agent1', {
        body: 'VIP 응대 요망',
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ body: 'VIP 응대 요망', authorName: '김지은' });
      const profile = await get<CustomerProfile>(`/api/v1/customers/${c.id}`, 'agent1');
      expect(profile.body.notes[0]).toMatchObject({ id: added.body.id });
      expect((await allTimeline(c.id))[0]).toMatchObject({ kind: 'note', id: added.body.id });

      const path = `/api/v1/customers/${c.id}/notes/${added.body.id}`;
      expect((await api(hub.url, path, tokens.agent2!, { method: 'DELETE' })).status).toBe(403);
      expect((await api(hub.url, path, tokens.hq1!, { method: 'DELETE' })).status).toBe(403);
      expect((await api(hub.url, path, tokens.supervisor1!, { method: 'DELETE' })).status).toBe(204);
      expect((await get<CustomerProfile>(`/api/v1/customers/${c.id}`, 'agent1')).body.notes).toEqual([]);
      expect((await post(`/api/v1/customers/${c.id}/notes`, 'agent1', { body: '   ' })).status).toBe(400);
    });

    it('replaces tags, trimmed and de-duplicated', async () => {
      const c = await seoulCustomer(5);
      const res = await api<CustomerProfile>(hub.url, `/api/v1/customers/${c.id}/tags`, tokens.agent1!, {
        method: 'PUT',
        body: JSON.stringify({ tags: ['VIP', ' 불만 ', 'VIP'] }),
      });
      expect(res.status).toBe(200);
      expect(res.body.tags).toEqual(['VIP', '불만']);
      expect((await get<CustomerProfile>(`/api/v1/customers/${c.id}`, 'agent2')).body.tags).toEqual([
        'VIP',
        '불만',
      ]);
    });
  });

  describe('merge and undo', () => {
    it('moves identities, conversations, calls and notes to the survivor, and undo restores exactly', async () => {
      const a = await seoulCustomer(6);
      const b = await seoulCustomer(7);
      await api(hub.url, `/api/v1/customers/${a.id}/tags`, tokens.agent1!, {
        method: 'PUT',
        body: JSON.stringify({ tags: ['A'] }),
      });
      await api(hub.url, `/api/v1/customers/${b.id}/tags`, tokens.agent1!, {
        method: 'PUT',
        body: JSON.stringify({ tags: ['B'] }),
      });
      await post(`/api/v1/customers/${b.id}/notes`, 'agent1', { body: 'B 메모' });
      const callId = `merge-call-${Date.now()}`;
      await post('/api/v1/calls/events', 'agent1', {
        callId,
        type: 'offered',
        at: Date.now() - 1000,
        remote: b.handle,
      });
      const beforeA = (await get<CustomerProfile>(`/api/v1/customers/${a.id}`, 'agent1')).body;
      const beforeB = (await get<CustomerProfile>(`/api/v1/customers/${b.id}`, 'agent1')).body;
      const timelineA = await allTimeline(a.id, 'agent1', 100);
      const timelineB = await allTimeline(b.id, 'agent1', 100);

      expect((await post(`/api/v1/customers/${a.id}/merge`, 'agent1', { otherId: b.id })).status).toBe(403);
      const merged = await post<MergeResult>(`/api/v1/customers/${a.id}/merge`, 'supervisor1', {
        otherId: b.id,
      });
      expect(merged.status).toBe(200);
      expect(merged.body.survivor.phones.sort()).toEqual([a.handle, b.handle].sort());
      expect(merged.body.survivor.tags).toEqual(['A', 'B']);
      expect(merged.body.survivor.notes.map((x) => x.body)).toContain('B 메모');
      const after = await allTimeline(a.id, 'agent1', 100);
      expect(after.map((i) => i.id).sort()).toEqual([...timelineA, ...timelineB].map((i) => i.id).sort());
      const gone = (await get<CustomerProfile>(`/api/v1/customers/${b.id}`, 'agent1')).body;
      expect(gone).toMatchObject({ mergedInto: a.id, identities: [] });
      // The caller's number now pops the survivor, and search no longer lists the merged record.
      const lookup = await get<{ customer: { id: string } }>(
        `/api/v1/calls/caller?number=${b.handle}`,
        'agent1',
      );
      expect(lookup.body.customer.id).toBe(a.id);
      const search = await get<CustomerSummary[]>(
        `/api/v1/customers?query=${encodeURIComponent(b.handle)}`,
        'agent1',
      );
      expect(search.body.map((s) => s.id)).toEqual([a.id]);
      // Something added to the survivor after the merge stays with it.
      const later = await post<CustomerNote>(`/api/v1/customers/${a.id}/notes`, 'agent1', {
        body: '병합 후 메모',
      });

      expect((await post(`/api/v1/customers/merges/${merged.body.mergeId}/undo`, 'agent1', {})).status).toBe(
        403,
      );
      const undone = await post<UndoMergeResult>(
        `/api/v1/customers/merges/${merged.body.mergeId}/undo`,
        'supervisor1',
        {},
      );
      expect(undone.status).toBe(200);
      expect(undone.body.restored).toEqual(beforeB);
      expect(undone.body.survivor).toEqual({ ...beforeA, notes: [later.body, ...beforeA.notes] });
      expect((await allTimeline(b.id, 'agent1', 100)).map((i) => i.id)).toEqual(timelineB.map((i) => i.id));
      expect((await allTimeline(a.id, 'agent1', 100)).map((i) => i.id)).toEqual([
        later.body.id,
        ...timelineA.map((i) => i.id),
      ]);
      const again = await post(`/api/v1/customers/merges/${merged.body.mergeId}/undo`, 'supervisor1', {});
      expect(again.status).toBe(409);

      const audits = await hub.ctx.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'in', ['customer.merged', 'customer.merge_undone'])
        .execute();
      expect(audits.map((x) => x.action).sort()).toEqual(['customer.merge_undone', 'customer.merged']);
    });
  });

  describe('identity resolution', () => {
    it('links on exact normalized matches and only suggests weak ones', async () => {
      const c = await seoulCustomer(8);
      const profile = (await get<CustomerProfile>(`/api/v1/customers/${c.id}`, 'agent1')).body;
      // Phone in national format + a new visitor id: the visitor is linked to the customer.
      const visitorId = `visitor-${Date.now()}`;
      const r1 = await resolveIdentity(hub.ctx.db, seoulSiteId, {
        phone: formatKoreanPhone(c.handle),
        visitorId,
        name: '다른 이름',
      });
      expect(r1).toMatchObject({ customerId: c.id, created: false, linked: ['webchat'] });
      // Email differently cased: same customer, nothing new to link.
      const r2 = await resolveIdentity(hub.ctx.db, seoulSiteId, { email: profile.emails[0]!.toUpperCase() });
      expect(r2).toMatchObject({ customerId: c.id, created: false, linked: [] });
      // Only the same name: a new customer, and the namesake as a candidate — not merged.
      const r3 = await resolveIdentity(
        hub.ctx.db,
        seoulSiteId,
        { name: c.name, email: `new-${Date.now()}@example.com` },
        { consents: { privacy: true } },
      );
      expect(r3.created).toBe(true);
      expect(r3.customerId).not.toBe(c.id);
      expect(r3.candidates.map((x) => x.id)).toContain(c.id);
      const created = (await get<CustomerProfile>(`/api/v1/customers/${r3.customerId}`, 'agent1')).body;
      expect(created.consents.find((x) => x.kind === 'privacy')).toMatchObject({ granted: true });
      expect(created.consents.find((x) => x.kind === 'privacy')?.at).toBeTruthy();
      // Handles that point at two records: the strongest wins, the other is a candidate.
      const other = await seoulCustomer(9);
      const r4 = await resolveIdentity(hub.ctx.db, seoulSiteId, { visitorId, phone: other.handle });
      expect(r4.customerId).toBe(c.id);
      expect(r4.candidates.map((x) => x.id)).toEqual([other.id]);
      // Another site never matches.
      const r5 = await resolveIdentity(hub.ctx.db, busanSiteId, { phone: c.handle });
      expect(r5).toMatchObject({ customerId: null, created: false, candidates: [] });
    });
  });

  describe('site isolation', () => {
    it('a user of one site never reads or changes another site’s customer', async () => {
      const c = await seoulCustomer(10);
      expect((await get(`/api/v1/customers/${c.id}`, 'busan1')).status).toBe(404);
      expect((await get(`/api/v1/customers/${c.id}/timeline`, 'busan1')).status).toBe(404);
      expect((await post(`/api/v1/customers/${c.id}/notes`, 'busan1', { body: 'x' })).status).toBe(404);
      const busanCustomer = await hub.ctx.db
        .selectFrom('customers')
        .select('id')
        .where('site_id', '=', busanSiteId)
        .executeTakeFirstOrThrow();
      expect(
        (await post(`/api/v1/customers/${c.id}/merge`, 'supervisor1', { otherId: busanCustomer.id })).status,
      ).toBe(404);
      expect(
        (await post(`/api/v1/customers/${c.id}/merge`, 'supervisor2', { otherId: busanCustomer.id })).status,
      ).toBe(404);
      const search = await get<CustomerSummary[]>(
        `/api/v1/customers?query=${encodeURIComponent(c.handle)}`,
        'busan1',
      );
      expect(search.body).toEqual([]);
    });
  });

  describe('PII in messages', () => {
    const RRN = '900101-1234567';
    const CARD = '4111-1111-1111-1111';

    async function deskOf(username: string) {
      const socket = await connectDesk(hub.url, tokens[username]!);
      sockets.push(socket);
      const events: DeskEvent[] = [];
      socket.on('event', (e) => events.push(e));
      return { socket, events };
    }

    it('masks numbers in acks, events, lists and the timeline; keeps the raw text; reveal is role-gated and audited', async () => {
      const agent = await deskOf('agent1');
      const list = await send<{ id: string; status: string; customerId: string }[]>(
        agent.socket,
        'conversation.list',
        { scope: 'mine' },
      );
      if (!list.ok) throw new Error(list.error.message);
      const conv = list.value.find((c) => c.status === 'open')!;
      const body = `주민번호 ${RRN} 카드 ${CARD} 주문 A20261234 연락처 010-1234-5678`;
      const masked = '주민번호 900101-1****** 카드 4111-****-****-1111 주문 A20261234 연락처 010-1234-5678';
      const ack = await send<Message>(agent.socket, 'message.send', {
        commandId: cid(),
        conversationId: conv.id,
        body,
        kind: 'note',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.value).toMatchObject({ body: masked, masked: true });
      const event = await waitFor(
        () => agent.events.find((e) => e.type === 'message.created' && e.payload.id === ack.value.id),
        'message.created',
      );
      expect(event.type === 'message.created' && event.payload.body).toBe(masked);

      const rest = await get<Message[]>(`/api/v1/conversations/${conv.id}/messages`, 'agent1');
      expect(rest.body.find((m) => m.id === ack.value.id)?.body).toBe(masked);
      const viaSocket = await send<Message[]>(agent.socket, 'message.list', {
        conversationId: conv.id,
        limit: 200,
      });
      expect(viaSocket.ok && viaSocket.value.find((m) => m.id === ack.value.id)?.body).toBe(masked);
      const ordinary = rest.body.find((m) => m.id !== ack.value.id)!;
      expect(ordinary.masked).toBeUndefined();
      const timeline = await allTimeline(conv.customerId, 'agent1', 50);
      const item = timeline.find((i) => i.id === conv.id);
      expect(item?.kind === 'conversation' && item.lastMessages.at(-1)?.body).toBe(masked);

      // The log and the table: the event is stored masked, the message raw.
      const stored = await hub.ctx.db
        .selectFrom('messages')
        .select('body')
        .where('id', '=', ack.value.id)
        .executeTakeFirstOrThrow();
      expect(stored.body).toBe(body);
      const logged = await hub.ctx.db
        .selectFrom('events')
        .select('payload')
        .where('type', '=', 'message.created')
        .where('payload', 'like', `%${ack.value.id}%`)
        .executeTakeFirstOrThrow();
      expect(logged.payload).not.toContain('1234567');
      expect(logged.payload).not.toContain(CARD);

      // Reveal: agents and HQ analysts may not; supervisors, site managers and admins may, one message each time.
      const reveal = (user: string) =>
        post<{ id: string; body: string }>(`/api/v1/messages/${ack.value.id}/reveal`, user, {});
      expect((await reveal('agent1')).status).toBe(403);
      expect((await reveal('hq1')).status).toBe(403);
      expect((await reveal('supervisor2')).status).toBe(404);
      for (const user of ['supervisor1', 'manager1', 'admin1']) {
        const r = await reveal(user);
        expect(r.status).toBe(200);
        expect(r.body).toEqual({ id: ack.value.id, body });
      }
      const audits = await hub.ctx.db
        .selectFrom('audit_log')
        .innerJoin('users', 'users.id', 'audit_log.actor_id')
        .select(['users.username', 'audit_log.detail', 'audit_log.target', 'audit_log.site_id'])
        .where('action', '=', 'pii.revealed')
        .where('target', '=', ack.value.id)
        .orderBy('audit_log.id')
        .execute();
      expect(audits.map((a) => a.username)).toEqual(['supervisor1', 'manager1', 'admin1']);
      expect(JSON.parse(audits[0]!.detail!)).toEqual({ conversationId: conv.id, kinds: ['rrn', 'card'] });
      expect(audits[0]!.detail).not.toContain('1234567');
      expect((await post('/api/v1/messages/no-such-message/reveal', 'supervisor1', {})).status).toBe(404);
    });
  });
});
