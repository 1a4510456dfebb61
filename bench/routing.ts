/**
 * `npm run bench -- routing [--agents 2000] [--waiting 10000] [--decisions 20000]`
 *
 * The routing core under load: 2,000 agents over 20 skill-based queues
 * (voice and web chat, no blending) with 10,000 items waiting. Each step one
 * piece of work ends, the freed agent's budget is matched (`nextDecisions`,
 * timed alone for the latency figures), the offer is accepted and a new item
 * arrives, so the wait queue stays full. The same steps then run against a
 * plain FIFO array (pop the head, hand it to the freed agent) in the same
 * process; `ratio` is ours / baseline. A burst figure times one
 * `nextDecisions` that staffs every agent at once. Prints one JSON object.
 */
import { parseArgs } from 'node:util';
import { RoutingEngine } from '../server/routing/core/routing-engine';
import { seededRandom } from '../server/routing/core/simulator';
import type { Channel } from '../server/routing/core/types';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '2000' },
    waiting: { type: 'string', default: '10000' },
    decisions: { type: 'string', default: '20000' },
  },
});
const AGENTS = Number(values.agents);
const WAITING = Number(values.waiting);
const DECISIONS = Number(values.decisions);
const QUEUES = 20;
const SKILLS = 10;

const random = seededRandom(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const progress = (msg: string) => process.stderr.write(`[bench routing] ${msg}\n`);

const queues = Array.from({ length: QUEUES }, (_, i) => ({
  id: `q${i}`,
  channels: ['voice', 'webchat'] as Channel[],
  requiredSkills: [{ skillId: `s${i % SKILLS}`, minLevel: 1 + (i % 3) }],
  priority: i % 4,
  offerTimeoutSeconds: 30,
}));
const agents = Array.from({ length: AGENTS }, (_, i) => ({
  id: `a${i}`,
  // Four skills each, so every agent serves several queues, as in a real center.
  skills: Array.from(new Set([i % SKILLS, (i + 3) % SKILLS, (i + 5) % SKILLS, (i + 7) % SKILLS])).map(
    (s) => ({
      skillId: `s${s}`,
      level: 1 + Math.floor(random() * 5),
    }),
  ),
}));

let seq = 0;
const newItem = () => ({
  id: `w${seq++}`,
  channel: (random() < 0.5 ? 'voice' : 'webchat') as Channel,
  queueId: pick(queues).id,
  priority: Math.floor(random() * 3),
  vip: random() < 0.05,
  complexity: pick(['simple', 'complex', undefined] as const),
});

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function runCore() {
  const engine = new RoutingEngine({ queues, agents });
  let now = 1;
  for (const a of agents) engine.agentStateChanged(a.id, 'ready', now);
  // Enough work for every agent plus a full wait queue behind them.
  for (let i = 0; i < WAITING + AGENTS * 3; i++) engine.enqueue(newItem(), now);
  now++;
  const burstStart = performance.now();
  const first = engine.nextDecisions(now);
  const burstMs = performance.now() - burstStart;
  const active: string[] = [];
  for (const o of first) {
    engine.accept(o.itemId, o.agentId, now);
    active.push(o.itemId);
  }
  const waiting = () => engine.queueStats(now).reduce((n, q) => n + q.waiting, 0);
  for (let w = waiting(); w < WAITING; w++) engine.enqueue(newItem(), now);
  // The burst staffed fewer than it could have (a call needs a whole budget): trim back to WAITING.
  const surplus = queues.flatMap((q) => engine.waitingItems(q.id)).slice(WAITING);
  for (const id of surplus) engine.abandon(id, now);
  const waitingAtStart = waiting();
  engine.drainEvents();

  const latencies = new Float64Array(DECISIONS);
  let decisions = 0;
  let steps = 0;
  const start = performance.now();
  while (decisions < DECISIONS) {
    now++;
    const done = active.splice(Math.floor(random() * active.length), 1)[0]!;
    engine.complete(done, now);
    const t0 = performance.now();
    const offers = engine.nextDecisions(now);
    const dt = performance.now() - t0;
    for (const o of offers) {
      if (decisions < DECISIONS) latencies[decisions++] = dt / offers.length;
      engine.accept(o.itemId, o.agentId, now);
      active.push(o.itemId);
      engine.enqueue(newItem(), now);
    }
    engine.drainEvents();
    steps++;
  }
  const elapsed = performance.now() - start;
  latencies.sort();
  return {
    burst: {
      decisions: first.length,
      ms: round(burstMs),
      decisionsPerSecond: Math.round(first.length / (burstMs / 1000)),
    },
    waitingAtStart,
    waitingAtEnd: waiting(),
    steps,
    decisions,
    decisionsPerSecond: Math.round(decisions / (elapsed / 1000)),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
  };
}

/** The floor: a FIFO array and a list of agents, no skills, budget or order rules. */
function runBaseline() {
  const fifo: { id: string }[] = [];
  for (let i = 0; i < WAITING; i++) fifo.push(newItem());
  const busy: { agent: string; item: string }[] = agents.map((a) => ({
    agent: a.id,
    item: fifo.shift()!.id,
  }));
  for (let i = 0; i < AGENTS; i++) fifo.push(newItem());
  const latencies = new Float64Array(DECISIONS);
  const start = performance.now();
  for (let d = 0; d < DECISIONS; d++) {
    const done = busy.splice(Math.floor(random() * busy.length), 1)[0]!;
    const t0 = performance.now();
    const next = fifo.shift()!;
    latencies[d] = performance.now() - t0;
    busy.push({ agent: done.agent, item: next.id });
    fifo.push(newItem());
  }
  const elapsed = performance.now() - start;
  latencies.sort();
  return {
    decisions: DECISIONS,
    decisionsPerSecond: Math.round(DECISIONS / (elapsed / 1000)),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

progress(`${AGENTS} agents, ${QUEUES} queues, ${WAITING} waiting, ${DECISIONS} decisions`);
const core = runCore();
progress('baseline: plain FIFO array');
const baseline = runBaseline();
console.log(
  JSON.stringify({
    bench: 'routing',
    agents: AGENTS,
    queues: QUEUES,
    waiting: WAITING,
    core,
    baseline,
    ratio: round(core.decisionsPerSecond / baseline.decisionsPerSecond),
  }),
);
