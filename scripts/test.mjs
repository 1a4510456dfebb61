#!/usr/bin/env node
// `npm test`: everything CI checks, in the order that fails fastest on what it
// needs. Extra arguments go to vitest: `npm test -- --project unit`.
//
//   1. Debian packages the tests use (PostgreSQL, Chromium, CJK fonts, Kamailio)
//   2. the desk build (the e2e tests load out/renderer through the hub)
//   3. typecheck, 4. lint, 5. vitest (unit, server, e2e, reliability)
//
// Output streams as it comes; the first failing step stops the run with its
// exit code, and a one-line timing summary closes each step.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const win = process.platform === 'win32';
const vitestArgs = process.argv.slice(2);

const steps = [
  { name: 'system-deps', command: 'bash', args: ['scripts/system-deps.sh', 'test', 'telephony', 'mail'] },
  { name: 'build', command: 'npx', args: ['electron-vite', 'build'] },
  { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'vitest', command: 'npx', args: ['vitest', 'run', ...vitestArgs] },
];

let current = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The child shares our terminal and gets Ctrl-C itself; we only wait for it.
  process.on(signal, () => {
    if (current) current.kill(signal);
    else process.exit(130);
  });
}

function run({ command, args }) {
  return new Promise((resolve) => {
    current = spawn(command, args, { cwd: root, stdio: 'inherit', shell: win });
    current.once('error', (error) => {
      console.error(`test: cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    current.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  }).finally(() => (current = null));
}

function signalNumber(signal) {
  return { SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[signal] ?? 1;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const summary = [];
const started = Date.now();

for (const step of steps) {
  console.log(`\n▶ test: ${step.name}: ${[step.command, ...step.args].join(' ')}`);
  const t0 = Date.now();
  const code = await run(step);
  const line = `${code === 0 ? '✔' : '✘'} ${step.name} ${seconds(Date.now() - t0)}`;
  summary.push(line);
  console.log(`${line}${code === 0 ? '' : ` (exit ${code})`}`);
  if (code !== 0) {
    console.log(`\ntest: failed at ${step.name} — ${summary.join(' · ')}`);
    process.exit(code);
  }
}
console.log(`\ntest: all passed in ${seconds(Date.now() - started)} — ${summary.join(' · ')}`);
