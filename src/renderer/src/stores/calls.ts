/** Calls on this desk. A placeholder until the softphone issue wires sip.js into it. */
import { create } from 'zustand';
import type { Call } from '@shared/domain';

// ---- State
export type Registration = 'not_configured' | 'registering' | 'registered' | 'failed';

export interface CallsState {
  registration: Registration;
  active: Call | null;
  /** A `tel:`/`sip:` link or `?dial=` waiting to be dialled. */
  dialRequest: string | null;
}

export const getInitialState = (): CallsState => ({
  registration: 'not_configured',
  active: null,
  dialRequest: null,
});

// ---- Actions
export interface CallsActions {
  dialRequested(target: string): void;
  reset(): void;
}

export const useCallsStore = create<CallsState & CallsActions>()((set) => ({
  ...getInitialState(),
  dialRequested: (dialRequest) => set({ dialRequest }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectRegistration = (s: CallsState): Registration => s.registration;
