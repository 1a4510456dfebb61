import { describe, expect, it } from 'vitest';
import { RoutingEngine, RoutingError } from '../../../server/routing/core';
import { engineWith, offerPairs, s } from './helpers';

describe('selection', () => {
  it('offers to the longest idle qualified agent', () => {
    const e = engineWith({ a: 3, b: 3, c: 3 });
    e.agentStateChanged('b', 'ready', s(1));
    e.agentStateChanged('a', 'ready', s(2));
    e.agentStateChanged('c', 'ready', s(3));
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(4));
    expect(offerPairs(e, s(4))).toEqual(['i1→b']);
  });

  it('never offers to an agent without the required skill level', () => {
    const e = engineWith({ novice: 1, senior: 4 }, { requiredSkills: [{ skillId: 'support', minLevel: 3 }] });
    e.agentStateChanged('novice', 'ready', 0);
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(1));
    expect(offerPairs(e, s(1))).toEqual([]);
    e.agentStateChanged('senior', 'ready', s(2));
    expect(offerPairs(e, s(2))).toEqual(['i1→senior']);
  });

  it('sends simple work to the lowest adequate level and complex work to the most senior', () => {
    const e = engineWith({ junior: 1, mid: 3, senior: 5 });
    for (const id of ['senior', 'mid', 'junior']) e.agentStateChanged(id, 'ready', 0);
    e.enqueue({ id: 'easy', channel: 'voice', queueId: 'q', complexity: 'simple' }, s(1));
    e.enqueue({ id: 'hard', channel: 'voice', queueId: 'q', complexity: 'complex' }, s(1));
    expect(offerPairs(e, s(1)).sort()).toEqual(['easy→junior', 'hard→senior']);
  });

  it('puts VIP work ahead, then higher priority, then FIFO', () => {
    const e = engineWith({ a: 3 });
    e.enqueue({ id: 'old', channel: 'voice', queueId: 'q' }, s(1));
    e.enqueue({ id: 'urgent', channel: 'voice', queueId: 'q', priority: 5 }, s(2));
    e.enqueue({ id: 'newer', channel: 'voice', queueId: 'q' }, s(3));
    e.enqueue({ id: 'vip', channel: 'voice', queueId: 'q', vip: true }, s(4));
    expect(e.waitingItems('q')).toEqual(['vip', 'urgent', 'old', 'newer']);
    e.agentStateChanged('a', 'ready', s(5));
    expect(offerPairs(e, s(5))).toEqual(['vip→a']);
  });

  it('keeps work for the customer’s last agent within the sticky window, then lets anyone take it', () => {
    const e = engineWith({ a: 3, last: 3 }, { stickyWindowSeconds: 30 });
    e.agentStateChanged('a', 'ready', 0);
    e.agentStateChanged('last', 'not_ready', 0, 'break');
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q', lastAgentId: 'last', customerId: 'c1' }, s(1));
    expect(offerPairs(e, s(1))).toEqual([]);
    e.agentStateChanged('last', 'ready', s(10));
    expect(offerPairs(e, s(10))).toEqual(['i1→last']);
    e.accept('i1', 'last', s(11));

    e.enqueue({ id: 'i2', channel: 'webchat', queueId: 'q', lastAgentId: 'last' }, s(11));
    e.agentStateChanged('last', 'not_ready', s(12), 'break');
    expect(offerPairs(e, s(40))).toEqual([]);
    expect(offerPairs(e, s(41))).toEqual(['i2→a']);
  });

  it('does not wait for a last agent who is offline', () => {
    const e = engineWith({ a: 3, last: 3 }, { stickyWindowSeconds: 30 });
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q', lastAgentId: 'last' }, s(1));
    expect(offerPairs(e, s(1))).toEqual(['i1→a']);
  });
});

