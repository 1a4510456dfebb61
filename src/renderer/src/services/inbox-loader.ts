/**
 * Feeds the inbox list and search from the hub: the first page when the
 * filter changes, the next page when the list scrolls near the end of what is
 * loaded, and the search for the search box's (debounced) text. Answers for
 * an older filter or query are dropped by the store.
 */
import type { InboxFilter } from '@shared/inbox';
import { createLogger } from '@renderer/lib/log';
import { useInboxStore } from '@renderer/stores/inbox';
import { useSessionStore } from '@renderer/stores/session';
import { deskSync } from './desk-session';

const log = createLogger('inbox-loader');

/** Rows per page: a screenful many times over, small enough to arrive in a frame or two. */
export const INBOX_PAGE_SIZE = 200;
/** Wait this long after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 250;

async function loadPage(generation: number): Promise<void> {
  const sync = deskSync();
  const inbox = useInboxStore.getState();
  if (!sync || inbox.list.generation !== generation) return;
  const { filter, list } = inbox;
  inbox.pageRequested();
  const result = await sync.request('inbox.list', {
    ...filter,
    limit: INBOX_PAGE_SIZE,
    ...(list.nextCursor ? { after: list.nextCursor } : {}),
  });
  if (result.ok) useInboxStore.getState().pageLoaded(generation, result.value);
  else {
    useInboxStore.getState().pageFailed(generation);
    log.warn('inbox.list failed', result.error);
  }
}

/** Starts the list over with `filter`; `keepRows` shows the old rows until the new first page is in. */
export function setInboxFilter(filter: InboxFilter, keepRows = false): Promise<void> {
  const inbox = useInboxStore.getState();
  inbox.setViewer(useSessionStore.getState().user?.id ?? null);
  const generation = inbox.filterChanged(filter, keepRows);
  const query = inbox.search.query;
  if (query) void runSearch(query);
  return loadPage(generation);
}

/** After a (re)connect: the same filter, fresh from the hub, without blanking the list meanwhile. */
export function reloadInbox(): Promise<void> {
  return setInboxFilter(useInboxStore.getState().filter, true);
}

/** The list scrolled near its loaded end: the next page, once. */
export function loadMoreIfNeeded(lastVisibleIndex: number): void {
  const { list } = useInboxStore.getState();
  if (!list.loaded || list.loadingPage || list.nextCursor === null) return;
  if (lastVisibleIndex < list.ids.length - INBOX_PAGE_SIZE / 4) return;
  void loadPage(list.generation);
}

/** An event announced a conversation the list shows without its details: ask the hub for its row. */
export async function refreshRow(conversationId: string): Promise<void> {
  const sync = deskSync();
  const { list, filter } = useInboxStore.getState();
  if (!sync || !list.loaded) return;
  const result = await sync.request('inbox.list', { ...filter, ids: [conversationId], limit: 1 });
  if (result.ok) useInboxStore.getState().rowsRefreshed(list.generation, result.value.items);
  else log.warn('inbox.list (row) failed', result.error);
}

export async function runSearch(query: string): Promise<void> {
  const text = query.trim();
  const inbox = useInboxStore.getState();
  if (!text) {
    inbox.searchCleared();
    return;
  }
  inbox.searchStarted(text);
  const sync = deskSync();
  if (!sync) return;
  const result = await sync.request('inbox.search', { ...inbox.filter, query: text });
  if (!result.ok) log.warn('inbox.search failed', result.error);
  useInboxStore.getState().searchFinished(text, result.ok ? result.value : null);
}
