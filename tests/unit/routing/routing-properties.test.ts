import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoutingEngine, RoutingError, type Channel, type RoutingEvent } from '../../../server/routing/core';

const COST: Record<Channel, number> = {
  voice: 1,
  webchat: 1 / 3,
  email: 1 / 10,
  sms: 1 / 5,
  messenger: 1 / 3,
};
const LEVELS: Record<string, number> = { a1: 1, a2: 2, a3: 3, a4: 4 };
const MIN_LEVEL: Record<string, number> = { q1: 2, q2: 1 };
const CHANNELS: Record<string, Channel[]> = { q1: ['voice', 'webchat', 'email'], q2: ['voice', 'webchat'] };

const newEngine = (allowBlending: boolean) =>
  new RoutingEngine({
    // With blending off, blending alone already keeps most over-budget offers out; on, only the budget does.
    site: { capacityCost: COST, allowBlending, rejectCooldownSeconds: 60 },
    queues: [
      {
        id: 'q1',
        channels: CHANNELS.q1!,
        requiredSkills: [{ skillId: 's', minLevel: 2 }],
        overflow: { afterSeconds: 60, toQueueId: 'q2' },
        maxWaitSeconds: 600,
        stickyWindowSeconds: 30,
        offerTimeoutSeconds: 20,
      },
      {
        id: 'q2',
        channels: CHANNELS.q2!,
        requiredSkills: [{ skillId: 's', minLevel: 1 }],
        wrapUpSeconds: 10,
        offerTimeoutSeconds: 15,
        priority: 1,
      },
    ],
    agents: Object.entries(LEVELS).map(([id, level]) => ({ id, skills: [{ skillId: 's', level }] })),
  });

const agentId = fc.constantFrom(...Object.keys(LEVELS));
const pickIndex = fc.nat(50);
const command = fc.oneof(
  fc.record({
    t: fc.constant('enqueue' as const),
    queue: fc.constantFrom('q1', 'q2'),
    channel: fc.nat(2),
    priority: fc.nat(2),
    vip: fc.boolean(),
    lastAgent: fc.option(agentId, { nil: undefined }),
  }),
  fc.record({
    t: fc.constant('presence' as const),
    agent: agentId,
    state: fc.constantFrom('ready', 'not_ready', 'offline'),
  }),
  fc.record({ t: fc.constant('decide' as const) }),
  fc.record({ t: fc.constantFrom('accept', 'reject', 'complete', 'abandon', 'requeue'), i: pickIndex }),
  fc.record({ t: fc.constant('pick' as const), i: pickIndex, agent: agentId }),
  fc.record({ t: fc.constant('endWrapUp' as const), agent: agentId }),
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
);

const TERMINAL = new Set(['item.abandoned', 'item.expired', 'item.released']);

