/** Who is signed in, to which hub, and the state of the realtime link. */
import { create } from 'zustand';
import type { Site, User } from '@shared/domain';
import type { ConnectionState } from '@renderer/services/socket/connector';

/** A center's hub, or the group's HQ hub (which shows the group board instead of the agent panes). */
export type HubRole = 'site' | 'hq';

// ---- State
export interface SessionState {
  hubUrl: string | null;
  hubRole: HubRole;
  token: string | null;
  user: User | null;
  site: Site | null;
  connection: ConnectionState;
}

export const getInitialState = (): SessionState => ({
  hubUrl: null,
  hubRole: 'site',
  token: null,
  user: null,
  site: null,
  connection: 'disconnected',
});

// ---- Actions
export interface SessionActions {
  signedIn(input: { hubUrl: string; token: string; user: User; site: Site; hubRole?: HubRole }): void;
  signedOut(): void;
  setConnection(connection: ConnectionState): void;
}

export const useSessionStore = create<SessionState & SessionActions>()((set) => ({
  ...getInitialState(),
  signedIn: ({ hubUrl, token, user, site, hubRole = 'site' }) => set({ hubUrl, token, user, site, hubRole }),
  signedOut: () => set(getInitialState()),
  setConnection: (connection) => set({ connection }),
}));

// ---- Selectors
export const selectIsSignedIn = (s: SessionState): boolean => s.token !== null && s.user !== null;
export const selectUser = (s: SessionState): User | null => s.user;
export const selectIsHq = (s: SessionState): boolean => s.hubRole === 'hq';
