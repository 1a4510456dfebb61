/**
 * The unified inbox: the filtered, keyset-paged conversation list
 * (`inbox.list`) and message search (`inbox.search`), and the rules both ends
 * apply to keep a loaded list right as live events arrive.
 */
import { z } from 'zod';
import type { Message } from './domain';
import { Channel, Conversation, ConversationStatus, Id } from './domain';
import { type QueueSla, SlaTargets, slaDue } from './sla';

export const INBOX_SCOPES = ['mine', 'unassigned', 'team', 'all'] as const;
export const InboxScope = z.enum(INBOX_SCOPES);
export type InboxScope = z.infer<typeof InboxScope>;

export const InboxFilter = z
  .object({
    scope: InboxScope.default('mine'),
    status: ConversationStatus.optional(),
    channel: Channel.optional(),
    queueId: Id.optional(),
    tag: z.string().trim().min(1).max(50).optional(),
  })
  .strict();
export type InboxFilter = z.infer<typeof InboxFilter>;

/** Where a page ends: the last row's activity time (epoch ms) and id, `"<ms>.<id>"`. */
export const InboxCursor = z.string().regex(/^\d{1,16}\.[\w-]{1,64}$/);

/** Largest page of the list. */
export const INBOX_PAGE_MAX = 500;

export const InboxListCommand = InboxFilter.extend({
  after: InboxCursor.optional(),
  /** Only these conversations (still within the filter): the desk fills in a row an event announced. */
  ids: z.array(Id).min(1).max(100).optional(),
  limit: z.number().int().min(1).max(INBOX_PAGE_MAX).default(100),
}).strict();
export type InboxListCommand = z.input<typeof InboxListCommand>;

/** Shortest and longest search text; below 3 characters the hub searches recent messages only. */
export const SEARCH_MIN = 1;
export const SEARCH_MAX = 100;
/** Trigram indexes need 3 characters; shorter queries scan this many of the site's newest messages. */
export const SHORT_QUERY_SCAN = 20_000;

export const InboxSearchCommand = InboxFilter.extend({
  query: z.string().trim().min(SEARCH_MIN).max(SEARCH_MAX),
  limit: z.number().int().min(1).max(100).default(50),
}).strict();
export type InboxSearchCommand = z.input<typeof InboxSearchCommand>;

/** One row of the list: the conversation with what the row shows and the SLA clock. */
export const InboxItem = Conversation.extend({
  customerName: z.string().nullable(),
  tags: z.array(z.string()),
  /** The agent's first reply to the customer; null before it. */
  firstResponseAt: z.string().nullable(),
  sla: SlaTargets,
  firstResponseDueAt: z.string().nullable(),
  nextResponseDueAt: z.string().nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export interface InboxPage {
  items: InboxItem[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Counts over the whole filter, on the first page only (null on the next ones). */
  total: number | null;
  /** Of those, conversations where a customer waits for an answer. */
  waiting: number | null;
  /** Each queue's SLA setting, so the desk can set the clock of a conversation that arrives live. */
  queueSla: Record<string, QueueSla>;
  /** The viewer's team (for the `team` scope's live updates). */
  teamAgentIds: string[];
  /** The filter's choices, with the first page (null on the next ones): the site's queues and tags in use. */
  choices: { queues: { id: string; name: string }[]; tags: string[] } | null;
}

export interface SearchHit {
  /** The message as the desk displays it: personal numbers masked. */
  message: Message;
  conversation: InboxItem;
}

export interface SearchResult {
  hits: SearchHit[];
  /** `fulltext` used the trigram index; `recent` scanned the newest messages (1–2 character queries). */
  mode: 'fulltext' | 'recent';
}

// ---- Rules shared by hub and desk

/** The sort key of the list: the last activity, newest first, then id. */
export const activityOf = (c: Pick<Conversation, 'lastMessageAt' | 'createdAt'>): number =>
  Date.parse(c.lastMessageAt ?? c.createdAt);

/** Newest activity first; ties by id, descending (the hub's keyset order). */
export function compareInboxOrder(a: InboxItem, b: InboxItem): number {
  return activityOf(b) - activityOf(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export const cursorOf = (c: InboxItem): string => `${activityOf(c)}.${c.id}`;

export interface InboxViewer {
  userId: string;
  teamAgentIds: readonly string[];
}

/** Does the conversation belong in a list with this filter? (The hub's WHERE clause, for live rows.) */
export function matchesInboxFilter(
  c: Pick<InboxItem, 'assigneeId' | 'status' | 'channel' | 'queueId' | 'tags'>,
  f: InboxFilter,
  viewer: InboxViewer,
): boolean {
  if (f.scope === 'mine' && c.assigneeId !== viewer.userId) return false;
  if (f.scope === 'unassigned' && (c.assigneeId !== null || c.status === 'resolved')) return false;
  if (f.scope === 'team' && (c.assigneeId === null || !viewer.teamAgentIds.includes(c.assigneeId)))
    return false;
  if (f.status && c.status !== f.status) return false;
  if (f.channel && c.channel !== f.channel) return false;
  if (f.queueId && c.queueId !== f.queueId) return false;
  if (f.tag && !c.tags.includes(f.tag)) return false;
  return true;
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const iso = (n: number | null): string | null => (n === null ? null : new Date(n).toISOString());

/** Recomputes the due times after the conversation's clock facts changed. */
export function withSlaDue(item: InboxItem): InboxItem {
  const due = slaDue(
    { status: item.status, waitingSince: ms(item.waitingSince), firstResponseAt: ms(item.firstResponseAt) },
    item.sla,
  );
  return {
    ...item,
    firstResponseDueAt: iso(due.firstResponseDueAt),
    nextResponseDueAt: iso(due.nextResponseDueAt),
  };
}

/**
 * A message changes the row as it changes the hub's record: a customer's
 * message starts the wait (if none runs) and is the latest activity; an
 * agent's reply ends the wait and may be the first response; a note changes
 * neither.
 */
export function applyMessageToItem(item: InboxItem, m: Pick<Message, 'direction' | 'createdAt'>): InboxItem {
  if (m.direction === 'note') return item;
  const later = (a: string | null, b: string) => (a !== null && Date.parse(a) > Date.parse(b) ? a : b);
  if (m.direction === 'in') {
    return withSlaDue({
      ...item,
      waitingSince: item.waitingSince ?? m.createdAt,
      lastMessageAt: later(item.lastMessageAt, m.createdAt),
    });
  }
  return withSlaDue({
    ...item,
    waitingSince: null,
    firstResponseAt: item.firstResponseAt ?? m.createdAt,
    lastMessageAt: later(item.lastMessageAt, m.createdAt),
  });
}

/** A conversation event's fresh record over the row we hold (keeps the row's tags, name and SLA targets). */
export function mergeConversation(
  item: InboxItem | undefined,
  c: Conversation,
  slaFor: (c: Conversation) => SlaTargets,
): InboxItem {
  return withSlaDue({
    customerName: null,
    tags: [],
    firstResponseAt: null,
    sla: slaFor(c),
    ...item,
    ...c,
    firstResponseDueAt: null,
    nextResponseDueAt: null,
  });
}
