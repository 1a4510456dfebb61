/**
 * The supervisor's wait queue over HTTP (`GET /routing/waiting`). The
 * wallboard asks again with every `routing.stats` snapshot; asks that come
 * while one is on its way fold into a single follow-up, so a slow hub is
 * never asked more than twice at once and answers never arrive out of order.
 */
import { createLogger } from '@renderer/lib/log';
import { useSessionStore } from '@renderer/stores/session';
import { useSupervisionStore } from '@renderer/stores/supervision';
import { createApiClient } from './api/api-client';

const log = createLogger('wait-queue');

let inFlight: Promise<void> | null = null;
let again = false;

async function loadOnce(): Promise<void> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return;
  const result = await createApiClient(hubUrl).waitingWork(token);
  if (useSessionStore.getState().token !== token) return;
  if (result.ok) useSupervisionStore.getState().waitingLoaded(result.value);
  else {
    log.warn('wait queue not loaded', result.error);
    useSupervisionStore.getState().waitingLoadFailed(result.error);
  }
}

export function refreshWaitQueue(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    try {
      do {
        again = false;
        await loadOnce();
      } while (again);
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}
