/**
 * `npm run simulate -- --agents N --calls-per-hour R --aht SECONDS --hours H
 *   --sl-seconds T [--patience SECONDS|none] [--seed S] [--json]`
 *
 * Drives the real routing core (server/routing/core) through a seeded
 * discrete-event simulation and prints what a wallboard would show, next to
 * the Erlang C figures for the same staffing.
 */
import { parseArgs } from 'node:util';
import { simulate } from '../server/routing/core/simulator';

const USAGE =
  'usage: npm run simulate -- --agents N --calls-per-hour R --aht SECONDS --hours H --sl-seconds T ' +
  '[--patience SECONDS|none] [--seed S] [--json]';

function fail(message: string): never {
  console.error(`simulate: ${message}\n${USAGE}`);
  process.exit(2);
}

function number(name: string, raw: string | undefined, min: number, max: number, integer = false): number {
  if (raw === undefined) fail(`--${name} is required`);
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    fail(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      agents: { type: 'string' },
      'calls-per-hour': { type: 'string' },
      aht: { type: 'string' },
      hours: { type: 'string' },
      'sl-seconds': { type: 'string' },
      patience: { type: 'string', default: 'none' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const result = simulate({
  agents: number('agents', values.agents, 1, 10_000, true),
  callsPerHour: number('calls-per-hour', values['calls-per-hour'], 0, 1_000_000),
  ahtSeconds: number('aht', values.aht, 1, 86_400),
  hours: number('hours', values.hours, 0, 100_000),
  slSeconds: number('sl-seconds', values['sl-seconds'], 0, 86_400),
  patienceSeconds: values.patience === 'none' ? null : number('patience', values.patience, 1, 86_400),
  seed: number('seed', values.seed, 0, 2 ** 32 - 1, true),
});

if (values.json) {
  console.log(JSON.stringify(result));
} else {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    [
      `offered ${result.offered}, answered ${result.answered}, abandoned ${result.abandoned} (${pct(result.abandonRate)})`,
      `service level ${pct(result.serviceLevel)} (Erlang C ${pct(result.erlangC.serviceLevel)})`,
      `ASA ${result.asaSeconds.toFixed(1)}s (Erlang C ${result.erlangC.asaSeconds.toFixed(1)}s)`,
      `occupancy ${pct(result.occupancy)} (Erlang C ${pct(result.erlangC.occupancy)})`,
    ].join('\n'),
  );
}
