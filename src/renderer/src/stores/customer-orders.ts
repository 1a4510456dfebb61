/**
 * The 360 panel's orders from the hub's CRM connector, for the customer in
 * focus. A failure is kept apart from the rest of the 360 data: the panel
 * says the CRM is down and everything else still shows.
 */
import { create } from 'zustand';
import type { CrmOrder } from '@shared/conversation-tools';
import type { IeumError } from '@shared/errors';

export interface CustomerOrdersState {
  customerId: string | null;
  orders: CrmOrder[];
  loading: boolean;
  error: IeumError | null;
}

export const getInitialState = (): CustomerOrdersState => ({
  customerId: null,
  orders: [],
  loading: false,
  error: null,
});

export interface CustomerOrdersActions {
  loadStarted(customerId: string): void;
  loaded(customerId: string, orders: CrmOrder[]): void;
  failed(customerId: string, error: IeumError): void;
  reset(): void;
}

export const useCustomerOrdersStore = create<CustomerOrdersState & CustomerOrdersActions>()((set) => ({
  ...getInitialState(),
  loadStarted: (customerId) =>
    set((s) => ({
      customerId,
      loading: true,
      error: null,
      orders: s.customerId === customerId ? s.orders : [],
    })),
  loaded: (customerId, orders) =>
    set((s) => (s.customerId === customerId ? { orders, loading: false, error: null } : s)),
  failed: (customerId, error) => set((s) => (s.customerId === customerId ? { loading: false, error } : s)),
  reset: () => set(getInitialState()),
}));

/** The newest order's number: the `{{order.number}}` of canned responses. */
export const latestOrderNumber = (orders: readonly CrmOrder[]): string | null =>
  [...orders].sort((a, b) => Date.parse(b.placedAt) - Date.parse(a.placedAt))[0]?.number ?? null;
