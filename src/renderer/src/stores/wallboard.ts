/**
 * The supervisor's wallboard: the latest routing snapshot (pushed as
 * `routing.stats`, first loaded over HTTP) and the names of the site's agents.
 */
import { create } from 'zustand';
import type { IeumError } from '@shared/errors';
import type { RoutingStats } from '@shared/protocol';

// ---- State
export interface WallboardState {
  stats: RoutingStats | null;
  /** Display name per agent (user) id. */
  agentNames: Record<string, string>;
  error: IeumError | null;
}

export const getInitialState = (): WallboardState => ({ stats: null, agentNames: {}, error: null });

// ---- Actions
export interface WallboardActions {
  /** A newer snapshot replaces the one shown; an older one (a slow HTTP answer) is ignored. */
  statsReceived(stats: RoutingStats): void;
  agentNamesLoaded(names: Record<string, string>): void;
  loadFailed(error: IeumError): void;
  reset(): void;
}

export const useWallboardStore = create<WallboardState & WallboardActions>()((set) => ({
  ...getInitialState(),
  statsReceived: (stats) =>
    set((s) => {
      if (s.stats && s.stats.siteId === stats.siteId && Date.parse(stats.at) < Date.parse(s.stats.at))
        return {};
      return { stats, error: null };
    }),
  agentNamesLoaded: (names) => set((s) => ({ agentNames: { ...s.agentNames, ...names } })),
  loadFailed: (error) => set({ error }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
/** Agents the snapshot names but we have no display name for yet. */
export const selectUnnamedAgentCount = (s: WallboardState): number =>
  s.stats ? s.stats.agents.filter((a) => !s.agentNames[a.agentId]).length : 0;