describe('capacity and blending', () => {
  it('fills one budget with three chats and queues the fourth', () => {
    const e = engineWith({ a: 3 });
    e.agentStateChanged('a', 'ready', 0);
    for (const id of ['c1', 'c2', 'c3', 'c4']) e.enqueue({ id, channel: 'webchat', queueId: 'q' }, s(1));
    expect(offerPairs(e, s(1))).toEqual(['c1→a', 'c2→a', 'c3→a']);
    expect(e.getAgent('a')!.used).toBeCloseTo(1);
    e.accept('c1', 'a', s(2));
    e.complete('c1', s(3));
    expect(offerPairs(e, s(3))).toEqual(['c4→a']);
  });

  it('spreads chats over the least loaded agents first', () => {
    const e = engineWith({ a: 3, b: 3 });
    e.agentStateChanged('a', 'ready', 0);
    e.agentStateChanged('b', 'ready', s(1));
    for (const id of ['c1', 'c2', 'c3', 'c4']) e.enqueue({ id, channel: 'webchat', queueId: 'q' }, s(2));
    expect(offerPairs(e, s(2))).toEqual(['c1→a', 'c2→b', 'c3→a', 'c4→b']);
  });

  it('without blending, gives a call only to an agent with no other work, and nothing to an agent on a call', () => {
    const e = engineWith(
      { a: 3 },
      {},
      { capacityCost: { voice: 0.5, webchat: 1 / 3, email: 0.1, sms: 0.2, messenger: 1 / 3 } },
    );
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'chat', channel: 'webchat', queueId: 'q' }, s(1));
    e.enqueue({ id: 'call', channel: 'voice', queueId: 'q' }, s(2));
    expect(offerPairs(e, s(2))).toEqual(['chat→a']);
    e.accept('chat', 'a', s(3));
    e.complete('chat', s(4));
    expect(offerPairs(e, s(4))).toEqual(['call→a']);
    e.enqueue({ id: 'mail', channel: 'email', queueId: 'q' }, s(5));
    expect(offerPairs(e, s(5))).toEqual([]);
  });

  it('with blending, lets budget alone decide', () => {
    const e = engineWith(
      { a: 3 },
      {},
      {
        allowBlending: true,
        capacityCost: { voice: 0.5, webchat: 1 / 3, email: 0.1, sms: 0.2, messenger: 1 / 3 },
      },
    );
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'chat', channel: 'webchat', queueId: 'q' }, s(1));
    e.enqueue({ id: 'call', channel: 'voice', queueId: 'q' }, s(2));
    expect(offerPairs(e, s(2))).toEqual(['chat→a', 'call→a']);
  });
});

describe('offers', () => {
  it('after a reject, offers the item to someone else and keeps it from that agent for the cooldown', () => {
    const e = engineWith({ a: 3, b: 3 });
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(1));
    expect(offerPairs(e, s(1))).toEqual(['i1→a']);
    e.reject('i1', 'a', s(2));
    expect(offerPairs(e, s(2))).toEqual([]);
    expect(e.getAgent('a')!.lastRejected.get('i1')).toBe(s(62));
    e.agentStateChanged('b', 'ready', s(3));
    expect(offerPairs(e, s(3))).toEqual(['i1→b']);
  });

  it('re-offers a rejected item to the same agent only after the cooldown', () => {
    const e = engineWith({ a: 3 });
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(1));
    offerPairs(e, s(1));
    e.reject('i1', 'a', s(2));
    expect(offerPairs(e, s(61))).toEqual([]);
    expect(offerPairs(e, s(62))).toEqual(['i1→a']);
  });

  it('on ring-no-answer, sets the agent not_ready(missed) and offers the next agent', () => {
    const e = engineWith({ a: 3, b: 3 }, { offerTimeoutSeconds: 15 });
    e.agentStateChanged('a', 'ready', 0);
    e.agentStateChanged('b', 'ready', s(1));
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(2));
    expect(offerPairs(e, s(2))).toEqual(['i1→a']);
    expect(offerPairs(e, s(16.9))).toEqual([]);
    expect(offerPairs(e, s(17))).toEqual(['i1→b']);
    expect(e.getAgent('a')).toMatchObject({ presence: 'not_ready', reason: 'missed', state: 'not_ready' });
    expect(e.drainEvents()).toContainEqual({
      type: 'offer.withdrawn',
      at: s(17),
      itemId: 'i1',
      agentId: 'a',
      reason: 'timeout',
    });
  });

  it('withdraws and re-routes an offer when the desk goes offline', () => {
    const e = engineWith({ a: 3, b: 3 });
    e.agentStateChanged('a', 'ready', 0);
    e.agentStateChanged('b', 'ready', s(1));
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(2));
    offerPairs(e, s(2));
    e.agentStateChanged('a', 'offline', s(3));
    expect(offerPairs(e, s(3))).toEqual(['i1→b']);
  });

  it('refuses accept from an agent the item is not offered to', () => {
    const e = engineWith({ a: 3, b: 3 });
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(1));
    offerPairs(e, s(1));
    expect(() => e.accept('i1', 'b', s(2))).toThrow(RoutingError);
    expect(() => e.accept('i1', 'ghost', s(2))).toThrow(/unknown agent/);
  });
});

