import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkItemView } from '@shared/protocol';
import { getInitialState, selectInWrapUp, selectWorkOf, useWorkStore } from '@renderer/stores/work';

const item = (status: WorkItemView['status'], agentId: string | null = 'u1'): WorkItemView => ({
  id: 'w1',
  siteId: 's1',
  conversationId: 'c1',
  customerId: 'cu1',
  channel: 'webchat',
  queueId: 'q1',
  priority: 10,
  vip: false,
  status,
  agentId,
  enqueuedAt: '2026-01-01T00:00:00.000Z',
  offerExpiresAt: null,
  acceptedAt: '2026-01-01T00:00:05.000Z',
  wrapUpUntil: status === 'wrap_up' ? '2026-01-01T00:05:00.000Z' : null,
});

describe('work store', () => {
  beforeEach(() => useWorkStore.setState(getInitialState()));

  it('keeps my item through active and wrap-up, and drops it when done', () => {
    const store = useWorkStore.getState();
    store.workUpdated(item('active'), 'u1');
    expect(selectWorkOf('c1')(useWorkStore.getState())?.status).toBe('active');
    expect(selectInWrapUp(useWorkStore.getState())).toBe(false);

    store.workUpdated(item('wrap_up'), 'u1');
    expect(selectWorkOf('c1')(useWorkStore.getState())?.status).toBe('wrap_up');
    expect(selectInWrapUp(useWorkStore.getState())).toBe(true);

    store.workUpdated(item('done'), 'u1');
    expect(useWorkStore.getState().items).toEqual({});
    expect(selectWorkOf('c1')(useWorkStore.getState())).toBeNull();
  });

  it('never keeps work that is not mine or not being handled', () => {
    const store = useWorkStore.getState();
    store.workUpdated(item('active', 'u2'), 'u1');
    store.workUpdated(item('offered'), 'u1');
    store.workUpdated(item('active'), null);
    expect(useWorkStore.getState().items).toEqual({});
  });

  it('drops my item when it moves to someone else', () => {
    const store = useWorkStore.getState();
    store.workUpdated(item('active'), 'u1');
    store.workUpdated(item('active', 'u2'), 'u1');
    expect(useWorkStore.getState().items).toEqual({});
  });

  it('finds no work for a conversation without one', () => {
    useWorkStore.getState().workUpdated(item('active'), 'u1');
    expect(selectWorkOf('c2')(useWorkStore.getState())).toBeNull();
    expect(selectWorkOf(null)(useWorkStore.getState())).toBeNull();
  });
});
