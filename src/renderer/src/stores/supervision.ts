/**
 * What a supervisor does to the floor: the wait queue (`GET /routing/waiting`,
 * refreshed with each `routing.stats`) and the commands sent from the
 * wallboard and the conversation view — an agent's state forced, waiting work
 * picked for an agent, a conversation reassigned — each with whether it is
 * still waiting for its ack and the typed error it ended with.
 */
import { create } from 'zustand';
import type { IeumError } from '@shared/errors';
import type { WorkItemView } from '@shared/protocol';

/** Which command a pending flag or error belongs to: one per agent, item or conversation. */
export type SupervisionKey = `agent:${string}` | `pick:${string}` | `reassign:${string}`;

// ---- State
export interface SupervisionState {
  /** Waiting, offered and scheduled work in queue order; null until first loaded. */
  waiting: WorkItemView[] | null;
  waitingError: IeumError | null;
  pending: Partial<Record<SupervisionKey, true>>;
  errors: Partial<Record<SupervisionKey, IeumError>>;
}

export const getInitialState = (): SupervisionState => ({
  waiting: null,
  waitingError: null,
  pending: {},
  errors: {},
});

// ---- Actions
export interface SupervisionActions {
  waitingLoaded(list: readonly WorkItemView[]): void;
  waitingLoadFailed(error: IeumError): void;
  /** An item moved on (a pick's ack): out of the wait queue unless it still waits. */
  workChanged(item: WorkItemView): void;
  commandStarted(key: SupervisionKey): void;
  commandSucceeded(key: SupervisionKey): void;
  commandFailed(key: SupervisionKey, error: IeumError): void;
  dismissError(key: SupervisionKey): void;
  reset(): void;
}

const IN_WAIT_QUEUE: ReadonlySet<WorkItemView['status']> = new Set(['waiting', 'offered', 'scheduled']);

function omit<T extends object>(record: T, key: keyof T): T {
  const { [key]: _gone, ...rest } = record;
  return rest as T;
}

export const useSupervisionStore = create<SupervisionState & SupervisionActions>()((set) => ({
  ...getInitialState(),
  waitingLoaded: (list) =>
    set({ waiting: list.filter((i) => IN_WAIT_QUEUE.has(i.status)), waitingError: null }),
  waitingLoadFailed: (error) => set({ waitingError: error }),
  workChanged: (item) =>
    set((s) => {
      if (!s.waiting) return {};
      const at = s.waiting.findIndex((i) => i.id === item.id);
      if (at < 0) return {};
      const waiting = [...s.waiting];
      if (IN_WAIT_QUEUE.has(item.status)) waiting[at] = item;
      else waiting.splice(at, 1);
      return { waiting };
    }),
  commandStarted: (key) =>
    set((s) => ({ pending: { ...s.pending, [key]: true }, errors: omit(s.errors, key) })),
  commandSucceeded: (key) => set((s) => ({ pending: omit(s.pending, key), errors: omit(s.errors, key) })),
  commandFailed: (key, error) =>
    set((s) => ({ pending: omit(s.pending, key), errors: { ...s.errors, [key]: error } })),
  dismissError: (key) => set((s) => ({ errors: omit(s.errors, key) })),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectPending =
  (key: SupervisionKey) =>
  (s: SupervisionState): boolean =>
    s.pending[key] === true;
export const selectError =
  (key: SupervisionKey) =>
  (s: SupervisionState): IeumError | null =>
    s.errors[key] ?? null;
