/**
 * Where each outbound SMS, messenger or email message stands
 * (`queued → sent → delivered | failed`), by message id. Fed by the
 * messages themselves (their `delivery` when listed or created) and by
 * `message.delivery_updated` events; the newest state wins, so a snapshot
 * read after an event never moves a message back.
 */
import { create } from 'zustand';
import type { Message, MessageDelivery } from '@shared/domain';

// ---- State
export interface DeliveriesState {
  byMessageId: Record<string, MessageDelivery>;
}

export const getInitialState = (): DeliveriesState => ({ byMessageId: {} });

// ---- Actions
export interface DeliveriesActions {
  deliveryUpdated(delivery: MessageDelivery): void;
  messagesSeen(messages: readonly Message[]): void;
  reset(): void;
}

const RANK: Record<MessageDelivery['status'], number> = { queued: 0, sent: 1, delivered: 2, failed: 2 };

/** Is `next` newer than `current`? Later update first; on a tie, the further status. */
function newer(current: MessageDelivery | undefined, next: MessageDelivery): boolean {
  if (!current) return true;
  const a = Date.parse(current.updatedAt);
  const b = Date.parse(next.updatedAt);
  if (b !== a) return b > a;
  return RANK[next.status] > RANK[current.status] || next.attempts > current.attempts;
}

export const useDeliveriesStore = create<DeliveriesState & DeliveriesActions>()((set) => ({
  ...getInitialState(),
  deliveryUpdated: (delivery) =>
    set((s) =>
      newer(s.byMessageId[delivery.messageId], delivery)
        ? { byMessageId: { ...s.byMessageId, [delivery.messageId]: delivery } }
        : s,
    ),
  messagesSeen: (messages) =>
    set((s) => {
      let changed = false;
      const next = { ...s.byMessageId };
      for (const m of messages) {
        if (m.delivery && newer(next[m.id], m.delivery)) {
          next[m.id] = m.delivery;
          changed = true;
        }
      }
      return changed ? { byMessageId: next } : s;
    }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectDelivery =
  (message: Pick<Message, 'id' | 'delivery'>) =>
  (s: DeliveriesState): MessageDelivery | null => {
    const live = s.byMessageId[message.id];
    if (!message.delivery) return live ?? null;
    return newer(live, message.delivery) ? message.delivery : live!;
  };
