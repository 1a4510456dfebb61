/**
 * Offers the hub made to this agent (`offer.created`) until they are
 * accepted, rejected or withdrawn, and the short notice shown when one was
 * taken away (e.g. it timed out and moved to another agent).
 */
import { create } from 'zustand';
import type { IeumError } from '@shared/errors';
import type { OfferPayload, OfferWithdrawReason, OfferWithdrawn } from '@shared/protocol';

// ---- State
export interface OfferEntry {
  offer: OfferPayload;
  /** Accept or reject was sent and waits for its ack. */
  responding: boolean;
  error: IeumError | null;
}

export interface OfferNotice {
  itemId: string;
  reason: OfferWithdrawReason;
  customerName: string | null;
}

export interface OffersState {
  offers: Record<string, OfferEntry>;
  notice: OfferNotice | null;
}

export const getInitialState = (): OffersState => ({ offers: {}, notice: null });

// ---- Actions
export interface OffersActions {
  offerCreated(offer: OfferPayload): void;
  /** The hub took the offer back. My own reject needs no notice. */
  offerWithdrawn(withdrawn: OfferWithdrawn): void;
  /** The item moved on (accepted here or elsewhere, picked): no longer an offer. */
  offerSettled(itemId: string): void;
  responseStarted(itemId: string): void;
  responseFailed(itemId: string, error: IeumError): void;
  dismissNotice(): void;
  reset(): void;
}

const without = (offers: Record<string, OfferEntry>, itemId: string): Record<string, OfferEntry> => {
  const { [itemId]: _gone, ...rest } = offers;
  return rest;
};

export const useOffersStore = create<OffersState & OffersActions>()((set) => ({
  ...getInitialState(),
  offerCreated: (offer) =>
    set((s) => ({
      offers: { ...s.offers, [offer.item.id]: { offer, responding: false, error: null } },
      notice: s.notice?.itemId === offer.item.id ? null : s.notice,
    })),
  offerWithdrawn: ({ itemId, reason }) =>
    set((s) => {
      const entry = s.offers[itemId];
      if (!entry) return {};
      return {
        offers: without(s.offers, itemId),
        notice: reason === 'rejected' ? s.notice : { itemId, reason, customerName: entry.offer.customerName },
      };
    }),
  offerSettled: (itemId) => set((s) => (s.offers[itemId] ? { offers: without(s.offers, itemId) } : {})),
  responseStarted: (itemId) =>
    set((s) => {
      const entry = s.offers[itemId];
      return entry ? { offers: { ...s.offers, [itemId]: { ...entry, responding: true, error: null } } } : {};
    }),
  responseFailed: (itemId, error) =>
    set((s) => {
      const entry = s.offers[itemId];
      return entry ? { offers: { ...s.offers, [itemId]: { ...entry, responding: false, error } } } : {};
    }),
  dismissNotice: () => set({ notice: null }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
/** The offer to show: the one that runs out first. */
export const selectCurrentOffer = (s: OffersState): OfferEntry | null => {
  let first: OfferEntry | null = null;
  for (const entry of Object.values(s.offers)) {
    if (!first || Date.parse(entry.offer.expiresAt) < Date.parse(first.offer.expiresAt)) first = entry;
  }
  return first;
};
export const selectOfferCount = (s: OffersState): number => Object.keys(s.offers).length;
