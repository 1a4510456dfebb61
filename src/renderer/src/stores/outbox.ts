/**
 * Replies and notes the desk has saved but the hub has not acked yet (the
 * offline outbox of `@shared/outbox`), for showing them as pending in their
 * conversation. The outbox itself owns storage and delivery; this slice only
 * mirrors its items.
 */
import { create } from 'zustand';
import type { OutboxItem } from '@shared/outbox';

// ---- State
export interface OutboxState {
  items: readonly OutboxItem[];
}

export const getInitialState = (): OutboxState => ({ items: [] });

// ---- Actions
export interface OutboxActions {
  itemsChanged(items: readonly OutboxItem[]): void;
  reset(): void;
}

export const useOutboxStore = create<OutboxState & OutboxActions>()((set) => ({
  ...getInitialState(),
  itemsChanged: (items) => set({ items }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
const EMPTY: OutboxItem[] = [];
const memo = new WeakMap<readonly OutboxItem[], Map<string, OutboxItem[]>>();

/** The conversation's unsent items, in the order written (stable references for React). */
export const selectOutboxOf =
  (conversationId: string | null) =>
  (s: OutboxState): OutboxItem[] => {
    if (!conversationId) return EMPTY;
    let byConversation = memo.get(s.items);
    if (!byConversation) {
      byConversation = new Map();
      for (const item of s.items) {
        const list = byConversation.get(item.conversationId) ?? [];
        list.push(item);
        byConversation.set(item.conversationId, list);
      }
      memo.set(s.items, byConversation);
    }
    return byConversation.get(conversationId) ?? EMPTY;
  };

export const selectPendingCount = (s: OutboxState): number => s.items.length;
