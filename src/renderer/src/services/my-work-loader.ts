/**
 * After every (re)connect sync the desk asks the hub what work the agent
 * holds (`GET /routing/my-work`): a reloaded desk gets Finish and End
 * wrap-up back, and an offer still open comes back on screen. Events that
 * land while the answer is on its way win over it (see the stores).
 */
import { createLogger } from '@renderer/lib/log';
import { useOffersStore } from '@renderer/stores/offers';
import { useSessionStore } from '@renderer/stores/session';
import { useWorkStore } from '@renderer/stores/work';
import { createApiClient } from './api/api-client';

const log = createLogger('my-work');

export async function loadMyWork(): Promise<void> {
  const { hubUrl, token, user } = useSessionStore.getState();
  if (!hubUrl || !token || !user) return;
  useWorkStore.getState().loadStarted();
  useOffersStore.getState().restoreStarted();
  const result = await createApiClient(hubUrl).myWork(token);
  // Signed out or switched hub meanwhile: the answer belongs to a session that is gone.
  if (useSessionStore.getState().token !== token) return;
  if (!result.ok) {
    log.warn('my work not loaded', result.error);
    useWorkStore.getState().loadFailed();
    useOffersStore.getState().offersRestored([], user.id, Date.now());
    return;
  }
  useWorkStore.getState().workLoaded(result.value, user.id);
  useOffersStore.getState().offersRestored(result.value, user.id, Date.now());
}
