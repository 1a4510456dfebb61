/**
 * Erlang C: the M/M/N queue (Poisson arrivals, exponential handle times, N
 * agents, nobody hangs up). Computed through the Erlang B recursion
 * B(n) = A·B(n−1) / (n + A·B(n−1)), which never forms A^N or N!, so it stays
 * exact for hundreds of agents where the textbook formula overflows.
 */

export interface ErlangCInput {
  agents: number;
  callsPerHour: number;
  ahtSeconds: number;
}

export interface ErlangCResult {
  /** Offered load in Erlangs (A = λ · AHT). */
  trafficErlangs: number;
  /** Probability an arriving call waits at all. */
  probWait: number;
  /** Share answered within the target time. */
  serviceLevel: number;
  /** Average speed of answer, seconds (over all calls, waiting or not). */
  asaSeconds: number;
  /** Share of agent time spent handling calls. */
  occupancy: number;
}

/** Erlang B blocking probability for `agents` servers and `traffic` Erlangs. */
export function erlangB(agents: number, traffic: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return b;
}

/** Probability of waiting; 1 when the load meets or exceeds the agents (the queue grows without bound). */
export function erlangCProbWait(agents: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (traffic >= agents) return 1;
  const b = erlangB(agents, traffic);
  return (agents * b) / (agents - traffic * (1 - b));
}

/** Service level, ASA and occupancy for a target of `targetSeconds`. */
export function erlangC(input: ErlangCInput, targetSeconds: number): ErlangCResult {
  const { agents, callsPerHour, ahtSeconds } = input;
  if (
    !(agents > 0) ||
    !Number.isInteger(agents) ||
    !(callsPerHour >= 0) ||
    !(ahtSeconds > 0) ||
    !(targetSeconds >= 0)
  ) {
    throw new RangeError('erlangC needs a whole number of agents > 0, calls ≥ 0, AHT > 0 and a target ≥ 0');
  }
  const traffic = (callsPerHour / 3600) * ahtSeconds;
  const probWait = erlangCProbWait(agents, traffic);
  if (traffic >= agents) {
    return { trafficErlangs: traffic, probWait: 1, serviceLevel: 0, asaSeconds: Infinity, occupancy: 1 };
  }
  const spare = agents - traffic;
  return {
    trafficErlangs: traffic,
    probWait,
    serviceLevel: 1 - probWait * Math.exp((-spare * targetSeconds) / ahtSeconds),
    asaSeconds: (probWait * ahtSeconds) / spare,
    occupancy: traffic / agents,
  };
}
