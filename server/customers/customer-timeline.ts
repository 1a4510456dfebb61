/**
 * One timeline of everything that happened with a customer, across channels:
 * conversations (with their last messages), calls (durations, disposition),
 * surveys (the `survey.answered` events of the site's log) and notes.
 * Newest first and paged by a cursor `<epoch ms>_<id>`: each source is read
 * only past the cursor and up to the page size, then the sources are merged.
 */
import type { Channel, ConversationStatus } from '@shared/domain';
import type { TimelineItem, TimelinePage } from '@shared/customers';
import { HubError } from '../errors';
import type { Actor } from '../context';
import { maskPii } from '../pii/pii-detectors';
import type { Db } from '../storage/database';
import { toMessage } from '../storage/rows';
import { customersDb } from './customer-tables';
import { requireCustomer } from './customer-profile';
import { mergedInto } from './customer-merge';

const LAST_MESSAGES = 3;

interface Cursor {
  at: number;
  id: string;
}

function parseCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  const m = /^(\d{1,16})_(.+)$/.exec(raw);
  if (!m) throw new HubError('VALIDATION_FAILED', 'invalid timeline cursor', { field: 'before' });
  return { at: Number(m[1]), id: m[2]! };
}

type Sortable = { atMs: number; item: TimelineItem };
const isoOf = (ms: number) => new Date(ms).toISOString();

