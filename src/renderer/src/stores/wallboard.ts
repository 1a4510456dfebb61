/**
 * The supervisor's wallboard: the latest routing snapshot (pushed as
 * `routing.stats`, first loaded over HTTP) and the names of the site's agents.
 */
import { create } from 'zustand';
import type { AgentStatus } from '@shared/domain';
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
  /** A supervisor's change of an agent's state was acked: show it before the next snapshot does. */
  agentStatusChanged(status: AgentStatus): void;
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
  agentStatusChanged: (status) =>
    set((s) => {
      if (!s.stats || !s.stats.agents.some((a) => a.agentId === status.userId)) return {};
      // Seconds in state as of the snapshot's time, so the ticking display reads from `since`.
      const secondsInState = (Date.parse(s.stats.at) - Date.parse(status.since)) / 1000;
      const agents = s.stats.agents.map((a) => {
        if (a.agentId !== status.userId) return a;
        const { reason: _old, ...rest } = a;
        return { ...rest, state: status.state, secondsInState };
      });
      return { stats: { ...s.stats, agents } };
    }),
  loadFailed: (error) => set({ error }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
/** Agents the snapshot names but we have no display name for yet. */
export const selectUnnamedAgentCount = (s: WallboardState): number =>
  s.stats ? s.stats.agents.filter((a) => !s.agentNames[a.agentId]).length : 0;

export interface NamedAgent {
  agentId: string;
  name: string;
}

/**
 * Agents work can go to (anyone not offline in the snapshot), by name; one
 * without a name yet shows as `unknown`. Builds a new list: derive it in
 * `useMemo` from `stats` and `agentNames`, not as a store selector.
 */
export const loggedInAgents = (
  s: Pick<WallboardState, 'stats' | 'agentNames'>,
  unknown: string,
): NamedAgent[] =>
  (s.stats?.agents ?? [])
    .filter((a) => a.state !== 'offline')
    .map((a) => ({ agentId: a.agentId, name: s.agentNames[a.agentId] ?? unknown }))
    .sort((a, b) => a.name.localeCompare(b.name));
