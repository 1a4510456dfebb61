/**
 * The agent's own routed work that is still theirs: items being handled
 * (`active`) or wrapped up (`wrap_up`), from `work.updated` and command acks.
 */
import { create } from 'zustand';
import type { WorkItemView } from '@shared/protocol';

// ---- State
export interface WorkState {
  items: Record<string, WorkItemView>;
}

export const getInitialState = (): WorkState => ({ items: {} });

// ---- Actions
export interface WorkActions {
  /** Keeps the item while it is mine and active or in wrap-up; anything else drops it. */
  workUpdated(item: WorkItemView, myUserId: string | null): void;
  reset(): void;
}

const isMine = (item: WorkItemView, myUserId: string | null): boolean =>
  myUserId !== null && item.agentId === myUserId && (item.status === 'active' || item.status === 'wrap_up');

export const useWorkStore = create<WorkState & WorkActions>()((set) => ({
  ...getInitialState(),
  workUpdated: (item, myUserId) =>
    set((s) => {
      if (isMine(item, myUserId)) return { items: { ...s.items, [item.id]: item } };
      if (!s.items[item.id]) return {};
      const { [item.id]: _gone, ...items } = s.items;
      return { items };
    }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
/** The work item behind a conversation, if it is mine right now. */
export const selectWorkOf =
  (conversationId: string | null) =>
  (s: WorkState): WorkItemView | null => {
    if (!conversationId) return null;
    return Object.values(s.items).find((item) => item.conversationId === conversationId) ?? null;
  };
export const selectInWrapUp = (s: WorkState): boolean =>
  Object.values(s.items).some((item) => item.status === 'wrap_up');
