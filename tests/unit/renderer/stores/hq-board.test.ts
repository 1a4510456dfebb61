import { beforeEach, describe, expect, it } from 'vitest';
import type { HqBoard } from '@shared/federation';
import { getInitialState, selectHqNow, useHqBoardStore } from '@renderer/stores/hq-board';
import { kpisFixture } from '../fixtures/kpis';

const board = (at: string): HqBoard => ({
  at,
  sites: [
    {
      site: {
        siteId: 's1',
        code: 'seoul',
        name: '서울센터',
        memberId: 'm1',
        memberName: '서울센터 허브',
        lastSeq: 10,
        headSeq: 10,
        lagEvents: 0,
        lastContactAt: at,
        lastEventAt: at,
        revoked: false,
      },
      agents: [{ userId: 'u1', displayName: '김지은', state: 'ready', since: at }],
      byState: { ready: 1 },
      kpis: kpisFixture(),
    },
  ],
  total: { byState: { ready: 1 }, kpis: kpisFixture() },
});

describe('hq board store', () => {
  beforeEach(() => useHqBoardStore.setState(getInitialState()));

  it('replaces the board with a newer one and ignores an overtaken answer', () => {
    const store = useHqBoardStore.getState();
    store.boardReceived(board('2026-11-23T01:00:05.000Z'), 1_000);
    store.boardReceived(board('2026-11-23T01:00:00.000Z'), 2_000);
    expect(useHqBoardStore.getState().board?.at).toBe('2026-11-23T01:00:05.000Z');
    expect(useHqBoardStore.getState().receivedAt).toBe(1_000);
    store.boardReceived(board('2026-11-23T01:00:10.000Z'), 6_000);
    expect(useHqBoardStore.getState().board?.at).toBe('2026-11-23T01:00:10.000Z');
  });

  it('keeps the last board on a failed poll and clears the error on the next success', () => {
    const store = useHqBoardStore.getState();
    store.boardReceived(board('2026-11-23T01:00:00.000Z'), 1_000);
    store.loadFailed({ code: 'UNAVAILABLE', message: 'hub unreachable' });
    expect(useHqBoardStore.getState().board).not.toBeNull();
    expect(useHqBoardStore.getState().error?.code).toBe('UNAVAILABLE');
    store.boardReceived(board('2026-11-23T01:00:05.000Z'), 6_000);
    expect(useHqBoardStore.getState().error).toBeNull();
  });

  it("tells HQ's time from the board's `at` plus what passed on the desk", () => {
    expect(selectHqNow(5_000)(useHqBoardStore.getState())).toBeNull();
    useHqBoardStore.getState().boardReceived(board('2026-11-23T01:00:00.000Z'), 1_000);
    expect(selectHqNow(4_500)(useHqBoardStore.getState())).toBe(Date.parse('2026-11-23T01:00:03.500Z'));
    // A desk clock stepped back never runs HQ's time backwards past the answer.
    expect(selectHqNow(0)(useHqBoardStore.getState())).toBe(Date.parse('2026-11-23T01:00:00.000Z'));
  });

  it('starts clean after reset', () => {
    useHqBoardStore.getState().boardReceived(board('2026-11-23T01:00:00.000Z'));
    useHqBoardStore.getState().reset();
    expect(useHqBoardStore.getState()).toMatchObject(getInitialState());
  });
});
