import { beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '@shared/domain';
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
