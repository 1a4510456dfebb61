/**
 * The wallboard's first picture over HTTP (the socket then pushes
 * `routing.stats` every few seconds) and the agents' display names, which the
 * snapshot does not carry.
 */
import type { Role } from '@shared/domain';
import { createLogger } from '@renderer/lib/log';
import { useSessionStore } from '@renderer/stores/session';
import { useWallboardStore } from '@renderer/stores/wallboard';
import { createApiClient } from './api/api-client';

const log = createLogger('wallboard');

/** Who sees the wallboard; the hub answers `routing.stats` to these roles only. */
export const WALLBOARD_ROLES: readonly Role[] = ['supervisor', 'site_manager', 'admin'];

export async function loadWallboard(): Promise<void> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return;
  const api = createApiClient(hubUrl);
  const [stats] = await Promise.all([api.routingStats(token), loadAgentNames()]);
  if (stats.ok) useWallboardStore.getState().statsReceived(stats.value);
  else {
    log.warn('routing stats not loaded', stats.error);
    useWallboardStore.getState().loadFailed(stats.error);
  }
}

/** (Re)reads the names of the site's agents, e.g. when the snapshot shows someone new. */
export async function loadAgentNames(): Promise<void> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return;
  const agents = await createApiClient(hubUrl).agentStates(token);
  if (agents.ok) {
    useWallboardStore
      .getState()
      .agentNamesLoaded(Object.fromEntries(agents.value.map((a) => [a.userId, a.displayName])));
  } else log.warn('agent names not loaded', agents.error);
}
