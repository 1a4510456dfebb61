/**
 * The polled figures: HQ's group board (HQ pushes nothing for it) and a
 * center's KPIs for today. Each load puts its answer or its error in a store.
 */
import { createLogger } from '@renderer/lib/log';
import { useHqBoardStore } from '@renderer/stores/hq-board';
import { useSessionStore } from '@renderer/stores/session';
import { useSiteKpisStore } from '@renderer/stores/site-kpis';
import { createApiClient } from './api/api-client';

const log = createLogger('boards');

/** How often the group board is read again. */
export const HQ_BOARD_POLL_MS = 5_000;
/** Today's figures move slowly next to the live wallboard; every 15 s is plenty. */
export const SITE_KPIS_POLL_MS = 15_000;

export async function loadHqBoard(): Promise<void> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return;
  const board = await createApiClient(hubUrl).hqBoard(token);
  // Signed out or switched hubs while asking: the answer is for a desk no longer shown.
  if (useSessionStore.getState().token !== token) return;
  if (board.ok) useHqBoardStore.getState().boardReceived(board.value);
  else {
    log.warn('group board not loaded', board.error);
    useHqBoardStore.getState().loadFailed(board.error);
  }
}

export async function loadSiteKpis(): Promise<void> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return;
  const kpis = await createApiClient(hubUrl).kpisToday(token);
  if (useSessionStore.getState().token !== token) return;
  if (kpis.ok) useSiteKpisStore.getState().kpisReceived(kpis.value);
  else {
    log.warn('KPIs not loaded', kpis.error);
    useSiteKpisStore.getState().loadFailed(kpis.error);
  }
}
