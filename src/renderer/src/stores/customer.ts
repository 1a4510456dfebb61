/**
 * The customer 360 panel's data: which customer is in focus (the open
 * conversation's, or a caller's when the softphone pops one), their profile
 * and timeline, and the last merge (kept so a supervisor can undo it).
 */
import { create } from 'zustand';
import type { CustomerNote, CustomerProfile, OtherCentersAnswer, TimelineItem } from '@shared/customers';
import type { IeumError } from '@shared/errors';

// ---- State
export interface LastMerge {
  mergeId: string;
  survivorId: string;
  mergedName: string;
}

export interface CustomerState {
  customerId: string | null;
  customer: CustomerProfile | null;
  timeline: TimelineItem[];
  nextCursor: string | null;
  loading: boolean;
  error: IeumError | null;
  lastMerge: LastMerge | null;
  /** Raw bodies a supervisor revealed, by message id; gone when the focus changes. */
  revealed: Record<string, string>;
  /** The customer's consultations at the group's other centers (through HQ, with consent); null until asked. */
  otherCenters: OtherCentersAnswer | null;
}

export const getInitialState = (): CustomerState => ({
  customerId: null,
  customer: null,
  timeline: [],
  nextCursor: null,
  loading: false,
  error: null,
  lastMerge: null,
  revealed: {},
  otherCenters: null,
});

// ---- Actions
export interface CustomerActions {
  focus(customerId: string | null): void;
  loadStarted(customerId: string): void;
  profileLoaded(profile: CustomerProfile): void;
  /** A timeline page; `append` for the next (older) page. */
  timelineLoaded(customerId: string, items: TimelineItem[], nextCursor: string | null, append: boolean): void;
  loadFailed(customerId: string, error: IeumError): void;
  noteAdded(note: CustomerNote): void;
  noteRemoved(noteId: string): void;
  merged(merge: LastMerge | null): void;
  revealedBody(messageId: string, body: string): void;
  otherCentersLoaded(customerId: string, answer: OtherCentersAnswer): void;
  reset(): void;
}

export const useCustomerStore = create<CustomerState & CustomerActions>()((set) => ({
  ...getInitialState(),
  focus: (customerId) =>
    set((s) =>
      s.customerId === customerId
        ? s
        : { ...getInitialState(), customerId, lastMerge: s.lastMerge, loading: customerId !== null },
    ),
  loadStarted: (customerId) => set((s) => (s.customerId === customerId ? { loading: true, error: null } : s)),
  profileLoaded: (profile) => set((s) => (s.customerId === profile.id ? { customer: profile } : s)),
  timelineLoaded: (customerId, items, nextCursor, append) =>
    set((s) => {
      if (s.customerId !== customerId) return s;
      const seen = new Set(append ? s.timeline.map((i) => i.id) : []);
      const merged = append ? [...s.timeline, ...items.filter((i) => !seen.has(i.id))] : items;
      return { timeline: merged, nextCursor, loading: false, error: null };
    }),
  loadFailed: (customerId, error) =>
    set((s) => (s.customerId === customerId ? { loading: false, error } : s)),
  noteAdded: (note) =>
    set((s) => {
      if (!s.customer || s.customer.id !== note.customerId) return s;
      const item: TimelineItem = {
        kind: 'note',
        id: note.id,
        at: note.createdAt,
        body: note.body,
        authorName: note.authorName,
      };
      return {
        customer: { ...s.customer, notes: [note, ...s.customer.notes] },
        timeline: [item, ...s.timeline],
      };
    }),
  noteRemoved: (noteId) =>
    set((s) =>
      s.customer
        ? {
            customer: { ...s.customer, notes: s.customer.notes.filter((n) => n.id !== noteId) },
            timeline: s.timeline.filter((i) => i.id !== noteId),
          }
        : s,
    ),
  merged: (lastMerge) => set({ lastMerge }),
  revealedBody: (messageId, body) => set((s) => ({ revealed: { ...s.revealed, [messageId]: body } })),
  otherCentersLoaded: (customerId, answer) =>
    set((s) => (s.customerId === customerId ? { otherCenters: answer } : s)),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectCustomerId = (s: CustomerState): string | null => s.customerId;

/** Earlier consultations: everything but the conversation the agent has open, newest first (use with useMemo). */
export const previousInteractions = (
  timeline: readonly TimelineItem[],
  openConversationId: string | null,
): TimelineItem[] => timeline.filter((i) => !(i.kind === 'conversation' && i.id === openConversationId));
