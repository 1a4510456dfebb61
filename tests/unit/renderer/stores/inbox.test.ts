import { beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '@shared/domain';
import type { InboxItem, InboxPage } from '@shared/inbox';
import { item } from '../fixtures/inbox';
import { getInitialState, selectMessagesOf, sortConversations, useInboxStore } from '@renderer/stores/inbox';

const conversation = (
  id: string,
  lastMessageAt: string | null,
  status: Conversation['status'] = 'open',
): Conversation => ({
  id,
  siteId: 's1',
  customerId: 'cu1',
  channel: 'webchat',
  queueId: null,
  status,
  priority: 0,
  assigneeId: 'u1',
  subject: id,
  waitingSince: null,
  createdAt: '2026-01-01T00:00:00Z',
  lastMessageAt,
});

const message = (id: string, at: string): Message => ({
  id,
  conversationId: 'c1',
  direction: 'in',
  authorId: null,
  body: id,
  clientId: null,
  createdAt: at,
});

describe('inbox store', () => {
  beforeEach(() => useInboxStore.setState(getInitialState()));

  it('shows a message once whether it came from the ack, the event or the list', () => {
    const store = useInboxStore.getState();
    store.conversationsLoaded([conversation('c1', null)]);
    store.messageCreated(message('m2', '2026-01-01T00:02:00Z'));
    store.messageCreated(message('m2', '2026-01-01T00:02:00Z'));
    store.messagesLoaded('c1', [
      message('m1', '2026-01-01T00:01:00Z'),
      message('m2', '2026-01-01T00:02:00Z'),
    ]);
    const messages = selectMessagesOf('c1')(useInboxStore.getState());
    expect(messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(useInboxStore.getState().conversations['c1']?.lastMessageAt).toBe('2026-01-01T00:02:00Z');
  });

  it('sorts open work first, newest activity first', () => {
    const sorted = sortConversations([
      conversation('old', '2026-01-01T00:00:00Z'),
      conversation('done', '2026-01-03T00:00:00Z', 'resolved'),
      conversation('new', '2026-01-02T00:00:00Z'),
    ]);
    expect(sorted.map((c) => c.id)).toEqual(['new', 'old', 'done']);
  });
});

describe('inbox list, tabs and search', () => {
  const page = (items: InboxItem[], over: Partial<InboxPage> = {}): InboxPage => ({
    items,
    nextCursor: null,
    total: items.length,
    waiting: 0,
    queueSla: {},
    teamAgentIds: ['me'],
    choices: { queues: [], tags: [] },
    ...over,
  });
  const ids = () => useInboxStore.getState().list.ids;
  const at = (minute: number) => `2026-11-23T09:${String(minute).padStart(2, '0')}:00.000Z`;

  beforeEach(() => {
    useInboxStore.setState(getInitialState());
    useInboxStore.getState().setViewer('me');
  });

  it('appends pages in order and drops a page that answers an older filter', () => {
    const store = useInboxStore.getState();
    const g1 = store.filterChanged({ scope: 'mine' });
    const g2 = store.filterChanged({ scope: 'mine', status: 'open' });
    store.pageLoaded(g1, page([item('old')]));
    expect(ids()).toEqual([]);
    store.pageLoaded(
      g2,
      page([item('b', { lastMessageAt: at(5) }), item('a', { lastMessageAt: at(4) })], {
        total: 3,
        nextCursor: 'x',
      }),
    );
    store.pageLoaded(g2, page([item('z', { lastMessageAt: at(1) })], { total: null, waiting: null }));
    expect(ids()).toEqual(['b', 'a', 'z']);
    expect(useInboxStore.getState().list.total).toBe(3);
  });

  it('a reload keeps the rows shown until its first page replaces them', () => {
    const store = useInboxStore.getState();
    const g1 = store.filterChanged({ scope: 'mine' });
    store.pageLoaded(g1, page([item('b', { lastMessageAt: at(5) }), item('gone', { lastMessageAt: at(4) })]));
    const g2 = store.filterChanged({ scope: 'mine' }, true);
    expect(ids()).toEqual(['b', 'gone']);
    store.pageLoaded(g1, page([item('stale')])); // the old generation's answer
    expect(ids()).toEqual(['b', 'gone']);
    store.pageLoaded(g2, page([item('new', { lastMessageAt: at(9) }), item('b', { lastMessageAt: at(5) })]));
    expect(ids()).toEqual(['new', 'b']);
    // A changed filter does blank it.
    store.filterChanged({ scope: 'mine', status: 'resolved' }, false);
    expect(ids()).toEqual([]);
  });

  it('a live conversation goes to its place once; the page that also has it does not repeat it', () => {
    const store = useInboxStore.getState();
    const g = store.filterChanged({ scope: 'mine' });
    store.pageLoaded(g, page([item('b', { lastMessageAt: at(5) }), item('a', { lastMessageAt: at(4) })]));
    const {
      customerName: _n,
      tags: _t,
      firstResponseAt: _f,
      sla: _s,
      firstResponseDueAt: _d,
      nextResponseDueAt: _x,
      ...live
    } = item('new', { lastMessageAt: at(9), waitingSince: at(9) });
    store.liveConversation(live);
    store.liveConversation(live);
    expect(ids()).toEqual(['new', 'b', 'a']);
    expect(useInboxStore.getState().list.total).toBe(3);
    expect(useInboxStore.getState().list.waiting).toBe(1);
    store.rowsRefreshed(g, [
      item('new', { lastMessageAt: at(9), waitingSince: at(9), customerName: '박서연' }),
    ]);
    expect(ids()).toEqual(['new', 'b', 'a']);
    expect(useInboxStore.getState().list.items['new']!.customerName).toBe('박서연');
    // Assigned to someone else: it leaves "mine".
    store.liveConversation({ ...live, assigneeId: 'other' });
    expect(ids()).toEqual(['b', 'a']);
    expect(useInboxStore.getState().list.total).toBe(2);
  });

  it('an older row beyond the loaded pages is counted but left for its page', () => {
    const store = useInboxStore.getState();
    const g = store.filterChanged({ scope: 'mine' });
    store.pageLoaded(g, page([item('b', { lastMessageAt: at(5) })], { total: 10, nextCursor: 'more' }));
    const {
      customerName: _n,
      tags: _t,
      firstResponseAt: _f,
      sla: _s,
      firstResponseDueAt: _d,
      nextResponseDueAt: _x,
      ...old
    } = item('old', { lastMessageAt: at(1) });
    store.liveConversation(old);
    expect(ids()).toEqual(['b']);
    store.pageLoaded(g, page([item('old', { lastMessageAt: at(1) })], { total: null, waiting: null }));
    expect(ids()).toEqual(['b', 'old']);
  });

  it('a message moves its row to the top and starts its SLA clock', () => {
    const store = useInboxStore.getState();
    const g = store.filterChanged({ scope: 'mine' });
    store.pageLoaded(g, page([item('b', { lastMessageAt: at(5) }), item('a', { lastMessageAt: at(4) })]));
    store.messageCreated({ ...message('m1', at(7)), conversationId: 'a' });
    expect(ids()).toEqual(['a', 'b']);
    expect(useInboxStore.getState().list.items['a']!.firstResponseDueAt).toBe('2026-11-23T09:08:00.000Z');
  });

  it('counts customer messages in a tab that is not shown; viewing it reads them; the same message counts once', () => {
    const store = useInboxStore.getState();
    const g = store.filterChanged({ scope: 'mine' });
    store.pageLoaded(g, page([item('a'), item('b')]));
    store.select('a');
    store.select('b');
    expect(useInboxStore.getState().tabs).toEqual(['a', 'b']);
    const m = { ...message('m1', at(7)), conversationId: 'a' };
    store.messageCreated(m);
    store.messageCreated(m);
    store.messageCreated({ ...message('m2', at(8)), conversationId: 'a' });
    store.messageCreated({ ...message('n1', at(8)), conversationId: 'a', direction: 'note' });
    store.messageCreated({ ...message('m3', at(8)), conversationId: 'b' }); // shown: read at once
    expect(useInboxStore.getState().unread).toEqual({ a: 2 });
    store.select('a');
    expect(useInboxStore.getState().unread['a']).toBe(0);
    // Opened from the list, the conversation is known to the conversation view.
    expect(useInboxStore.getState().conversations['a']?.id).toBe('a');
  });

  it('closing the shown tab shows its neighbour', () => {
    const store = useInboxStore.getState();
    for (const id of ['a', 'b', 'c']) store.select(id);
    store.select('b');
    store.closeTab('b');
    expect(useInboxStore.getState()).toMatchObject({ tabs: ['a', 'c'], selectedId: 'c' });
    store.closeTab('c');
    store.closeTab('a');
    expect(useInboxStore.getState()).toMatchObject({ tabs: [], selectedId: null });
  });

  it('keeps only the answer to the latest search', () => {
    const store = useInboxStore.getState();
    store.searchStarted('환');
    store.searchStarted('환불');
    store.searchFinished('환', { hits: [], mode: 'recent' });
    expect(useInboxStore.getState().search).toMatchObject({ query: '환불', status: 'loading' });
    store.searchFinished('환불', {
      hits: [{ message: message('m1', at(1)), conversation: item('c1') }],
      mode: 'recent',
    });
    expect(useInboxStore.getState().search.status).toBe('done');
    store.select('c1');
    expect(useInboxStore.getState().conversations['c1']?.id).toBe('c1');
  });
});
