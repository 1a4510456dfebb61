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

describe('work store: the hub list after a (re)connect', () => {
  beforeEach(() => useWorkStore.setState(getInitialState()));
  const other = (status: WorkItemView['status'], agentId: string | null = 'u1'): WorkItemView => ({
    ...item(status, agentId),
    id: 'w2',
    conversationId: 'c2',
  });

  it('brings back my active and wrap-up work after a reload, and nothing else', () => {
    const store = useWorkStore.getState();
    store.loadStarted();
    store.workLoaded([item('active'), other('wrap_up'), { ...item('offered'), id: 'w3' }], 'u1');
    expect(selectWorkOf('c1')(useWorkStore.getState())?.status).toBe('active');
    expect(selectWorkOf('c2')(useWorkStore.getState())?.status).toBe('wrap_up');
    expect(Object.keys(useWorkStore.getState().items).sort()).toEqual(['w1', 'w2']);
    expect(useWorkStore.getState().touchedDuringLoad).toBeNull();
  });

  it('drops work the hub no longer lists as mine (finished while we were away)', () => {
    useWorkStore.getState().workUpdated(item('active'), 'u1');
    useWorkStore.getState().loadStarted();
    useWorkStore.getState().workLoaded([], 'u1');
    expect(useWorkStore.getState().items).toEqual({});
  });

  it('lets events that arrive while the list is on its way win over it', () => {
    const store = useWorkStore.getState();
    store.loadStarted();
    // Finished (done) and a new item accepted while the request was out.
    store.workUpdated(item('done'), 'u1');
    store.workUpdated(other('active'), 'u1');
    store.workLoaded([item('active')], 'u1');
    expect(useWorkStore.getState().items['w1']).toBeUndefined();
    expect(useWorkStore.getState().items['w2']?.status).toBe('active');
  });

  it('keeps what it holds when the list cannot be read, and stops noting changes', () => {
    const store = useWorkStore.getState();
    store.workUpdated(item('active'), 'u1');
    store.loadStarted();
    store.loadFailed();
    expect(useWorkStore.getState().items['w1']?.status).toBe('active');
    expect(useWorkStore.getState().touchedDuringLoad).toBeNull();
    store.workUpdated(other('active'), 'u1');
    expect(useWorkStore.getState().touchedDuringLoad).toBeNull();
  });
});
