/**
 * A throwaway, real PostgreSQL server for tests (Debian's packaged binaries).
 *
 * Each call gets its own temp directory with a fresh cluster (trust auth,
 * UTF8, locale C), a unix socket inside that directory, and a TCP listener on
 * 127.0.0.1 only, on a free port. `fsync=off`: the data is thrown away anyway.
 * PostgreSQL refuses to run as root, so under root (as in CI) initdb and
 * pg_ctl run as the `postgres` OS user that the Debian package creates.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** Connection URL of the `postgres` database as the `postgres` superuser. */
  url: string;
  port: number;
  /** The temp directory holding the cluster, its socket and its log. */
  dir: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server at once (even mid-test) and removes its directory. */
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';

/** The bin dir of the newest PostgreSQL major version Debian installed. */
export function findPostgresBin(): string {
  const versions = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter(
          (v) =>
            existsSync(join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(join(PG_ROOT, v, 'bin', 'pg_ctl')),
        )
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `PostgreSQL server binaries not found under ${PG_ROOT}/*/bin. ` +
        'Install them with: bash scripts/system-deps.sh test (as root, or with sudo)',
    );
  }
  return join(PG_ROOT, versions[0]!, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The command line, run as the postgres OS user when we are root. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', SUPERUSER, '--', bin, ...args]] : [bin, args];
}

function run(bin: string, args: string[], cwd: string): Promise<void> {
  const [command, argv] = asServerUser(bin, args);
  return new Promise((resolve, reject) => {
    // stdout/stderr are collected, but we wait for 'exit', not 'close': the
    // postmaster that pg_ctl forks must not be able to keep us waiting.
    const child = spawn(command, argv, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${[command, ...argv].join(' ')} exited with ${code}:\n${output.trim()}`)),
    );
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** Starts a fresh PostgreSQL cluster on 127.0.0.1 and a free port. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'ieum-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  const logFile = join(dir, 'server.log');
  mkdirSync(socketDir);
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }

  const stopNow = () => {
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      try {
        const [command, argv] = asServerUser(join(bin, 'pg_ctl'), [
          'stop',
          '-D',
          dataDir,
          '-m',
          'immediate',
          '-w',
          '-t',
          '30',
        ]);
        execFileSync(command, argv, { cwd: dir, stdio: 'ignore' });
      } catch {
        killPostmaster(dataDir);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test run dies without its teardown, do not leave a server behind.
  process.once('exit', stopNow);

  try {
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        SUPERUSER,
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      dir,
    );
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      appendFileSync(
        join(dataDir, 'postgresql.conf'),
        [
          '',
          '# ieum test harness',
          `listen_addresses = '127.0.0.1'`,
          `port = ${port}`,
          `unix_socket_directories = '${socketDir}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          'max_connections = 200',
          '',
        ].join('\n'),
      );
      try {
        await run(join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60'], dir);
        break;
      } catch (error) {
        // Another process may have taken the port between our probe and the
        // server's bind; the later `port = …` line wins, so just try again.
        if (attempt >= 3)
          throw new Error(`${(error as Error).message}\n--- server log ---\n${tail(logFile)}`);
      }
    }

    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    return {
      url,
      port,
      dir,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name: ${name}`);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE "${name}"`);
        } finally {
          await client.end();
        }
        const dbUrl = new URL(url);
        dbUrl.pathname = `/${name}`;
        return dbUrl.toString();
      },
      async stop() {
        process.removeListener('exit', stopNow);
        stopNow();
      },
    };
  } catch (error) {
    process.removeListener('exit', stopNow);
    stopNow();
    throw error;
  }
}

/** Last resort when pg_ctl cannot stop it: SIGKILL the postmaster by its pid file. */
function killPostmaster(dataDir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

let freshCount = 0;
/**
 * A new empty database on the shared test server (`base`: the URL the global
 * setup provides), named `<prefix>_<pid>_<n>` so parallel test files never meet.
 */
export async function freshDatabase(base: string, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${++freshCount}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
