/**
 * The unified inbox through the hub: scopes and their authorisation, filters,
 * keyset paging, Korean full-text search (trigram index and the short-query
 * fallback) with PII masking, and the SLA due times in the list — on SQLite
 * and on PostgreSQL, since the listing and search SQL is hand-written.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Message } from '@shared/domain';
import type { InboxItem, InboxPage, SearchResult } from '@shared/inbox';
import { send } from '../support/commands';
import {
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { freshDatabase } from '../support/postgres';

async function freshPostgres(): Promise<string> {
  const base = inject('pgUrl');
  return freshDatabase(base, 'ieum_inbox');
}

const MARK = 'inboxfix';
const CARD = '4111 1111 1111 1111';

describe.each(['sqlite', 'postgres'] as const)('inbox on %s', (kind) => {
  let hub: TestHubInProcess;
  const sockets: Record<string, DeskSocket> = {};
  const users: Record<string, { id: string; siteId: string }> = {};
  let queueId = '';
  let otherQueueId = '';
  const fixture: Record<string, string> = {};
  const base = Date.now() - 3_600_000;

  async function ok<T>(who: string, name: string, payload: unknown): Promise<T> {
    const r = await send<T>(sockets[who]!, name, payload);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }

  beforeAll(async () => {
    hub = await startTestHub(kind === 'postgres' ? { db: await freshPostgres() } : {});
    for (const u of ['agent1', 'agent2', 'supervisor1', 'busan1', 'supervisor2']) {
      const { token, user } = await loginAs(hub.url, u);
      users[u] = user;
      sockets[u] = await connectDesk(hub.url, token);
    }
    const db = hub.ctx.db;
    const seoul = users['agent1']!.siteId;
    const queues = await db
      .selectFrom('queues')
      .select('id')
      .where('site_id', '=', seoul)
      .orderBy('name')
      .execute();
    queueId = queues[0]!.id;
    otherQueueId = queues[1]!.id;
    // Short, configurable targets on one queue: the list must use them.
    await db
      .updateTable('queues')
      .set({ routing_json: JSON.stringify({ sla: { firstResponseSeconds: 30, nextResponseSeconds: 45 } }) })
      .where('id', '=', queueId)
      .execute();
    const customer = await db
      .selectFrom('customers')
      .select('id')
      .where('site_id', '=', seoul)
      .executeTakeFirstOrThrow();
    // Five conversations of our own, newer than anything the demo seeded.
    const convs: [string, string | null, string, string, string][] = [
      // key, assignee, status, channel, queue
      ['waiting', users['agent1']!.id, 'open', 'webchat', queueId],
      ['answered', users['agent1']!.id, 'open', 'email', otherQueueId],
      ['free', null, 'pending', 'sms', queueId],
      ['colleague', users['agent2']!.id, 'open', 'webchat', queueId],
      ['done', null, 'resolved', 'webchat', queueId],
    ];
    let i = 0;
    for (const [key, assignee, status, channel, queue] of convs) {
      const id = `${MARK}-${key}`;
      fixture[key] = id;
      const at = Date.now() + 60_000 + i++ * 1000;
      await db
        .insertInto('conversations')
        .values({
          id,
          site_id: seoul,
          customer_id: customer.id,
          channel,
          queue_id: queue,
          status,
          priority: 0,
          assignee_id: assignee,
          subject: `${MARK} ${key}`,
          waiting_since: key === 'waiting' || key === 'answered' ? base : null,
          created_at: base,
          last_message_at: at,
        })
        .execute();
    }
    const msg = (conv: string, direction: string, body: string, at: number) => ({
      id: `${MARK}-m-${conv}-${at}`,
      site_id: seoul,
      conversation_id: fixture[conv]!,
      direction,
      author_id: direction === 'in' ? null : users['agent1']!.id,
      body,
      client_id: null,
      created_at: at,
    });
    await db
      .insertInto('messages')
      .values([
        msg('waiting', 'in', '주문하신 상품의 배송지를 변경하고 싶어요', base),
        msg('answered', 'in', 'Refund please, 환불 부탁드립니다', base - 60_000),
        msg('answered', 'out', '확인해 보겠습니다', base - 30_000),
        msg('colleague', 'in', `카드번호 ${CARD} 로 결제했어요 배송지를`, base),
        msg('done', 'in', '100% 만족_합니다', base),
      ])
      .execute();
    await db
      .insertInto('conversation_tags')
      .values({ site_id: seoul, conversation_id: fixture['answered']!, tag: 'vip', created_at: base })
      .execute();
  });

  afterAll(async () => {
    for (const s of Object.values(sockets)) s.close();
    await hub?.stop();
  });

  const ids = (items: InboxItem[]) => items.map((i) => i.id).filter((id) => id.startsWith(MARK));

  it('mine, unassigned and team scopes; all only for supervisors; never another site', async () => {
    const mine = await ok<InboxPage>('agent1', 'inbox.list', { scope: 'mine', limit: 500 });
    expect(mine.items.every((c) => c.assigneeId === users['agent1']!.id)).toBe(true);
    expect(ids(mine.items).sort()).toEqual([fixture['answered'], fixture['waiting']].sort());
    expect(mine.total).toBe(mine.items.length);

    const free = await ok<InboxPage>('agent1', 'inbox.list', { scope: 'unassigned', limit: 500 });
    expect(ids(free.items)).toEqual([fixture['free']]); // the resolved one is not waiting for anybody
    expect(free.items.every((c) => c.assigneeId === null && c.status !== 'resolved')).toBe(true);

    const team = await ok<InboxPage>('agent1', 'inbox.list', { scope: 'team', limit: 500 });
    expect(ids(team.items)).toEqual(expect.arrayContaining([fixture['colleague'], fixture['waiting']]));
    expect(team.teamAgentIds).toContain(users['agent2']!.id);
    expect(team.items.every((c) => c.assigneeId !== null && team.teamAgentIds.includes(c.assigneeId))).toBe(
      true,
    );

    const all = await send<InboxPage>(sockets['agent1']!, 'inbox.list', { scope: 'all' });
    expect(all.ok).toBe(false);
    if (!all.ok) expect(all.error.code).toBe('FORBIDDEN');

    // The older conversation.list keeps the same rule.
    const legacy = await send(sockets['agent1']!, 'conversation.list', { scope: 'all' });
    expect(legacy.ok).toBe(false);
    if (!legacy.ok) expect(legacy.error.code).toBe('FORBIDDEN');
    const everything = await ok<InboxPage>('supervisor1', 'inbox.list', { scope: 'all', limit: 500 });
    expect(ids(everything.items)).toHaveLength(5);
    const busan = await ok<InboxPage>('supervisor2', 'inbox.list', { scope: 'all', limit: 500 });
    expect(busan.items.every((c) => c.siteId === users['supervisor2']!.siteId)).toBe(true);
    expect(ids(busan.items)).toEqual([]);
    const busanSearch = await ok<SearchResult>('busan1', 'inbox.search', {
      scope: 'mine',
      query: '배송지를',
    });
    expect(busanSearch.hits).toEqual([]);
  });

  it('filters by status, channel, queue and tag', async () => {
    const q = (f: object) => ok<InboxPage>('supervisor1', 'inbox.list', { scope: 'all', limit: 500, ...f });
    expect(ids((await q({ status: 'pending' })).items)).toEqual([fixture['free']]);
    expect(ids((await q({ channel: 'email' })).items)).toEqual([fixture['answered']]);
    expect(ids((await q({ queueId: otherQueueId })).items)).toEqual([fixture['answered']]);
    const tagged = await q({ tag: 'vip' });
    expect(tagged.items.map((i) => i.id)).toEqual([fixture['answered']]);
    expect(tagged.items[0]!.tags).toEqual(['vip']);
    expect(tagged.total).toBe(1);
    expect((await q({ tag: 'nope' })).items).toEqual([]);
    const bad = await send(sockets['supervisor1']!, 'inbox.list', { scope: 'everyone' });
    expect(bad.ok).toBe(false);
  });

  it('pages by keyset: every conversation once, newest activity first, however small the page', async () => {
    const first = await ok<InboxPage>('supervisor1', 'inbox.list', { scope: 'all', limit: 37 });
    const total = first.total!;
    expect(total).toBeGreaterThan(37);
    const seen: InboxItem[] = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await ok<InboxPage>('supervisor1', 'inbox.list', {
        scope: 'all',
        limit: 37,
        after: cursor,
      });
      expect(page.total).toBeNull();
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
    const activity = seen.map((s) => Date.parse(s.lastMessageAt ?? s.createdAt));
    for (let i = 1; i < activity.length; i++) expect(activity[i]!).toBeLessThanOrEqual(activity[i - 1]!);
    // Ours are the newest five, in activity order.
    expect(seen.slice(0, 5).map((s) => s.id)).toEqual(
      ['done', 'colleague', 'free', 'answered', 'waiting'].map((k) => fixture[k]),
    );
  });

  it('searches Korean by trigram, 1–2 characters by the recent-message fallback, literally', async () => {
    // Only our fixtures: the demo's own messages mention 환불 too.
    const search = async (who: string, query: string, f: object = { scope: 'mine' }) => {
      const r = await ok<SearchResult>(who, 'inbox.search', { query, ...f });
      return { ...r, hits: r.hits.filter((h) => h.conversation.id.startsWith(MARK)) };
    };
    const long = await search('agent1', '배송지를');
    expect(long.mode).toBe('fulltext');
    expect(long.hits.map((h) => h.conversation.id)).toEqual([fixture['waiting']]);
    expect(long.hits[0]!.message.body).toContain('배송지를');
    // Supervisors see the colleague's hit too.
    const wide = await search('supervisor1', '배송지를', { scope: 'all' });
    expect(wide.hits.map((h) => h.conversation.id).sort()).toEqual(
      [fixture['colleague'], fixture['waiting']].sort(),
    );

    const short = await search('agent1', '환불');
    expect(short.mode).toBe('recent');
    expect(short.hits.map((h) => h.conversation.id)).toEqual([fixture['answered']]);
    expect((await search('agent1', '환')).hits.map((h) => h.conversation.id)).toEqual([fixture['answered']]);
    // Case-insensitive for Latin text.
    expect((await search('agent1', 'REFUND')).hits).toHaveLength(1);
    // LIKE and FTS syntax are plain text: `%`, `_` and quotes match themselves only.
    const all = { scope: 'all' };
    expect((await search('supervisor1', '100%', all)).hits.map((h) => h.conversation.id)).toEqual([
      fixture['done'],
    ]);
    expect((await search('supervisor1', '%', all)).hits.map((h) => h.conversation.id)).toEqual([
      fixture['done'],
    ]);
    expect((await search('supervisor1', '족_합', all)).hits).toHaveLength(1);
    expect((await search('supervisor1', '"OR"', all)).hits).toEqual([]);
    // Filters apply to search too.
    expect((await search('supervisor1', '배송지를', { scope: 'all', channel: 'email' })).hits).toEqual([]);
  });

  it('masks personal numbers in hits and never confirms a masked number', async () => {
    const hit = await ok<SearchResult>('supervisor1', 'inbox.search', { scope: 'all', query: '카드번호' });
    expect(hit.hits).toHaveLength(1);
    expect(hit.hits[0]!.message.body).toBe('카드번호 4111 **** **** 1111 로 결제했어요 배송지를');
    expect(hit.hits[0]!.message.masked).toBe(true);
    const probe = await ok<SearchResult>('supervisor1', 'inbox.search', {
      scope: 'all',
      query: '1111 1111 1111',
    });
    expect(probe.hits).toEqual([]);
  });

  it('finds a message the moment it is sent', async () => {
    const sent = await ok<Message>('agent1', 'message.send', {
      commandId: `cmd-${kind}-search-1`,
      conversationId: fixture['answered'],
      body: '교환 절차를 안내해 드렸습니다',
    });
    const found = await ok<SearchResult>('agent1', 'inbox.search', { scope: 'mine', query: '절차를' });
    expect(found.hits.map((h) => h.message.id)).toEqual([sent.id]);
  });

  it('carries SLA due times from the queue’s targets, and the first reply moves the clock to next response', async () => {
    const mine = await ok<InboxPage>('agent1', 'inbox.list', { scope: 'mine', limit: 500 });
    const waiting = mine.items.find((i) => i.id === fixture['waiting'])!;
    expect(waiting.sla).toEqual({ firstResponseSeconds: 30, nextResponseSeconds: 45 });
    expect(waiting.firstResponseAt).toBeNull();
    expect(Date.parse(waiting.firstResponseDueAt!)).toBe(base + 30_000);
    expect(waiting.nextResponseDueAt).toBeNull();
    expect(mine.queueSla[queueId]).toEqual({ firstResponseSeconds: 30, nextResponseSeconds: 45 });

    // The email queue has no setting: email's default, and it was answered once, so next response.
    const answered = mine.items.find((i) => i.id === fixture['answered'])!;
    expect(answered.sla).toEqual({ firstResponseSeconds: 4 * 3600, nextResponseSeconds: 8 * 3600 });
    expect(Date.parse(answered.firstResponseAt!)).toBe(base - 30_000);
    expect(answered.firstResponseDueAt).toBeNull();

    await ok<Message>('agent1', 'message.send', {
      commandId: `cmd-${kind}-sla-1`,
      conversationId: fixture['waiting'],
      body: '네, 변경해 드리겠습니다',
    });
    const after = await ok<InboxPage>('agent1', 'inbox.list', { scope: 'mine', limit: 500 });
    const replied = after.items.find((i) => i.id === fixture['waiting'])!;
    expect(replied.firstResponseAt).not.toBeNull();
    expect(replied.firstResponseDueAt).toBeNull();
    expect(replied.nextResponseDueAt).toBeNull(); // nobody waits now
    expect(after.waiting).toBe(mine.waiting! - 1);
  });
});
