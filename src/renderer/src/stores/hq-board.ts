/**
 * HQ's group board: the latest `GET /hq/board` answer and when it arrived on
 * this desk, so times in state and since last contact tick on between polls
 * on HQ's clock rather than the desk's.
 */
import { create } from 'zustand';
import type { IeumError } from '@shared/errors';
import type { HqBoard } from '@shared/federation';

// ---- State
export interface HqBoardState {
  board: HqBoard | null;
  /** The desk's clock (ms) when `board` arrived. */
  receivedAt: number | null;
  /** The last poll's failure; cleared by the next success. The last board stays shown. */
  error: IeumError | null;
}

export const getInitialState = (): HqBoardState => ({ board: null, receivedAt: null, error: null });

// ---- Actions
export interface HqBoardActions {
  /** A newer board replaces the one shown; an older one (a slow answer overtaken) is ignored. */
  boardReceived(board: HqBoard, receivedAt?: number): void;
  loadFailed(error: IeumError): void;
  reset(): void;
}

export const useHqBoardStore = create<HqBoardState & HqBoardActions>()((set) => ({
  ...getInitialState(),
  boardReceived: (board, receivedAt = Date.now()) =>
    set((s) => {
      if (s.board && Date.parse(board.at) < Date.parse(s.board.at)) return {};
      return { board, receivedAt, error: null };
    }),
  loadFailed: (error) => set({ error }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
/** HQ's time now (ms), from the board's `at` plus what has passed on the desk since; null before the first board. */
export const selectHqNow =
  (deskNow: number) =>
  (s: HqBoardState): number | null =>
    s.board && s.receivedAt !== null ? Date.parse(s.board.at) + Math.max(0, deskNow - s.receivedAt) : null;
