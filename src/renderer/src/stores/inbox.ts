/**
 * The inbox: conversations and their messages, the filtered list the desk
 * shows (loaded page by page from `inbox.list`), the search results, and the
 * conversations open as tabs with their unread counts.
 *
 * `conversations` holds every conversation the desk knows as a record (mine
 * from `conversation.list`, and any opened from the list); `list` is the
 * ordered, filtered view. Every write is an upsert by id, so a row or message
 * seen from a page, a snapshot and an event shows once.
 */
import { create } from 'zustand';
import type { Conversation, Message } from '@shared/domain';
import {
  type InboxFilter,
  type InboxItem,
  type InboxPage,
  type SearchResult,
  applyMessageToItem,
  compareInboxOrder,
  matchesInboxFilter,
  mergeConversation,
} from '@shared/inbox';
import { type QueueSla, resolveSlaTargets } from '@shared/sla';

// ---- State
export interface InboxList {
  /** Row ids in list order (newest activity first); may be shorter than `total` until more pages load. */
  ids: string[];
  items: Record<string, InboxItem>;
  total: number;
  waiting: number;
  nextCursor: string | null;
  /** A page request is under way. */
  loadingPage: boolean;
  /** The first page has arrived for the current filter. */
  loaded: boolean;
  /** Bumped when the filter changes: a page for an older filter is dropped. */
  generation: number;
  /** A reload (same filter, e.g. after a reconnect): the rows stay shown until the first page replaces them. */
  replacing: boolean;
}

export interface InboxSearch {
  query: string;
  status: 'idle' | 'loading' | 'done' | 'failed';
  result: SearchResult | null;
}

export interface InboxState {
  conversations: Record<string, Conversation>;
  /** Messages per conversation, oldest first. */
  messages: Record<string, Message[]>;
  selectedId: string | null;
  loading: boolean;
  filter: InboxFilter;
  list: InboxList;
  search: InboxSearch;
  /** Who is looking (for the scope rules on live rows). */
  viewer: { userId: string | null; teamAgentIds: string[] };
  queueSla: Record<string, QueueSla>;
  /** What the queue and tag filters offer (from the hub's first page). */
  choices: NonNullable<InboxPage['choices']>;
  /** Conversations open as tabs, in the order opened. */
  tabs: string[];
  /** Customer messages that arrived in an open tab while another was shown. */
  unread: Record<string, number>;
}

const emptyList = (generation = 0): InboxList => ({
  ids: [],
  items: {},
  total: 0,
  waiting: 0,
  nextCursor: null,
  loadingPage: false,
  loaded: false,
  generation,
  replacing: false,
});

export const getInitialState = (): InboxState => ({
  conversations: {},
  messages: {},
  selectedId: null,
  loading: false,
  filter: { scope: 'mine' },
  list: emptyList(),
  search: { query: '', status: 'idle', result: null },
  viewer: { userId: null, teamAgentIds: [] },
  queueSla: {},
  choices: { queues: [], tags: [] },
  tabs: [],
  unread: {},
});

// ---- Actions
export interface InboxActions {
  setLoading(loading: boolean): void;
  conversationsLoaded(list: Conversation[]): void;
  conversationChanged(conversation: Conversation): void;
  /** No longer mine (reassigned): drop it from the list. */
  conversationRemoved(conversationId: string): void;
  messagesLoaded(conversationId: string, list: Message[]): void;
  messageCreated(message: Message): void;
  /** Shows the conversation, opening it as a tab; it is read once viewed. */
  select(conversationId: string | null): void;
  closeTab(conversationId: string): void;
  setViewer(userId: string | null): void;
  /**
   * A new filter: the list starts over (returns the new generation for the
   * page request). With `keepRows` (the same filter, reloaded) the rows stay
   * until the first page replaces them, so a reconnect doesn't blank the list.
   */
  filterChanged(filter: InboxFilter, keepRows?: boolean): number;
  pageRequested(): void;
  pageFailed(generation: number): void;
  pageLoaded(generation: number, page: InboxPage): void;
  /** A conversation event: the list row follows it (added, moved, or dropped when it no longer matches). */
  liveConversation(conversation: Conversation): void;
  /** Full rows for conversations an event announced (name, tags, first reply), from the hub. */
  rowsRefreshed(generation: number, items: InboxItem[]): void;
  searchStarted(query: string): void;
  searchFinished(query: string, result: SearchResult | null): void;
  searchCleared(): void;
  reset(): void;
}