describe('routing invariants (fast-check)', () => {
  it('never exceeds capacity, offers only to ready qualified agents, and never loses or double-routes work', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(command, { minLength: 1, maxLength: 120 }), (blending, commands) => {
        const e = newEngine(blending);
        let now = 0;
        let n = 0;
        const live = new Map<string, 'waiting' | 'offered' | 'active'>();
        let enqueued = 0;
        let ended = 0;
        const byStatus = (status: string) => [...live].filter(([, st]) => st === status).map(([id]) => id);

        for (const c of commands) {
          switch (c.t) {
            case 'enqueue': {
              const channels = CHANNELS[c.queue]!;
              const id = `i${n++}`;
              e.enqueue(
                {
                  id,
                  queueId: c.queue,
                  channel: channels[c.channel % channels.length]!,
                  priority: c.priority,
                  vip: c.vip,
                  ...(c.lastAgent ? { lastAgentId: c.lastAgent } : {}),
                },
                now,
              );
              break;
            }
            case 'presence':
              e.agentStateChanged(c.agent, c.state, now, c.state === 'not_ready' ? 'break' : undefined);
              break;
            case 'decide':
              for (const offer of e.nextDecisions(now)) {
                const agent = e.getAgent(offer.agentId)!;
                expect(agent.presence).toBe('ready');
                expect(LEVELS[offer.agentId]).toBeGreaterThanOrEqual(MIN_LEVEL[offer.queueId]!);
              }
              break;
            case 'wait':
              now += c.ms;
              e.tick(now);
              break;
            case 'endWrapUp':
              e.endWrapUp(c.agent, now);
              break;
            case 'pick': {
              const waiting = byStatus('waiting');
              if (waiting.length === 0) break;
              try {
                e.pick(waiting[c.i % waiting.length]!, c.agent, now);
              } catch (err) {
                expect(err).toBeInstanceOf(RoutingError);
                expect(['NO_CAPACITY', 'AGENT_OFFLINE']).toContain((err as RoutingError).reason);
              }
              break;
            }
            default: {
              const pool =
                c.t === 'accept' || c.t === 'reject'
                  ? byStatus('offered')
                  : c.t === 'abandon'
                    ? [...byStatus('waiting'), ...byStatus('offered')]
                    : c.t === 'complete'
                      ? byStatus('active').filter((id) => e.getItem(id)?.status === 'active')
                      : byStatus('active');
              if (pool.length === 0) break;
              const id = pool[c.i % pool.length]!;
              const item = e.getItem(id)!;
              if (c.t === 'accept') e.accept(id, item.agentId!, now);
              else if (c.t === 'reject') e.reject(id, item.agentId!, now);
              else if (c.t === 'complete') e.complete(id, now);
              else if (c.t === 'abandon') e.abandon(id, now);
              else e.requeue(id, now);
            }
          }

          for (const ev of e.drainEvents() as RoutingEvent[]) {
            if (ev.type === 'item.enqueued') {
              enqueued++;
              live.set(ev.itemId, 'waiting');
            } else if (ev.type === 'item.offered') {
              // Routed twice would be an offer for work already offered or answered.
              expect(live.get(ev.itemId)).toBe('waiting');
              live.set(ev.itemId, 'offered');
            } else if (ev.type === 'offer.withdrawn' || ev.type === 'item.requeued') {
              live.set(ev.itemId, 'waiting');
            } else if (ev.type === 'item.accepted' || ev.type === 'item.picked') {
              live.set(ev.itemId, 'active');
            } else if (TERMINAL.has(ev.type) && 'itemId' in ev) {
              expect(live.has(ev.itemId)).toBe(true);
              live.delete(ev.itemId);
              ended++;
            }
          }

          // Nothing lost: every enqueued item is either still held or ended exactly once.
          expect(enqueued).toBe(live.size + ended);
          for (const id of live.keys()) expect(e.getItem(id)).toBeDefined();
          for (const id of Object.keys(LEVELS)) {
            const agent = e.getAgent(id)!;
            const held = agent.itemIds.reduce((sum, itemId) => sum + COST[e.getItem(itemId)!.channel], 0);
            expect(agent.used).toBeLessThanOrEqual(agent.capacity + 1e-9);
            expect(agent.used).toBeCloseTo(held, 9);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('serves FIFO within a priority (VIP first, then priority)', () => {
    const item = fc.record({
      gapMs: fc.integer({ min: 0, max: 3000 }),
      priority: fc.nat(2),
      vip: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(fc.record({ arrivals: fc.array(item, { maxLength: 4 }), serve: fc.boolean() }), {
          maxLength: 40,
        }),
        (steps) => {
          const e = new RoutingEngine({
            queues: [{ id: 'q', channels: ['voice'], requiredSkills: [] }],
            agents: [{ id: 'a', skills: [] }],
          });
          let now = 0;
          let n = 0;
          const waiting: { id: string; at: number; priority: number; vip: boolean; n: number }[] = [];
          let serving: string | undefined;
          for (const step of steps) {
            for (const arrival of step.arrivals) {
              now += arrival.gapMs;
              const id = `i${n}`;
              e.enqueue(
                { id, channel: 'voice', queueId: 'q', priority: arrival.priority, vip: arrival.vip },
                now,
              );
              waiting.push({ id, at: now, priority: arrival.priority, vip: arrival.vip, n: n++ });
            }
            if (!step.serve) continue;
            if (serving) e.complete(serving, now);
            else e.agentStateChanged('a', 'ready', now);
            serving = undefined;
            const offers = e.nextDecisions(now);
            if (waiting.length === 0) {
              expect(offers).toEqual([]);
              continue;
            }
            waiting.sort(
              (x, y) => Number(y.vip) - Number(x.vip) || y.priority - x.priority || x.at - y.at || x.n - y.n,
            );
            expect(offers.map((o) => o.itemId)).toEqual([waiting[0]!.id]);
            waiting.shift();
            e.accept(offers[0]!.itemId, 'a', now);
            serving = offers[0]!.itemId;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('overflows each waiting item exactly when its time in the queue reaches the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 30_000 }), enqueue: fc.boolean() }), {
          minLength: 1,
          maxLength: 60,
        }),
        (steps) => {
          const e = new RoutingEngine({
            queues: [
              {
                id: 'first',
                channels: ['webchat'],
                requiredSkills: [],
                overflow: { afterSeconds: 45, toQueueId: 'second' },
              },
              { id: 'second', channels: ['webchat'], requiredSkills: [] },
            ],
            agents: [{ id: 'a', skills: [] }],
          });
          let now = 0;
          const enteredAt = new Map<string, number>();
          for (const [k, step] of steps.entries()) {
            now += step.gapMs;
            e.tick(now);
            if (step.enqueue) {
              e.enqueue({ id: `i${k}`, channel: 'webchat', queueId: 'first' }, now);
              enteredAt.set(`i${k}`, now);
            }
            for (const ev of e.drainEvents()) {
              if (ev.type === 'item.overflowed') expect(ev.at).toBe(enteredAt.get(ev.itemId)! + 45_000);
            }
            for (const [id, at] of enteredAt) {
              expect(e.getItem(id)!.currentQueueId).toBe(at + 45_000 <= now ? 'second' : 'first');
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
