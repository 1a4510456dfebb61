/** The customer 360 panel's data. A placeholder until the customer issue fills it. */
import { create } from 'zustand';
import type { Customer } from '@shared/domain';

// ---- State
export interface CustomerState {
  customerId: string | null;
  customer: Customer | null;
}

export const getInitialState = (): CustomerState => ({ customerId: null, customer: null });

// ---- Actions
export interface CustomerActions {
  focus(customerId: string | null): void;
  reset(): void;
}

export const useCustomerStore = create<CustomerState & CustomerActions>()((set) => ({
  ...getInitialState(),
  focus: (customerId) => set((s) => (s.customerId === customerId ? s : { customerId, customer: null })),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectCustomerId = (s: CustomerState): string | null => s.customerId;
