import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { erlangC, erlangCProbWait } from '../../../server/routing/core';
import { simulate } from '../../../server/routing/core/simulator';

/** The textbook formula with powers and factorials: fine for small N, the reference for the recursion. */
function textbookProbWait(n: number, a: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < n; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const top = term * (a / n) * (n / (n - a));
  return top / (sum + top);
}

describe('Erlang C', () => {
  it('matches the textbook formula for small centers', () => {
    for (const [n, a] of [
      [1, 0.5],
      [5, 3.2],
      [20, 16.6667],
      [30, 25],
    ] as const) {
      expect(erlangCProbWait(n, a)).toBeCloseTo(textbookProbWait(n, a), 10);
    }
  });

  it('gives the known figures for 20 agents, 200 calls/h, AHT 300 s, 20 s target', () => {
    const r = erlangC({ agents: 20, callsPerHour: 200, ahtSeconds: 300 }, 20);
    expect(r.probWait).toBeCloseTo(0.3381, 3);
    expect(r.serviceLevel).toBeCloseTo(0.7293, 3);
    expect(r.asaSeconds).toBeCloseTo(30.43, 1);
  });

  it('stays finite and sane for hundreds of agents, and says 1 when the load is too high', () => {
    const big = erlangC({ agents: 600, callsPerHour: 6800, ahtSeconds: 300 }, 20);
    expect(big.probWait).toBeGreaterThan(0);
    expect(big.probWait).toBeLessThan(1);
    expect(Number.isFinite(big.asaSeconds)).toBe(true);
    expect(erlangC({ agents: 10, callsPerHour: 200, ahtSeconds: 300 }, 20)).toMatchObject({
      probWait: 1,
      serviceLevel: 0,
    });
  });
});

describe('the simulator against Erlang C', () => {
  it('agrees on service level and ASA with no abandons and one skill', () => {
    // 500 simulated hours ≈ 100k calls: a fixed seed keeps it deterministic, the length keeps it close.
    const r = simulate({
      agents: 20,
      callsPerHour: 200,
      ahtSeconds: 300,
      hours: 500,
      slSeconds: 20,
      patienceSeconds: null,
      seed: 7,
    });
    expect(r.abandoned).toBe(0);
    expect(r.answered).toBe(r.offered);
    expect(Math.abs(r.serviceLevel - r.erlangC.serviceLevel)).toBeLessThan(0.02);
    expect(Math.abs(r.asaSeconds - r.erlangC.asaSeconds) / r.erlangC.asaSeconds).toBeLessThan(0.15);
    expect(Math.abs(r.occupancy - r.erlangC.occupancy)).toBeLessThan(0.02);
  });

  it('loses callers when they have little patience', () => {
    const r = simulate({
      agents: 20,
      callsPerHour: 200,
      ahtSeconds: 300,
      hours: 20,
      slSeconds: 20,
      patienceSeconds: 30,
      seed: 3,
    });
    expect(r.abandoned).toBeGreaterThan(0);
    expect(r.abandonRate).toBeCloseTo(r.abandoned / r.offered, 10);
  });

  it('runs from the command line and prints the JSON figures', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/simulate.ts',
        '--agents',
        '5',
        '--calls-per-hour',
        '40',
        '--aht',
        '300',
        '--hours',
        '2',
        '--sl-seconds',
        '20',
        '--patience',
        'none',
        '--seed',
        '1',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out) as Record<string, number>;
    for (const key of [
      'offered',
      'answered',
      'abandoned',
      'serviceLevel',
      'asaSeconds',
      'occupancy',
      'abandonRate',
    ]) {
      expect(typeof r[key]).toBe('number');
    }
  });
});