describe('agent states', () => {
  it('goes busy → wrap_up → ready by itself after the queue’s wrap-up time', () => {
    const e = engineWith({ a: 3 }, { wrapUpSeconds: 30 });
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(1));
    e.enqueue({ id: 'i2', channel: 'voice', queueId: 'q' }, s(1));
    offerPairs(e, s(1));
    e.accept('i1', 'a', s(2));
    expect(e.getAgent('a')!.state).toBe('busy');
    e.complete('i1', s(100));
    expect(e.getAgent('a')!.state).toBe('wrap_up');
    expect(offerPairs(e, s(129))).toEqual([]);
    expect(offerPairs(e, s(130))).toEqual(['i2→a']);
    const states = e
      .drainEvents()
      .filter((ev) => ev.type === 'agent.state_changed')
      .map((ev) => (ev.type === 'agent.state_changed' ? `${ev.state}@${ev.at / 1000}` : ''));
    expect(states).toEqual(['ready@0', 'busy@2', 'wrap_up@100', 'ready@130']);
  });

  it('refuses setting busy or wrap_up directly', () => {
    const e = engineWith({ a: 3 });
    expect(() => e.agentStateChanged('a', 'busy', 0)).toThrow(/follows from their work/);
  });

  it('reports time in state per agent', () => {
    const e = engineWith({ a: 3 });
    e.agentStateChanged('a', 'not_ready', s(10), 'lunch');
    expect(e.agentStats(s(70))).toEqual([
      { agentId: 'a', state: 'not_ready', reason: 'lunch', secondsInState: 60, load: 0, items: 0 },
    ]);
  });
});

describe('the wait queue', () => {
  it('overflows to the next queue on time, keeping the original wait', () => {
    const e = engineWith(
      { a: 3, b: 4 },
      { agentIds: ['a'], overflow: { afterSeconds: 60, toQueueId: 'spill' } },
      {},
      [{ id: 'spill', channels: ['voice'], requiredSkills: [{ skillId: 'support', minLevel: 4 }] }],
    );
    e.agentStateChanged('b', 'ready', 0);
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, s(5));
    expect(offerPairs(e, s(64.9))).toEqual([]);
    expect(offerPairs(e, s(65))).toEqual(['i1→b']);
    expect(e.getItem('i1')).toMatchObject({
      currentQueueId: 'spill',
      enqueuedAt: s(5),
      queueEnteredAt: s(65),
    });
  });

  it('drops work past the max wait as expired', () => {
    const e = engineWith({ a: 3 }, { maxWaitSeconds: 120 });
    e.enqueue({ id: 'i1', channel: 'voice', queueId: 'q' }, 0);
    e.tick(s(120));
    expect(e.getItem('i1')).toBeUndefined();
    expect(e.drainEvents()).toContainEqual({
      type: 'item.expired',
      at: s(120),
      itemId: 'i1',
      queueId: 'q',
      waitMs: s(120),
    });
    expect(e.queueStats(s(121))[0]).toMatchObject({ waiting: 0, expired: 1 });
  });

  it('records abandoned work, also while it was on offer', () => {
    const e = engineWith({ a: 3 }, { slTargetSeconds: 20 });
    e.enqueue({ id: 'quick', channel: 'voice', queueId: 'q' }, 0);
    e.enqueue({ id: 'late', channel: 'voice', queueId: 'q' }, 0);
    e.abandon('quick', s(5));
    e.agentStateChanged('a', 'ready', s(30));
    expect(offerPairs(e, s(30))).toEqual(['late→a']);
    e.abandon('late', s(31));
    expect(e.getAgent('a')!.used).toBe(0);
    expect(e.queueStats(s(32))[0]).toMatchObject({ abandoned: 2, waiting: 0, serviceLevel: 0 });
  });

  it('lets a supervisor pick any waiting item for an agent with budget', () => {
    const e = engineWith({ a: 3, b: 3 });
    e.enqueue({ id: 'first', channel: 'voice', queueId: 'q' }, 0);
    e.enqueue({ id: 'second', channel: 'voice', queueId: 'q' }, 0);
    expect(() => e.pick('second', 'a', s(1))).toThrow(expect.objectContaining({ reason: 'AGENT_OFFLINE' }));
    e.agentStateChanged('a', 'not_ready', s(1), 'coaching');
    e.pick('second', 'a', s(2));
    expect(e.getItem('second')).toMatchObject({ status: 'active', agentId: 'a' });
    expect(() => e.pick('first', 'a', s(3))).toThrow(expect.objectContaining({ reason: 'NO_CAPACITY' }));
    expect(e.waitingItems('q')).toEqual(['first']);
  });

  it('publishes position and estimated wait', () => {
    const e = engineWith({ a: 3, b: 3 }, { handleSecondsHint: 240 });
    e.agentStateChanged('a', 'not_ready', 0, 'break');
    e.agentStateChanged('b', 'not_ready', 0, 'break');
    for (const id of ['i1', 'i2', 'i3']) e.enqueue({ id, channel: 'voice', queueId: 'q' }, s(1));
    e.enqueue({ id: 'vip', channel: 'voice', queueId: 'q', vip: true }, s(2));
    expect(e.position('vip')).toEqual({ itemId: 'vip', queueId: 'q', position: 1, ewtSeconds: 120 });
    expect(e.position('i3')).toEqual({ itemId: 'i3', queueId: 'q', position: 4, ewtSeconds: 480 });
    e.agentStateChanged('a', 'offline', s(3));
    e.agentStateChanged('b', 'offline', s(3));
    expect(e.position('i1')!.ewtSeconds).toBeNull();
  });

  it('counts service level, ASA and the longest wait per queue', () => {
    const e = engineWith({ a: 3 }, { slTargetSeconds: 20 });
    e.agentStateChanged('a', 'ready', 0);
    e.enqueue({ id: 'fast', channel: 'voice', queueId: 'q' }, 0);
    offerPairs(e, 0);
    e.accept('fast', 'a', s(10));
    e.enqueue({ id: 'slow', channel: 'voice', queueId: 'q' }, s(10));
    e.enqueue({ id: 'waits', channel: 'voice', queueId: 'q' }, s(20));
    e.complete('fast', s(40));
    offerPairs(e, s(40));
    e.accept('slow', 'a', s(40));
    expect(e.queueStats(s(50))[0]).toMatchObject({
      waiting: 1,
      longestWaitSeconds: 30,
      offered: 3,
      answered: 2,
      answeredWithinTarget: 1,
      serviceLevel: 0.5,
      asaSeconds: 20,
      agentsLoggedIn: 1,
    });
  });
});

