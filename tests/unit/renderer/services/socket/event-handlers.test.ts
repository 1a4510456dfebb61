import { beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, User } from '@shared/domain';
import type { OfferPayload, WorkItemView } from '@shared/protocol';
import { dispatchDeskEvent } from '@renderer/services/socket/event-handlers';
import { getInitialState as agentInitial, useAgentStore } from '@renderer/stores/agent';
import { getInitialState as inboxInitial, useInboxStore } from '@renderer/stores/inbox';
import { getInitialState as offersInitial, useOffersStore } from '@renderer/stores/offers';
import { getInitialState as sessionInitial, useSessionStore } from '@renderer/stores/session';
import { getInitialState as workInitial, useWorkStore } from '@renderer/stores/work';

const me: User = {
  id: 'u1',
  siteId: 's1',
  username: 'agent1',
  displayName: '김지은',
  role: 'agent',
  teamId: null,
  skills: [],
  active: true,
};

const conversation = (assigneeId: string | null): Conversation => ({
  id: 'c1',
  siteId: 's1',
  customerId: 'cu1',
  channel: 'webchat',
  queueId: null,
  status: 'open',
  priority: 0,
  assigneeId,
  subject: '배송 문의',
  waitingSince: '2026-01-01T00:00:00Z',
  createdAt: '2026-01-01T00:00:00Z',
  lastMessageAt: null,
});

const workItem: WorkItemView = {
  id: 'w1',
  siteId: 's1',
  conversationId: 'c1',
  customerId: 'cu1',
  channel: 'webchat',
  queueId: 'q1',
  priority: 10,
  vip: false,
  status: 'offered',
  agentId: 'u1',
  enqueuedAt: '2026-01-01T00:00:00.000Z',
  offerExpiresAt: '2026-01-01T00:00:20.000Z',
  acceptedAt: null,
  wrapUpUntil: null,
};

const offer: OfferPayload = {
  item: workItem,
  expiresAt: '2026-01-01T00:00:20.000Z',
  customerName: '박서연',
  subject: '배송 문의',
};

describe('event handlers', () => {
  beforeEach(() => {
    useSessionStore.setState({ ...sessionInitial(), user: me, token: 't' });
    useInboxStore.setState(inboxInitial());
    useAgentStore.setState(agentInitial());
    useOffersStore.setState(offersInitial());
    useWorkStore.setState(workInitial());
  });

  it('adds my conversations and drops one reassigned to someone else', () => {
    dispatchDeskEvent({ seq: 1, type: 'conversation.assigned', payload: conversation('u1'), at: '' });
    expect(Object.keys(useInboxStore.getState().conversations)).toEqual(['c1']);
    useInboxStore.getState().select('c1');
    dispatchDeskEvent({ seq: 2, type: 'conversation.assigned', payload: conversation('u2'), at: '' });
    expect(useInboxStore.getState().conversations).toEqual({});
    expect(useInboxStore.getState().selectedId).toBeNull();
  });

  it('applies agent state changes for me only', () => {
    const status = {
      userId: 'u2',
      state: 'ready' as const,
      reasonCodeId: null,
      since: '2026-01-01T00:00:00Z',
    };
    dispatchDeskEvent({ seq: 1, type: 'agent.state_changed', payload: status, at: '' });
    expect(useAgentStore.getState().status).toBeNull();
    dispatchDeskEvent({ seq: 2, type: 'agent.state_changed', payload: { ...status, userId: 'u1' }, at: '' });
    expect(useAgentStore.getState().status?.state).toBe('ready');
  });

  it('shows an offer, and settles it once the work item is active', () => {
    dispatchDeskEvent({ seq: 1, type: 'offer.created', payload: offer, at: '' });
    expect(useOffersStore.getState().offers.w1?.offer.customerName).toBe('박서연');
    dispatchDeskEvent({
      seq: 2,
      type: 'work.updated',
      payload: { ...workItem, status: 'active', offerExpiresAt: null },
      at: '',
    });
    expect(useOffersStore.getState().offers).toEqual({});
    expect(useWorkStore.getState().items.w1?.status).toBe('active');
  });

  it('removes a withdrawn offer with a notice for a timeout', () => {
    dispatchDeskEvent({ seq: 1, type: 'offer.created', payload: offer, at: '' });
    dispatchDeskEvent({
      seq: 2,
      type: 'offer.withdrawn',
      payload: { itemId: 'w1', reason: 'timeout' },
      at: '',
    });
    expect(useOffersStore.getState().offers).toEqual({});
    expect(useOffersStore.getState().notice?.reason).toBe('timeout');
  });

  it('drops malformed offer payloads', () => {
    dispatchDeskEvent({ seq: 1, type: 'offer.created', payload: { item: { id: 'w1' } } as never, at: '' });
    dispatchDeskEvent({
      seq: 2,
      type: 'offer.withdrawn',
      payload: { itemId: 'w1', reason: 'bored' } as never,
      at: '',
    });
    expect(useOffersStore.getState().offers).toEqual({});
    expect(useOffersStore.getState().notice).toBeNull();
  });

  it('drops a payload that does not match its event type', () => {
    dispatchDeskEvent({ seq: 1, type: 'conversation.assigned', payload: { id: 'c1' } as never, at: '' });
    expect(useInboxStore.getState().conversations).toEqual({});
  });

  it('ignores event types it does not know (a newer hub)', () => {
    expect(() =>
      dispatchDeskEvent({ seq: 1, type: 'call.answered', payload: {}, at: '' } as never),
    ).not.toThrow();
  });
});
