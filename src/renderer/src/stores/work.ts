/**
 * The agent's own routed work that is still theirs: items being handled
 * (`active`) or wrapped up (`wrap_up`), from `work.updated`, command acks and
 * — after each (re)connect — the hub's list (`GET /routing/my-work`), so
 * Finish and End wrap-up survive a reload.
 */
import { create } from 'zustand';
import type { WorkItemView } from '@shared/protocol';

// ---- State
export interface WorkState {
  items: Record<string, WorkItemView>;
  /**
   * Items an event or ack changed while the hub's list was on its way (null
   * when no list is loading): the list may predate them, so they keep what
   * the event said.
   */
  touchedDuringLoad: Record<string, true> | null;
}

export const getInitialState = (): WorkState => ({ items: {}, touchedDuringLoad: null });

// ---- Actions
export interface WorkActions {
  /** Keeps the item while it is mine and active or in wrap-up; anything else drops it. */
  workUpdated(item: WorkItemView, myUserId: string | null): void;
  /** The hub's list is being asked for: note what changes meanwhile. */
  loadStarted(): void;
  /** The hub's list of my work replaces what we hold, except items changed since `loadStarted`. */
  workLoaded(list: readonly WorkItemView[], myUserId: string | null): void;
  /** The list could not be read: keep what we hold. */
  loadFailed(): void;
  reset(): void;
}

const isMine = (item: WorkItemView, myUserId: string | null): boolean =>
  myUserId !== null && item.agentId === myUserId && (item.status === 'active' || item.status === 'wrap_up');

export const useWorkStore = create<WorkState & WorkActions>()((set) => ({
  ...getInitialState(),
  workUpdated: (item, myUserId) =>
    set((s) => {
      const touchedDuringLoad = s.touchedDuringLoad && { ...s.touchedDuringLoad, [item.id]: true as const };
      if (isMine(item, myUserId)) return { items: { ...s.items, [item.id]: item }, touchedDuringLoad };
      if (!s.items[item.id]) return { touchedDuringLoad };
      const { [item.id]: _gone, ...items } = s.items;
      return { items, touchedDuringLoad };
    }),
  loadStarted: () => set({ touchedDuringLoad: {} }),
  workLoaded: (list, myUserId) =>
    set((s) => {
      const touched = s.touchedDuringLoad ?? {};
      const items: Record<string, WorkItemView> = {};
      for (const item of list) if (!touched[item.id] && isMine(item, myUserId)) items[item.id] = item;
      for (const id of Object.keys(touched)) if (s.items[id]) items[id] = s.items[id];
      return { items, touchedDuringLoad: null };
    }),
  loadFailed: () => set({ touchedDuringLoad: null }),
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