describe('snapshot and restore', () => {
  it('keeps the queue order, waiting times and assignments across a restart', () => {
    const e = engineWith({ a: 3 });
    e.enqueue({ id: 'n1', channel: 'voice', queueId: 'q' }, s(1));
    e.enqueue({ id: 'n2', channel: 'voice', queueId: 'q', priority: 2 }, s(2));
    e.enqueue({ id: 'n3', channel: 'webchat', queueId: 'q' }, s(3));
    e.agentStateChanged('a', 'ready', s(4));
    expect(offerPairs(e, s(4))).toEqual(['n2→a']);
    e.accept('n2', 'a', s(5));
    e.enqueue({ id: 'n4', channel: 'voice', queueId: 'q' }, s(6));
    const saved = JSON.parse(JSON.stringify(e.snapshot()));

    const restored = RoutingEngine.restore(e.getConfig(), saved);
    expect(restored.waitingItems('q')).toEqual(e.waitingItems('q'));
    expect(restored.getItem('n1')!.enqueuedAt).toBe(s(1));
    expect(restored.getItem('n2')).toMatchObject({ status: 'active', agentId: 'a' });
    expect(restored.getAgent('a')!.state).toBe('offline');
    expect(restored.queueStats(s(7))[0]).toMatchObject({ answered: 1, longestWaitSeconds: 6 });
    restored.agentStateChanged('a', 'ready', s(8));
    restored.complete('n2', s(9));
    expect(offerPairs(restored, s(9))).toEqual(['n1→a']);
  });

  it('refuses a malformed snapshot', () => {
    const e = engineWith({ a: 3 });
    expect(() =>
      RoutingEngine.restore(e.getConfig(), {
        version: 1,
        items: 'nope',
      }),
    ).toThrow(expect.objectContaining({ reason: 'BAD_SNAPSHOT', code: 'VALIDATION_FAILED' }));
  });
});
