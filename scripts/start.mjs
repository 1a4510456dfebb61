#!/usr/bin/env node
// `npm start`: the demo, with no environment variable to set.
//
//   1. builds the desk when out/ is missing or older than its sources;
//   2. starts a hub on embedded SQLite with demo data at http://127.0.0.1:7300
//      (data in .ieum-data/, its JSON log in .ieum-data/hub.log);
//   3. opens the Electron desk — fetching Electron's binary first if `npm ci`
//      skipped it (package.json allowScripts) — or, where Electron cannot be
//      fetched or shown, says so in one line and serves the same desk in the
//      browser at /desk/. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const win = process.platform === 'win32';
const PORT = 7300;
const HUB_URL = `http://127.0.0.1:${PORT}`;
const DESK_URL = `${HUB_URL}/desk/`;
const DATA_DIR = '.ieum-data';
const ELECTRON_DIR = join(root, 'node_modules', 'electron');

const DEMO_USERS = [
  ['agent1', 'agent, 서울센터 (seoul)'],
  ['agent2', 'agent, 서울센터 (seoul)'],
  ['supervisor1', 'supervisor, 서울센터 (seoul)'],
  ['manager1', 'site manager, 서울센터 (seoul)'],
  ['hq1', 'HQ analyst, all sites (PII masked)'],
  ['admin1', 'admin'],
];

const say = (line) => console.log(`ieum: ${line}`);

/** Runs a command to completion with inherited output; resolves to its exit code. */
function run(command, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: win, ...opts });
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

// --- 1. the desk build -----------------------------------------------------

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function deskIsStale() {
  const outputs = ['out/renderer/index.html', 'out/main/index.js', 'out/preload/index.cjs'].map((p) =>
    join(root, p),
  );
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = ['src', 'electron.vite.config.ts', 'package.json']
    .map((p) => join(root, p))
    .filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > built;
}

// --- 2. the hub --------------------------------------------------------------

function startHub() {
  mkdirSync(join(root, DATA_DIR), { recursive: true });
  const logFile = join(DATA_DIR, 'hub.log');
  const log = createWriteStream(join(root, logFile), { flags: 'a' });
  // node --import tsx rather than the tsx wrapper: signals reach the hub itself.
  const hub = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--data', DATA_DIR, '--port', String(PORT), '--demo'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const recent = [];
  for (const stream of [hub.stdout, hub.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      recent.push(line);
      if (recent.length > 20) recent.shift();
      // Show warnings and errors (pino level >= 40) and anything that is not JSON.
      let level = 50;
      try {
        level = JSON.parse(line).level ?? 30;
      } catch {
        // not a pino line: show it
      }
      if (level >= 40) console.error(`hub: ${line}`);
    });
  }
  return { hub, logFile, recent };
}

async function waitHealthy(hub, recent) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (hub.exitCode !== null || hub.signalCode !== null) {
      throw new Error(
        `the hub exited (${hub.exitCode ?? hub.signalCode}) before it was ready:\n${recent.join('\n')}`,
      );
    }
    try {
      const res = await fetch(`${HUB_URL}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return await res.json();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the hub did not answer ${HUB_URL}/healthz within 120 s:\n${recent.join('\n')}`);
}

// --- 3. Electron, or the browser ------------------------------------------

function electronBinary() {
  try {
    const rel = readFileSync(join(ELECTRON_DIR, 'path.txt'), 'utf8').trim();
    const bin = join(ELECTRON_DIR, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** electron's own install.js downloads the binary when the network allows it. */
async function fetchElectron() {
  const install = join(ELECTRON_DIR, 'install.js');
  if (!existsSync(install)) return null;
  say('fetching the Electron binary (npm ci skips it)…');
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [install], { cwd: ELECTRON_DIR, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('error', () => resolve(1));
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c ?? 1);
    });
  });
  return code === 0 ? electronBinary() : null;
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function printWelcome() {
  say(`hub ${HUB_URL} (log: ${join(DATA_DIR, 'hub.log')})`);
  say('demo users, password "demo":');
  for (const [user, role] of DEMO_USERS) console.log(`    ${user.padEnd(12)} ${role}`);
}

function browserDesk(reason) {
  say(`${reason} — open the desk in your browser: ${DESK_URL}`);
  say('Ctrl-C stops the hub.');
}

async function main() {
  if (deskIsStale()) {
    say('building the desk (electron-vite build)…');
    const code = await run('npx', ['electron-vite', 'build']);
    if (code !== 0) {
      say(`the desk build failed (exit ${code})`);
      process.exit(code);
    }
  }

  const { hub, recent } = startHub();
  let electron = null;
  let stopping = false;
  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    electron?.kill('SIGTERM');
    if (hub.exitCode !== null || hub.signalCode !== null) process.exit(code);
    hub.once('exit', () => process.exit(code));
    hub.kill('SIGTERM');
    setTimeout(() => hub.kill('SIGKILL'), 10_000).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  hub.once('exit', (code, signal) => {
    if (stopping) return;
    say(`the hub stopped (${code ?? signal}); last lines:\n${recent.join('\n')}`);
    electron?.kill('SIGTERM');
    process.exit(code || 1);
  });

  try {
    await waitHealthy(hub, recent);
  } catch (error) {
    say(error.message);
    if (recent.some((l) => l.includes('EADDRINUSE')))
      say(`port ${PORT} is taken — is another \`npm start\` running?`);
    stop(1);
    return;
  }
  printWelcome();

  const binary = electronBinary() ?? (await fetchElectron());
  if (!binary) {
    browserDesk('Electron could not be fetched (no access to its download host)');
    return;
  }
  if (!hasDisplay()) {
    browserDesk('no display for the Electron desk (DISPLAY is not set)');
    return;
  }

  // Chromium refuses to run as root without --no-sandbox; only then is it added.
  const args = ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
  const launchedAt = Date.now();
  electron = spawn(binary, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, IEUM_HUB_URL: HUB_URL },
  });
  say('Electron desk started; closing it stops the hub.');
  electron.once('error', (error) => {
    electron = null;
    browserDesk(`Electron could not start (${error.message})`);
  });
  electron.once('exit', (code) => {
    electron = null;
    if (stopping) return;
    if (code !== 0 && Date.now() - launchedAt < 10_000) {
      browserDesk(`Electron exited at once (exit ${code})`);
      return;
    }
    stop(0);
  });
}

await main();
