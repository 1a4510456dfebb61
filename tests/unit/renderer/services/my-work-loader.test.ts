import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import type { WorkItemView } from '@shared/protocol';

let myWork: () => Promise<Result<WorkItemView[]>> = async () => ok([]);
vi.mock('@renderer/services/api/api-client', () => ({
  createApiClient: () => ({ myWork: () => myWork() }),
}));

const { loadMyWork } = await import('@renderer/services/my-work-loader');
const {
  useOffersStore,
  getInitialState: offersInitial,
  selectCurrentOffer,
} = await import('@renderer/stores/offers');
const { useSessionStore, getInitialState: sessionInitial } = await import('@renderer/stores/session');
const { useWorkStore, getInitialState: workInitial, selectWorkOf } = await import('@renderer/stores/work');

const item = (
  id: string,
  status: WorkItemView['status'],
  extra: Partial<WorkItemView> = {},
): WorkItemView => ({
  id,
  siteId: 's1',
  conversationId: `c-${id}`,
  customerId: null,
  channel: 'webchat',
  queueId: 'q1',
  priority: 10,
  vip: false,
  status,
  agentId: 'u1',
  enqueuedAt: '2026-01-01T00:00:00.000Z',
  offerExpiresAt: null,
  acceptedAt: null,
  wrapUpUntil: null,
  ...extra,
});

describe('loadMyWork', () => {
  beforeEach(() => {
    useSessionStore.setState({
      ...sessionInitial(),
      hubUrl: 'http://hub',
      token: 't',
      user: { id: 'u1' } as User,
    });
    useWorkStore.setState(workInitial());
    useOffersStore.setState(offersInitial());
  });

  it('puts my active work in the work store and an offer still open back on the desk', async () => {
    const open = new Date(Date.now() + 15_000).toISOString();
    const gone = new Date(Date.now() - 1_000).toISOString();
    myWork = async () =>
      ok([
        item('w1', 'active'),
        item('w2', 'offered', { offerExpiresAt: open }),
        item('w3', 'offered', { offerExpiresAt: gone }),
      ]);
    await loadMyWork();
    expect(selectWorkOf('c-w1')(useWorkStore.getState())?.status).toBe('active');
    expect(selectCurrentOffer(useOffersStore.getState())?.offer.item.id).toBe('w2');
    expect(Object.keys(useOffersStore.getState().offers)).toEqual(['w2']);
  });

  it('keeps what the desk holds when the hub cannot answer', async () => {
    useWorkStore.getState().workUpdated(item('w1', 'wrap_up'), 'u1');
    myWork = async () => fail('UNAVAILABLE', 'down');
    await loadMyWork();
    expect(selectWorkOf('c-w1')(useWorkStore.getState())?.status).toBe('wrap_up');
    expect(useWorkStore.getState().touchedDuringLoad).toBeNull();
    expect(useOffersStore.getState().touchedDuringRestore).toBeNull();
  });

  it('drops an answer that arrives after sign-out', async () => {
    myWork = async () => {
      useSessionStore.setState(sessionInitial());
      return ok([item('w1', 'active')]);
    };
    await loadMyWork();
    expect(useWorkStore.getState().items).toEqual({});
  });
});