export async function customerTimeline(
  db: Db,
  actor: Actor,
  customerId: string,
  q: { before?: string | undefined; limit: number },
): Promise<TimelinePage> {
  await requireCustomer(db, actor.siteId, customerId);
  const cursor = parseCursor(q.before);
  const take = q.limit + 1;
  const cdb = customersDb(db);
  const collected: Sortable[] = [];

  // Conversations, placed at their last message.
  let convQuery = cdb
    .selectFrom('conversations as c')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .select((eb) => [
      'c.id',
      'c.channel',
      'c.subject',
      'c.status',
      'c.created_at',
      'u.display_name',
      eb.fn.coalesce('c.last_message_at', 'c.created_at').as('at'),
    ])
    .where('c.site_id', '=', actor.siteId)
    .where('c.customer_id', '=', customerId);
  if (cursor) {
    convQuery = convQuery.where((eb) => {
      const at = eb.fn.coalesce('c.last_message_at', 'c.created_at');
      return eb.or([eb(at, '<', cursor.at), eb.and([eb(at, '=', cursor.at), eb('c.id', '<', cursor.id)])]);
    });
  }
  const conversations = await convQuery.orderBy('at', 'desc').orderBy('c.id', 'desc').limit(take).execute();
  const counts = new Map<string, number>();
  if (conversations.length > 0) {
    const rows = await cdb
      .selectFrom('messages')
      .select((eb) => ['conversation_id', eb.fn.countAll<number>().as('n')])
      .where(
        'conversation_id',
        'in',
        conversations.map((c) => c.id),
      )
      .groupBy('conversation_id')
      .execute();
    for (const r of rows) counts.set(r.conversation_id, Number(r.n));
  }
  for (const c of conversations) {
    const last = await cdb
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', c.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(LAST_MESSAGES)
      .execute();
    const atMs = Number(c.at);
    collected.push({
      atMs,
      item: {
        kind: 'conversation',
        id: c.id,
        at: isoOf(atMs),
        channel: c.channel as Channel,
        subject: c.subject,
        status: c.status as ConversationStatus,
        assigneeName: c.display_name ?? null,
        createdAt: isoOf(Number(c.created_at)),
        messageCount: counts.get(c.id) ?? 0,
        lastMessages: last.reverse().map(toMessage),
      },
    });
  }

  // Calls, placed when they were offered or dialed.
  let callQuery = cdb
    .selectFrom('calls as k')
    .leftJoin('users as u', 'u.id', 'k.agent_id')
    .leftJoin('dispositions as d', 'd.id', 'k.disposition_id')
    .select([
      'k.id',
      'k.direction',
      'k.remote',
      'k.state',
      'k.offered_at',
      'k.answered_at',
      'k.ended_at',
      'k.hold_ms',
      'k.end_reason',
      'k.note',
      'u.display_name',
      'd.code',
      'd.label',
    ])
    .where('k.site_id', '=', actor.siteId)
    .where('k.customer_id', '=', customerId);
  if (cursor) {
    callQuery = callQuery.where((eb) =>
      eb.or([
        eb('k.offered_at', '<', cursor.at),
        eb.and([eb('k.offered_at', '=', cursor.at), eb('k.id', '<', cursor.id)]),
      ]),
    );
  }
  for (const k of await callQuery
    .orderBy('k.offered_at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(take)
    .execute()) {
    const atMs = Number(k.offered_at);
    const holdMs = Number(k.hold_ms);
    const talkMs =
      k.answered_at !== null && k.ended_at !== null
        ? Math.max(0, Number(k.ended_at) - Number(k.answered_at) - holdMs)
        : null;
    collected.push({
      atMs,
      item: {
        kind: 'call',
        id: k.id,
        at: isoOf(atMs),
        direction: k.direction === 'outbound' ? 'outbound' : 'inbound',
        remote: k.remote,
        agentName: k.display_name ?? null,
        state: k.state as 'ringing' | 'answered' | 'held' | 'ended',
        endReason: k.end_reason,
        talkSeconds: talkMs === null ? null : Math.round(talkMs / 1000),
        holdSeconds: Math.round(holdMs / 1000),
        disposition: k.code !== null && k.label !== null ? { code: k.code, label: k.label } : null,
        note: k.note === null ? null : maskPii(k.note),
      },
    });
  }

  // Notes.
  let noteQuery = cdb
    .selectFrom('customer_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.body', 'n.created_at', 'u.display_name'])
    .where('n.site_id', '=', actor.siteId)
    .where('n.customer_id', '=', customerId);
  if (cursor) {
    noteQuery = noteQuery.where((eb) =>
      eb.or([
        eb('n.created_at', '<', cursor.at),
        eb.and([eb('n.created_at', '=', cursor.at), eb('n.id', '<', cursor.id)]),
      ]),
    );
  }
  for (const n of await noteQuery
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(take)
    .execute()) {
    const atMs = Number(n.created_at);
    collected.push({
      atMs,
      item: {
        kind: 'note',
        id: n.id,
        at: isoOf(atMs),
        body: maskPii(n.body),
        authorName: n.display_name ?? null,
      },
    });
  }

  // Surveys: the site log's `survey.answered` events that name this customer
  // (or a record merged into it: the log is never rewritten).
  const owners = [customerId, ...(await mergedInto(cdb, actor.siteId, customerId))];
  let surveyQuery = cdb
    .selectFrom('events')
    .select(['seq', 'payload', 'at'])
    .where('site_id', '=', actor.siteId)
    .where('type', '=', 'survey.answered')
    .where((eb) => eb.or(owners.map((id) => eb('payload', 'like', `%${id}%`))));
  if (cursor) surveyQuery = surveyQuery.where('at', '<=', cursor.at);
  for (const e of await surveyQuery
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(take + 10)
    .execute()) {
    const p = JSON.parse(e.payload) as {
      customerId?: string;
      conversationId?: string | null;
      csat?: number | null;
      nps?: number | null;
      ces?: number | null;
    };
    if (!p.customerId || !owners.includes(p.customerId)) continue;
    const atMs = Number(e.at);
    // Zero-padded so ids of the same instant compare in seq order, like the SQL sources.
    const id = `survey-${String(e.seq).padStart(12, '0')}`;
    if (cursor && !(atMs < cursor.at || (atMs === cursor.at && id < cursor.id))) continue;
    collected.push({
      atMs,
      item: {
        kind: 'survey',
        id,
        at: isoOf(atMs),
        conversationId: p.conversationId ?? null,
        csat: p.csat ?? null,
        nps: p.nps ?? null,
        ces: p.ces ?? null,
      },
    });
  }

  collected.sort((a, b) => b.atMs - a.atMs || (a.item.id < b.item.id ? 1 : a.item.id > b.item.id ? -1 : 0));
  const page = collected.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((s) => s.item),
    nextCursor: collected.length > q.limit && last ? `${last.atMs}_${last.item.id}` : null,
  };
}
