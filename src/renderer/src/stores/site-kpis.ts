/** Today's KPIs of the supervisor's own center (`GET /reports/kpis`), shown above the wallboard. */
import { create } from 'zustand';
import type { IeumError } from '@shared/errors';
import type { Kpis } from '@shared/kpis';

// ---- State
export interface SiteKpisState {
  kpis: Kpis | null;
  error: IeumError | null;
}

export const getInitialState = (): SiteKpisState => ({ kpis: null, error: null });

// ---- Actions
export interface SiteKpisActions {
  /** Figures for a later `to` replace the ones shown; an overtaken answer is ignored. */
  kpisReceived(kpis: Kpis): void;
  loadFailed(error: IeumError): void;
  reset(): void;
}

export const useSiteKpisStore = create<SiteKpisState & SiteKpisActions>()((set) => ({
  ...getInitialState(),
  kpisReceived: (kpis) =>
    set((s) => {
      if (s.kpis && Date.parse(kpis.to) < Date.parse(s.kpis.to)) return {};
      return { kpis, error: null };
    }),
  loadFailed: (error) => set({ error }),
  reset: () => set(getInitialState()),
}));
