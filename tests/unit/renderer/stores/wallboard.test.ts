import { beforeEach, describe, expect, it } from 'vitest';
import type { RoutingStats } from '@shared/protocol';
import { RoutingStatsSchema } from '@renderer/services/socket/routing-stats';
import { getInitialState, selectUnnamedAgentCount, useWallboardStore } from '@renderer/stores/wallboard';

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
