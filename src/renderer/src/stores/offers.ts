/**
 * Offers the hub made to this agent (`offer.created`) until they are
 * accepted, rejected or withdrawn, and the short notice shown when one was
 * taken away (e.g. it timed out and moved to another agent).
 */
import { create } from 'zustand';
import type { IeumError } from '@shared/errors';
import type { OfferPayload, OfferWithdrawReason, OfferWithdrawn, WorkItemView } from '@shared/protocol';

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
  /** Offers an event changed while the hub's work list was on its way (null when none is loading). */
  touchedDuringRestore: Record<string, true> | null;
}

export const getInitialState = (): OffersState => ({ offers: {}, notice: null, touchedDuringRestore: null });

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
  /** The hub's list of my work is being asked for (after a reload or reconnect). */
  restoreStarted(): void;
  /**
   * Offers from that list that are still open at `now` come back on the desk
   * (without customer and subject, which only `offer.created` carries); ones
   * an event settled meanwhile, or already shown, are left alone.
   */
  offersRestored(list: readonly WorkItemView[], myUserId: string | null, now: number): void;
  reset(): void;
}

const touch = (s: OffersState, itemId: string): Pick<OffersState, 'touchedDuringRestore'> => ({
  touchedDuringRestore: s.touchedDuringRestore && { ...s.touchedDuringRestore, [itemId]: true },
});

const without = (offers: Record<string, OfferEntry>, itemId: string): Record<string, OfferEntry> => {
  const { [itemId]: _gone, ...rest } = offers;
  return rest;
};

export const useOffersStore = create<OffersState & OffersActions>()((set) => ({
  ...getInitialState(),
  offerCreated: (offer) =>
    // A call is offered by ringing the phone (Kamailio asks the hub who rings); no second prompt.
    set((s) =>
      offer.item.channel === 'voice'
        ? {}
        : {
            offers: { ...s.offers, [offer.item.id]: { offer, responding: false, error: null } },
            notice: s.notice?.itemId === offer.item.id ? null : s.notice,
            ...touch(s, offer.item.id),
          },
    ),
  offerWithdrawn: ({ itemId, reason }) =>
    set((s) => {
      const entry = s.offers[itemId];
      if (!entry) return touch(s, itemId);
      return {
        offers: without(s.offers, itemId),
        notice: reason === 'rejected' ? s.notice : { itemId, reason, customerName: entry.offer.customerName },
        ...touch(s, itemId),
      };
    }),
  offerSettled: (itemId) =>
    set((s) =>
      s.offers[itemId] ? { offers: without(s.offers, itemId), ...touch(s, itemId) } : touch(s, itemId),
    ),
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
  restoreStarted: () => set({ touchedDuringRestore: {} }),
  offersRestored: (list, myUserId, now) =>
    set((s) => {
      const touched = s.touchedDuringRestore ?? {};
      const offers = { ...s.offers };
      for (const item of list) {
        if (item.status !== 'offered' || myUserId === null || item.agentId !== myUserId) continue;
        if (item.channel === 'voice') continue; // the phone rings for calls
        if (!item.offerExpiresAt || Date.parse(item.offerExpiresAt) <= now) continue;
        if (touched[item.id] || offers[item.id]) continue;
        const offer = { item, expiresAt: item.offerExpiresAt, customerName: null, subject: null };
        offers[item.id] = { offer, responding: false, error: null };
      }
      return { offers, touchedDuringRestore: null };
    }),
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
