import { beforeEach, describe, expect, it } from 'vitest';
import type { OfferPayload, WorkItemView } from '@shared/protocol';
import { getInitialState, selectCurrentOffer, useOffersStore } from '@renderer/stores/offers';

const item = (id: string): WorkItemView => ({
  id,
  siteId: 's1',
  conversationId: `c-${id}`,
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
});

const offer = (id: string, expiresAt = '2026-01-01T00:00:20.000Z'): OfferPayload => ({
  item: { ...item(id), offerExpiresAt: expiresAt },
  expiresAt,
  customerName: '박서연',
  subject: '배송 문의',
});

describe('offers store', () => {
  beforeEach(() => useOffersStore.setState(getInitialState()));

  it('shows the offer that runs out first', () => {
    const store = useOffersStore.getState();
    store.offerCreated(offer('w1', '2026-01-01T00:00:30.000Z'));
    store.offerCreated(offer('w2', '2026-01-01T00:00:10.000Z'));
    expect(selectCurrentOffer(useOffersStore.getState())?.offer.item.id).toBe('w2');
    useOffersStore.getState().offerSettled('w2');
    expect(selectCurrentOffer(useOffersStore.getState())?.offer.item.id).toBe('w1');
  });

  it('leaves a notice when the hub takes an offer away, but not for my own reject', () => {
    const store = useOffersStore.getState();
    store.offerCreated(offer('w1'));
    store.offerCreated(offer('w2'));
    store.offerWithdrawn({ itemId: 'w1', reason: 'rejected' });
    expect(useOffersStore.getState().offers.w1).toBeUndefined();
    expect(useOffersStore.getState().notice).toBeNull();

    store.offerWithdrawn({ itemId: 'w2', reason: 'timeout' });
    expect(useOffersStore.getState().offers).toEqual({});
    expect(useOffersStore.getState().notice).toEqual({
      itemId: 'w2',
      reason: 'timeout',
      customerName: '박서연',
    });
    store.dismissNotice();
    expect(useOffersStore.getState().notice).toBeNull();
  });

  it('ignores a withdrawal of an offer it never showed (e.g. already accepted)', () => {
    useOffersStore.getState().offerWithdrawn({ itemId: 'w9', reason: 'timeout' });
    expect(useOffersStore.getState().notice).toBeNull();
  });

  it('tracks a pending answer and its failure on the offer', () => {
    const store = useOffersStore.getState();
    store.offerCreated(offer('w1'));
    store.responseStarted('w1');
    expect(useOffersStore.getState().offers.w1?.responding).toBe(true);
    store.responseFailed('w1', { code: 'INVALID_STATE_TRANSITION', message: 'gone' });
    expect(useOffersStore.getState().offers.w1).toMatchObject({
      responding: false,
      error: { code: 'INVALID_STATE_TRANSITION' },
    });
    // Answering again clears the error.
    store.responseStarted('w1');
    expect(useOffersStore.getState().offers.w1?.error).toBeNull();
    // Unknown ids change nothing.
    store.responseStarted('nope');
    expect(Object.keys(useOffersStore.getState().offers)).toEqual(['w1']);
  });

  it('a new offer for an item replaces its old notice', () => {
    const store = useOffersStore.getState();
    store.offerCreated(offer('w1'));
    store.offerWithdrawn({ itemId: 'w1', reason: 'agent_unavailable' });
    expect(useOffersStore.getState().notice?.itemId).toBe('w1');
    store.offerCreated(offer('w1'));
    expect(useOffersStore.getState().notice).toBeNull();
  });
});

describe('offers store: offers brought back from the hub list', () => {
  beforeEach(() => useOffersStore.setState(getInitialState()));
  const at = (iso: string) => Date.parse(iso);

  it('re-shows my offered item while its offer is still open, without customer details', () => {
    const store = useOffersStore.getState();
    store.restoreStarted();
    store.offersRestored([item('w1')], 'u1', at('2026-01-01T00:00:05.000Z'));
    const current = selectCurrentOffer(useOffersStore.getState());
    expect(current?.offer).toEqual({
      item: item('w1'),
      expiresAt: '2026-01-01T00:00:20.000Z',
      customerName: null,
      subject: null,
    });
    expect(current?.responding).toBe(false);
    expect(useOffersStore.getState().touchedDuringRestore).toBeNull();
  });

  it('leaves out expired offers, other agents’ offers and work past the offer', () => {
    useOffersStore.getState().restoreStarted();
    useOffersStore
      .getState()
      .offersRestored(
        [
          item('w1'),
          { ...item('w2'), agentId: 'u2' },
          { ...item('w3'), status: 'active', offerExpiresAt: null },
          { ...item('w4'), offerExpiresAt: null },
        ],
        'u1',
        at('2026-01-01T00:00:20.000Z'),
      );
    expect(useOffersStore.getState().offers).toEqual({});
  });

  it('keeps the offer.created payload it already has, and does not bring back one withdrawn meanwhile', () => {
    const store = useOffersStore.getState();
    store.restoreStarted();
    store.offerCreated(offer('w1'));
    store.offerCreated(offer('w2'));
    useOffersStore.getState().offerWithdrawn({ itemId: 'w2', reason: 'timeout' });
    useOffersStore.getState().offersRestored([item('w1'), item('w2')], 'u1', at('2026-01-01T00:00:05.000Z'));
    const offers = useOffersStore.getState().offers;
    expect(Object.keys(offers)).toEqual(['w1']);
    expect(offers['w1']?.offer.customerName).toBe('박서연');
  });

  it('does not bring back an offer settled (accepted) while the list was on its way', () => {
    useOffersStore.getState().restoreStarted();
    useOffersStore.getState().offerSettled('w1');
    useOffersStore.getState().offersRestored([item('w1')], 'u1', at('2026-01-01T00:00:05.000Z'));
    expect(useOffersStore.getState().offers).toEqual({});
  });
});
