import { beforeEach, describe, expect, it } from 'vitest';
import type { RoutingStats } from '@shared/protocol';
import { RoutingStatsSchema } from '@renderer/services/socket/routing-stats';
import {
  getInitialState,
  loggedInAgents,
  selectUnnamedAgentCount,
  useWallboardStore,
} from '@renderer/stores/wallboard';

const stats = (at: string, waiting = 0): RoutingStats => ({
  siteId: 's1',
  at,
  queues: [
    {
      queueId: 'q1',
      name: '일반 문의',
      waiting,
      longestWaitSeconds: 12,
      offered: 3,
      answered: 2,
      abandoned: 1,
      serviceLevel: 0.5,
      asaSeconds: 8,
      agentsLoggedIn: 1,
    },
  ],
  agents: [{ agentId: 'u1', state: 'ready', secondsInState: 30, load: 0, items: 0 }],
});

describe('wallboard store', () => {
  beforeEach(() => useWallboardStore.setState(getInitialState()));

  it('replaces the snapshot with a newer one and ignores an older one', () => {
    const store = useWallboardStore.getState();
    store.statsReceived(stats('2026-01-01T00:00:02.000Z', 2));
    store.statsReceived(stats('2026-01-01T00:00:00.000Z', 9));
    expect(useWallboardStore.getState().stats?.queues[0]?.waiting).toBe(2);
    store.statsReceived(stats('2026-01-01T00:00:04.000Z', 3));
    expect(useWallboardStore.getState().stats?.queues[0]?.waiting).toBe(3);
  });

  it('clears a load error once numbers arrive', () => {
    const store = useWallboardStore.getState();
    store.loadFailed({ code: 'FORBIDDEN', message: 'no' });
    expect(useWallboardStore.getState().error?.code).toBe('FORBIDDEN');
    store.statsReceived(stats('2026-01-01T00:00:00.000Z'));
    expect(useWallboardStore.getState().error).toBeNull();
  });

  it('counts agents it has no name for', () => {
    const store = useWallboardStore.getState();
    store.statsReceived(stats('2026-01-01T00:00:00.000Z'));
    expect(selectUnnamedAgentCount(useWallboardStore.getState())).toBe(1);
    store.agentNamesLoaded({ u1: '김지은' });
    expect(selectUnnamedAgentCount(useWallboardStore.getState())).toBe(0);
  });
});

describe('routing.stats schema', () => {
  it('accepts the hub snapshot and rejects a malformed one', () => {
    expect(RoutingStatsSchema.safeParse(stats('2026-01-01T00:00:00.000Z')).success).toBe(true);
    expect(RoutingStatsSchema.safeParse({ siteId: 's1', at: 'x', queues: [{}], agents: [] }).success).toBe(
      false,
    );
  });
});

describe('wallboard store: supervisor changes and the agents work can go to', () => {
  beforeEach(() => useWallboardStore.setState(getInitialState()));

  it('shows a forced state at once, timed from when it began', () => {
    const store = useWallboardStore.getState();
    store.statsReceived({
      ...stats('2026-01-01T00:01:00.000Z'),
      agents: [{ agentId: 'u1', state: 'ready', secondsInState: 30, load: 0, items: 0, reason: 'x' }],
    });
    store.agentStatusChanged({
      userId: 'u1',
      state: 'not_ready',
      reasonCodeId: 'r1',
      since: '2026-01-01T00:00:50.000Z',
    });
    expect(useWallboardStore.getState().stats?.agents[0]).toEqual({
      agentId: 'u1',
      state: 'not_ready',
      secondsInState: 10,
      load: 0,
      items: 0,
    });
  });

  it('ignores a forced state for an agent not on the board', () => {
    const store = useWallboardStore.getState();
    store.statsReceived(stats('2026-01-01T00:01:00.000Z'));
    const before = useWallboardStore.getState().stats;
    store.agentStatusChanged({
      userId: 'u9',
      state: 'ready',
      reasonCodeId: null,
      since: '2026-01-01T00:01:00.000Z',
    });
    expect(useWallboardStore.getState().stats).toBe(before);
  });

  it('lists the agents who are not offline, by name', () => {
    const snapshot: RoutingStats = {
      ...stats('2026-01-01T00:01:00.000Z'),
      agents: [
        { agentId: 'u1', state: 'ready', secondsInState: 1, load: 0, items: 0 },
        { agentId: 'u2', state: 'offline', secondsInState: 1, load: 0, items: 0 },
        { agentId: 'u3', state: 'not_ready', secondsInState: 1, load: 0, items: 0 },
        { agentId: 'u4', state: 'busy', secondsInState: 1, load: 1, items: 1 },
      ],
    };
    expect(loggedInAgents({ stats: snapshot, agentNames: { u1: '최', u3: '김', u2: '박' } }, '?')).toEqual([
      { agentId: 'u4', name: '?' },
      { agentId: 'u3', name: '김' },
      { agentId: 'u1', name: '최' },
    ]);
    expect(loggedInAgents({ stats: null, agentNames: {} }, '?')).toEqual([]);
  });
});
