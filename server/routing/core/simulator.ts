/**
 * A discrete-event contact-center simulation around the real RoutingEngine:
 * Poisson arrivals, exponential handle times, optional exponential patience
 * (Erlang A), one skill, one voice queue. The clock jumps from event to event
 * (the next arrival, completion, hang-up, or engine timer), so hundreds of
 * simulated hours take seconds. Agents answer every offer at once: the
 * figures measure the queue, not ringing time.
 */
import { erlangC, type ErlangCResult } from './erlang-c';
import { MinHeap } from './min-heap';
import { RoutingEngine } from './routing-engine';

export interface SimulationOptions {
  agents: number;
  callsPerHour: number;
  ahtSeconds: number;
  hours: number;
  slSeconds: number;
  /** Mean patience before a waiting caller hangs up; null: nobody hangs up (Erlang C). */
  patienceSeconds: number | null;
  seed: number;
}

export interface SimulationResult {
  offered: number;
  answered: number;
  abandoned: number;
  /** Answered within the target ÷ (answered + abandoned after the target), as the core's queue stats count it. */
  serviceLevel: number;
  asaSeconds: number;
  occupancy: number;
  abandonRate: number;
  erlangC: ErlangCResult;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimEvent {
  at: number;
  seq: number;
  kind: 'arrival' | 'complete' | 'hangup';
  itemId: string;
}

export function simulate(options: SimulationOptions): SimulationResult {
  const { agents, callsPerHour, ahtSeconds, hours, slSeconds, patienceSeconds, seed } = options;
  const random = seededRandom(seed);
  // 1 − U is in (0, 1], so the logarithm is finite.
  const exp = (meanMs: number) => -Math.log(1 - random()) * meanMs;
  const engine = new RoutingEngine(
    {
      queues: [
        {
          id: 'sim',
          channels: ['voice'],
          requiredSkills: [{ skillId: 'support', minLevel: 1 }],
          slTargetSeconds: slSeconds,
          offerTimeoutSeconds: 600,
        },
      ],
      agents: Array.from({ length: agents }, (_, i) => ({
        id: `a${i}`,
        skills: [{ skillId: 'support', level: 1 + (i % 5) }],
      })),
    },
    { recordEvents: false },
  );
  for (let i = 0; i < agents; i++) engine.agentStateChanged(`a${i}`, 'ready', 0);

  const endMs = hours * 3_600_000;
  const interArrivalMs = 3_600_000 / callsPerHour;
  const events = new MinHeap<SimEvent>((a, b) => (a.at !== b.at ? a.at < b.at : a.seq < b.seq));
  let seq = 0;
  let offered = 0;
  let busyMs = 0;
  const schedule = (at: number, kind: SimEvent['kind'], itemId: string) =>
    events.push({ at, seq: seq++, kind, itemId });
  if (callsPerHour > 0) schedule(exp(interArrivalMs), 'arrival', 'c0');

  for (;;) {
    const nextSim = events.peek();
    const nextTimer = engine.nextDueAt();
    if (!nextSim && nextTimer === undefined) break;
    let now: number;
    if (nextSim && (nextTimer === undefined || nextSim.at <= nextTimer)) {
      const ev = events.pop()!;
      now = ev.at;
      if (ev.kind === 'arrival') {
        offered++;
        engine.enqueue({ id: ev.itemId, channel: 'voice', queueId: 'sim' }, now);
        if (patienceSeconds !== null) schedule(now + exp(patienceSeconds * 1000), 'hangup', ev.itemId);
        const next = now + exp(interArrivalMs);
        if (next < endMs) schedule(next, 'arrival', `c${offered}`);
      } else if (ev.kind === 'hangup') {
        const item = engine.getItem(ev.itemId);
        if (item && (item.status === 'waiting' || item.status === 'offered')) engine.abandon(ev.itemId, now);
      } else {
        engine.complete(ev.itemId, now);
      }
    } else {
      now = nextTimer!;
      engine.tick(now);
    }
    for (const offer of engine.nextDecisions(now)) {
      engine.accept(offer.itemId, offer.agentId, now);
      const done = now + exp(ahtSeconds * 1000);
      busyMs += Math.max(0, Math.min(done, endMs) - Math.min(now, endMs));
      schedule(done, 'complete', offer.itemId);
    }
  }

  const stats = engine.queueStats(engine.now())[0]!;
  return {
    offered,
    answered: stats.answered,
    abandoned: stats.abandoned,
    serviceLevel: stats.serviceLevel ?? 1,
    asaSeconds: stats.asaSeconds ?? 0,
    occupancy: endMs > 0 ? busyMs / (agents * endMs) : 0,
    abandonRate: offered === 0 ? 0 : stats.abandoned / offered,
    erlangC: erlangC({ agents, callsPerHour, ahtSeconds }, slSeconds),
  };
}