const byCreatedAt = (a: Message, b: Message): number =>
  a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : Date.parse(a.createdAt) - Date.parse(b.createdAt);

function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort(byCreatedAt);
}

const isWaiting = (c: InboxItem | undefined): number =>
  c && c.waitingSince !== null && c.status !== 'resolved' ? 1 : 0;

/**
 * Puts `item` at its place in the list (or takes it out when it no longer
 * matches). A row that would sort below the last loaded row while more pages
 * remain is left for its page, which then finds it counted already.
 */
export function placeInList(list: InboxList, item: InboxItem, matches: boolean): InboxList {
  const before = list.items[item.id];
  const ids = before ? list.ids.filter((id) => id !== item.id) : list.ids;
  const items = { ...list.items };
  if (!matches) {
    if (!before) return list;
    delete items[item.id];
    return {
      ...list,
      ids,
      items,
      total: Math.max(0, list.total - 1),
      waiting: list.waiting - isWaiting(before),
    };
  }
  // Binary search for the first row that sorts after the item.
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareInboxOrder(items[ids[mid]!]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  const counted = before ? 0 : 1;
  const total = list.total + counted;
  const waiting = list.waiting - isWaiting(before) + isWaiting(item);
  if (lo === ids.length && list.nextCursor !== null) {
    // Beyond what is loaded: its page brings it.
    delete items[item.id];
    return { ...list, ids, items, total, waiting };
  }
  items[item.id] = item;
  return { ...list, ids: [...ids.slice(0, lo), item.id, ...ids.slice(lo)], items, total, waiting };
}

export const useInboxStore = create<InboxState & InboxActions>()((set, get) => {
  const slaFor = (c: Conversation) =>
    resolveSlaTargets(c.channel, c.queueId ? get().queueSla[c.queueId] : undefined);
  const viewerOf = (s: InboxState) => ({
    userId: s.viewer.userId ?? '',
    teamAgentIds: s.viewer.teamAgentIds,
  });

  return {
    ...getInitialState(),
    setLoading: (loading) => set({ loading }),
    conversationsLoaded: (list) =>
      set((s) => ({
        loading: false,
        conversations: { ...s.conversations, ...Object.fromEntries(list.map((c) => [c.id, c])) },
      })),
    conversationChanged: (conversation) =>
      set((s) => ({ conversations: { ...s.conversations, [conversation.id]: conversation } })),
    conversationRemoved: (conversationId) =>
      set((s) => {
        const { [conversationId]: _removed, ...conversations } = s.conversations;
        return { conversations, selectedId: s.selectedId === conversationId ? null : s.selectedId };
      }),
    messagesLoaded: (conversationId, list) =>
      set((s) => ({
        messages: { ...s.messages, [conversationId]: mergeMessages(s.messages[conversationId] ?? [], list) },
      })),
    messageCreated: (message) =>
      set((s) => {
        const id = message.conversationId;
        const known = s.messages[id] ?? [];
        const isNew = !known.some((m) => m.id === message.id);
        const conversation = s.conversations[id];
        const row = s.list.items[id];
        const unseen = isNew && message.direction === 'in' && s.tabs.includes(id) && s.selectedId !== id;
        return {
          messages: { ...s.messages, [id]: mergeMessages(known, [message]) },
          conversations: conversation
            ? { ...s.conversations, [id]: { ...conversation, lastMessageAt: message.createdAt } }
            : s.conversations,
          list: row && isNew ? placeInList(s.list, applyMessageToItem(row, message), true) : s.list,
          unread: unseen ? { ...s.unread, [id]: (s.unread[id] ?? 0) + 1 } : s.unread,
        };
      }),
    select: (selectedId) =>
      set((s) => {
        if (selectedId === null) return { selectedId };
        const row =
          s.list.items[selectedId] ??
          s.search.result?.hits.find((h) => h.conversation.id === selectedId)?.conversation;
        return {
          selectedId,
          tabs: s.tabs.includes(selectedId) ? s.tabs : [...s.tabs, selectedId],
          unread: s.unread[selectedId] ? { ...s.unread, [selectedId]: 0 } : s.unread,
          // Opened from the list (e.g. a colleague's): the conversation view reads it from here.
          conversations:
            row && !s.conversations[selectedId] ? { ...s.conversations, [selectedId]: row } : s.conversations,
        };
      }),
    closeTab: (conversationId) =>
      set((s) => {
        const at = s.tabs.indexOf(conversationId);
        if (at < 0) return {};
        const tabs = s.tabs.filter((id) => id !== conversationId);
        const { [conversationId]: _read, ...unread } = s.unread;
        const selectedId =
          s.selectedId === conversationId ? (tabs[Math.min(at, tabs.length - 1)] ?? null) : s.selectedId;
        return { tabs, unread, selectedId };
      }),
    setViewer: (userId) => set((s) => ({ viewer: { ...s.viewer, userId } })),
    filterChanged: (filter, keepRows = false) => {
      const { list } = get();
      const generation = list.generation + 1;
      set({
        filter,
        list:
          keepRows && list.loaded
            ? { ...list, generation, replacing: true, nextCursor: null, loadingPage: false }
            : emptyList(generation),
      });
      return generation;
    },
    pageRequested: () => set((s) => ({ list: { ...s.list, loadingPage: true } })),
    pageFailed: (generation) =>
      set((s) => (s.list.generation === generation ? { list: { ...s.list, loadingPage: false } } : {})),
    pageLoaded: (generation, page) =>
      set((s) => {
        if (s.list.generation !== generation) return {};
        const items = s.list.replacing ? {} : { ...s.list.items };
        const ids = s.list.replacing ? [] : [...s.list.ids];
        for (const item of page.items) {
          // Already here from an event: keep one row (the page's copy is as fresh).
          if (!items[item.id]) ids.push(item.id);
          items[item.id] = item;
        }
        return {
          queueSla: page.queueSla,
          choices: page.choices ?? s.choices,
          viewer: { ...s.viewer, teamAgentIds: page.teamAgentIds },
          list: {
            ...s.list,
            ids,
            items,
            total: page.total ?? s.list.total,
            waiting: page.waiting ?? s.list.waiting,
            nextCursor: page.nextCursor,
            loadingPage: false,
            loaded: true,
            replacing: false,
          },
        };
      }),
    liveConversation: (conversation) =>
      set((s) => {
        if (!s.list.loaded) return {};
        const item = mergeConversation(s.list.items[conversation.id], conversation, slaFor);
        return { list: placeInList(s.list, item, matchesInboxFilter(item, s.filter, viewerOf(s))) };
      }),
    rowsRefreshed: (generation, items) =>
      set((s) => {
        if (s.list.generation !== generation) return {};
        let list = s.list;
        for (const item of items)
          list = placeInList(list, item, matchesInboxFilter(item, s.filter, viewerOf(s)));
        return { list };
      }),
    searchStarted: (query) => set((s) => ({ search: { query, status: 'loading', result: s.search.result } })),
    searchFinished: (query, result) =>
      set((s) =>
        s.search.query === query ? { search: { query, status: result ? 'done' : 'failed', result } } : {},
      ),
    searchCleared: () => set({ search: { query: '', status: 'idle', result: null } }),
    reset: () => set(getInitialState()),
  };
});

// ---- Selectors
const EMPTY: Message[] = [];

/** Open work first, then the most recent activity. */
export function sortConversations(list: Conversation[]): Conversation[] {
  const rank = (c: Conversation): number => (c.status === 'resolved' ? 1 : 0);
  const last = (c: Conversation): number => Date.parse(c.lastMessageAt ?? c.createdAt);
  return [...list].sort((a, b) => rank(a) - rank(b) || last(b) - last(a));
}

export const selectConversations = (s: InboxState): Record<string, Conversation> => s.conversations;
/** Conversations where a customer is waiting for an answer: the desk's badge. */
export const selectWaitingCount = (s: InboxState): number =>
  Object.values(s.conversations).filter((c) => c.waitingSince !== null && c.status !== 'resolved').length;
export const selectSelected = (s: InboxState): Conversation | null =>
  s.selectedId ? (s.conversations[s.selectedId] ?? null) : null;
export const selectMessagesOf =
  (conversationId: string | null) =>
  (s: InboxState): Message[] =>
    (conversationId && s.messages[conversationId]) || EMPTY;
/** The row of a conversation, wherever the desk has it (list, search hit or record). */
export const selectRowOf =
  (conversationId: string) =>
  (s: InboxState): InboxItem | Conversation | null =>
    s.list.items[conversationId] ??
    s.search.result?.hits.find((h) => h.conversation.id === conversationId)?.conversation ??
    s.conversations[conversationId] ??
    null;
