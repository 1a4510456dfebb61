/** The signed-in agent's state and the reason codes of their site. */
import { create } from 'zustand';
import type { AgentStatus, ReasonCode } from '@shared/domain';
import type { IeumError } from '@shared/errors';

// ---- State
export interface AgentState {
  status: AgentStatus | null;
  reasonCodes: ReasonCode[];
  /** A state change was sent and is waiting for its ack. */
  changing: boolean;
  error: IeumError | null;
}

export const getInitialState = (): AgentState => ({
  status: null,
  reasonCodes: [],
  changing: false,
  error: null,
});

// ---- Actions
export interface AgentActions {
  loaded(status: AgentStatus, reasonCodes: ReasonCode[]): void;
  /** From `agent.state_changed` or a command ack; older news never overwrites newer. */
  statusChanged(status: AgentStatus): void;
  changeStarted(): void;
  changeFailed(error: IeumError): void;
  reset(): void;
}

export const useAgentStore = create<AgentState & AgentActions>()((set) => ({
  ...getInitialState(),
  loaded: (status, reasonCodes) => set({ status, reasonCodes, error: null }),
  statusChanged: (status) =>
    set((s) => {
      if (
        s.status &&
        s.status.userId === status.userId &&
        Date.parse(status.since) < Date.parse(s.status.since)
      ) {
        return { changing: false };
      }
      return { status, changing: false, error: null };
    }),
  changeStarted: () => set({ changing: true, error: null }),
  changeFailed: (error) => set({ changing: false, error }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectNotReadyReasons = (s: AgentState): ReasonCode[] =>
  s.reasonCodes.filter((r) => r.kind === 'not_ready');
