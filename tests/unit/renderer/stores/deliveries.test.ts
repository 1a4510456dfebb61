/** The deliveries slice: the newest state wins, from events and from listed messages alike. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Message, MessageDelivery } from '@shared/domain';
import { getInitialState, selectDelivery, useDeliveriesStore } from '@renderer/stores/deliveries';

const d = (status: MessageDelivery['status'], at: string, attempts = 1): MessageDelivery => ({
  messageId: 'm1',
  conversationId: 'c1',
  channel: 'sms',
  status,
  kind: 'sms',
  attempts,
  providerMessageId: status === 'queued' ? null : 'P1',
  reason: status === 'failed' ? 'NOT_DELIVERED' : null,
  detail: null,
  updatedAt: at,
});
const message = (delivery: MessageDelivery | null): Message => ({
  id: 'm1',
  conversationId: 'c1',
  direction: 'out',
  authorId: 'u1',
  body: 'hi',
  clientId: null,
  createdAt: '2026-11-23T10:00:00.000Z',
  delivery,
});

beforeEach(() => useDeliveriesStore.setState(getInitialState()));

describe('deliveries store', () => {
  it('moves forward on events and never back on an older one', () => {
    const s = useDeliveriesStore.getState();
    s.deliveryUpdated(d('sent', '2026-11-23T10:00:01.000Z'));
    s.deliveryUpdated(d('delivered', '2026-11-23T10:00:05.000Z'));
    s.deliveryUpdated(d('sent', '2026-11-23T10:00:01.000Z'));
    expect(useDeliveriesStore.getState().byMessageId.m1?.status).toBe('delivered');
  });

  it('prefers a listed message’s delivery when it is newer than the last event', () => {
    useDeliveriesStore.getState().deliveryUpdated(d('sent', '2026-11-23T10:00:01.000Z'));
    const listed = message(d('delivered', '2026-11-23T10:00:09.000Z'));
    expect(selectDelivery(listed)(useDeliveriesStore.getState())?.status).toBe('delivered');
    const stale = message(d('queued', '2026-11-23T10:00:00.000Z', 0));
    expect(selectDelivery(stale)(useDeliveriesStore.getState())?.status).toBe('sent');
    expect(selectDelivery(message(null))(getInitialState())).toBeNull();
  });
});
