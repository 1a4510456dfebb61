import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkItemView } from '@shared/protocol';
import {
  getInitialState,
  selectError,
  selectPending,
  useSupervisionStore,
} from '@renderer/stores/supervision';

const item = (id: string, status: WorkItemView['status'] = 'waiting'): WorkItemView => ({
  id,
  siteId: 's1',
  conversationId: `c-${id}`,
  customerId: null,
  channel: 'webchat',
  queueId: 'q1',
  priority: 10,
  vip: false,
  status,
  agentId: status === 'waiting' ? null : 'u1',
  enqueuedAt: '2026-01-01T00:00:00.000Z',
  offerExpiresAt: null,
  acceptedAt: null,
  wrapUpUntil: null,
});

describe('supervision store', () => {
  beforeEach(() => useSupervisionStore.setState(getInitialState()));

  it('holds the wait queue in the hub’s order, leaving out anything no longer waiting', () => {
    useSupervisionStore.getState().waitingLoaded([item('w2'), item('w1', 'offered'), item('w3', 'active')]);
    expect(useSupervisionStore.getState().waiting?.map((i) => i.id)).toEqual(['w2', 'w1']);
  });

  it('takes a picked item out of the queue at once and updates one still waiting', () => {
    const store = useSupervisionStore.getState();
    store.waitingLoaded([item('w1'), item('w2')]);
    store.workChanged(item('w1', 'active'));
    expect(useSupervisionStore.getState().waiting?.map((i) => i.id)).toEqual(['w2']);
    store.workChanged({ ...item('w2', 'offered') });
    expect(useSupervisionStore.getState().waiting?.[0]?.status).toBe('offered');
    // Not in the list (or no list yet): nothing to change.
    const before = useSupervisionStore.getState().waiting;
    store.workChanged(item('w9', 'active'));
    expect(useSupervisionStore.getState().waiting).toBe(before);
  });

  it('keeps the last list when a reload fails, and clears the error with the next one', () => {
    const store = useSupervisionStore.getState();
    store.waitingLoaded([item('w1')]);
    store.waitingLoadFailed({ code: 'UNAVAILABLE', message: 'down' });
    expect(useSupervisionStore.getState().waiting).toHaveLength(1);
    expect(useSupervisionStore.getState().waitingError?.code).toBe('UNAVAILABLE');
    store.waitingLoaded([]);
    expect(useSupervisionStore.getState().waitingError).toBeNull();
  });

  it('tracks each command by what it acts on: pending, then done or a typed error', () => {
    const store = useSupervisionStore.getState();
    store.commandStarted('agent:u1');
    store.commandStarted('pick:w1');
    expect(selectPending('agent:u1')(useSupervisionStore.getState())).toBe(true);
    expect(selectPending('agent:u2')(useSupervisionStore.getState())).toBe(false);

    store.commandFailed('agent:u1', { code: 'INVALID_STATE_TRANSITION', message: 'no' });
    store.commandSucceeded('pick:w1');
    const s = useSupervisionStore.getState();
    expect(selectPending('agent:u1')(s)).toBe(false);
    expect(selectError('agent:u1')(s)?.code).toBe('INVALID_STATE_TRANSITION');
    expect(selectPending('pick:w1')(s)).toBe(false);
    expect(selectError('pick:w1')(s)).toBeNull();

    // Trying again clears the old error while it runs.
    store.commandStarted('agent:u1');
    expect(selectError('agent:u1')(useSupervisionStore.getState())).toBeNull();
    store.commandFailed('agent:u1', { code: 'FORBIDDEN', message: 'no' });
    store.dismissError('agent:u1');
    expect(selectError('agent:u1')(useSupervisionStore.getState())).toBeNull();
  });
});
