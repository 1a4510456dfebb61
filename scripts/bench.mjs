#!/usr/bin/env node
// `npm run bench -- NAME [args…]`: runs bench/NAME.ts (through tsx) with the
// remaining arguments; the bench prints its own JSON on stdout. Without a
// known NAME it lists the benches: files in bench/ whose header documents
// `npm run bench -- NAME` (the others, like load.ts, are helpers).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');
const [name, ...args] = process.argv.slice(2);

function listBenches() {
  const files = existsSync(benchDir) ? readdirSync(benchDir).filter((f) => f.endsWith('.ts')) : [];
  const names = files.map((f) => f.slice(0, -3));
  const documented = names.filter((n) =>
    readFileSync(join(benchDir, `${n}.ts`), 'utf8').includes(`npm run bench -- ${n}`),
  );
  return documented.length > 0 ? documented : names;
}

const valid = typeof name === 'string' && /^[\w-]+$/.test(name) && existsSync(join(benchDir, `${name}.ts`));
if (!valid) {
  const benches = listBenches();
  if (name && name !== '--help' && name !== '-h') console.error(`bench: no bench named "${name}"`);
  console.error('usage: npm run bench -- NAME [args…]');
  console.error(`benches: ${benches.length > 0 ? benches.join(', ') : '(none yet)'}`);
  process.exit(name && name !== '--help' && name !== '-h' ? 2 : 0);
}

// node --import tsx (not the tsx wrapper) so signals reach the bench itself.
// Its own process group, so whatever it started (hubs, echo servers) is ended
// with it even when it forgets to, and never outlives `npm run bench`.
const group = process.platform !== 'win32';
const child = spawn(process.execPath, ['--import', 'tsx', join('bench', `${name}.ts`), ...args], {
  cwd: root,
  stdio: 'inherit',
  detached: group,
});
const signalGroup = (signal) => {
  try {
    if (group) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => signalGroup(signal));
child.once('exit', (code, signal) => {
  signalGroup('SIGTERM');
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
});
