/**
 * The desk's own SQLite file (`desk.db` in the user's data folder): offline
 * outbox, snapshots for an instant start, drafts.
 *
 * A file that SQLite cannot read or that fails `quick_check` is moved aside
 * (`desk.db.corrupt-<time>`) and a fresh one is created; whatever outbox rows
 * the old file still yields are copied over, because those are the agent's
 * unsent words. Everything else is a cache the hub refills.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { OutboxItem } from '@shared/outbox';

export type Db = Database.Database;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     hub_url TEXT NOT NULL,
     user_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL,
     state TEXT NOT NULL,
     error TEXT
   );
   CREATE INDEX outbox_scope ON outbox (hub_url, user_id, seq);
   CREATE TABLE cache (
     hub_url TEXT NOT NULL,
     user_id TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (hub_url, user_id, key)
   );
   CREATE TABLE drafts (
     hub_url TEXT NOT NULL,
     user_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     body TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (hub_url, user_id, conversation_id)
   );`,
  // A reply sent on another channel than the conversation's (issue 8).
  `ALTER TABLE outbox ADD COLUMN channel TEXT;`,
];

export interface OpenLocalDbOptions {
  /** Caps the file (`PRAGMA max_page_count`): a disk quota, and how tests make the disk "full". */
  maxPages?: number;
  now?: () => Date;
  onWarn?: (message: string, detail?: unknown) => void;
}

export interface LocalDb {
  db: Db;
  /** Set when the file was unreadable and rebuilt. */
  recovered: { movedTo: string; outboxRowsKept: number } | null;
  close(): void;
}

export interface OutboxRow {
  id: string;
  hub_url: string;
  user_id: string;
  conversation_id: string;
  kind: string;
  body: string;
  created_at: string;
  state: string;
  error: string | null;
  /** Absent in rows of a file from before the column. */
  channel?: string | null;
}

/** A stored row as an `OutboxItem`, or null when the row does not parse (a damaged file). */
export function rowToItem(row: OutboxRow): OutboxItem | null {
  let error: unknown = null;
  try {
    error = row.error ? (JSON.parse(row.error) as unknown) : null;
  } catch {
    error = null;
  }
  const parsed = OutboxItem.safeParse({
    id: row.id,
    hubUrl: row.hub_url,
    userId: row.user_id,
    conversationId: row.conversation_id,
    kind: row.kind,
    body: row.body,
    createdAt: row.created_at,
    state: row.state,
    error,
    ...(row.channel ? { channel: row.channel } : {}),
  });
  return parsed.success ? parsed.data : null;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function openChecked(file: string, options: OpenLocalDbOptions): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // The outbox is the one thing here that is not a cache: commit means on disk.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 2000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    migrate(db);
    if (options.maxPages) db.pragma(`max_page_count = ${options.maxPages}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const CORRUPT_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);
const isCorruption = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  CORRUPT_CODES.has(String((error as { code?: unknown }).code));

/** Reads whatever outbox rows a damaged file still gives, row by row. */
function salvageOutbox(file: string, onWarn: OpenLocalDbOptions['onWarn']): OutboxItem[] {
  const kept: OutboxItem[] = [];
  let old: Db | undefined;
  try {
    old = new Database(file, { readonly: true, fileMustExist: true });
    const ids = old.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[];
    const one = old.prepare('SELECT * FROM outbox WHERE seq = ?');
    for (const seq of ids) {
      try {
        const item = rowToItem(one.get(seq) as OutboxRow);
        if (item) kept.push(item);
      } catch (error) {
        onWarn?.(`outbox row ${seq} unreadable`, error);
      }
    }
  } catch (error) {
    onWarn?.('no outbox rows could be read from the damaged file', error);
  } finally {
    old?.close();
  }
  return kept;
}

export function insertOutboxItem(db: Db, item: OutboxItem): void {
  db.prepare(
    `INSERT INTO outbox (id, hub_url, user_id, conversation_id, kind, body, created_at, state, error, channel)
     VALUES (@id, @hubUrl, @userId, @conversationId, @kind, @body, @createdAt, @state, @error, @channel)
     ON CONFLICT (id) DO NOTHING`,
  ).run({ ...item, error: item.error ? JSON.stringify(item.error) : null, channel: item.channel ?? null });
}

/** Opens (creating, migrating or rebuilding) the desk's database at `file`. */
export function openLocalDb(file: string, options: OpenLocalDbOptions = {}): LocalDb {
  try {
    const db = openChecked(file, options);
    return { db, recovered: null, close: () => db.close() };
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const movedTo = `${file}.corrupt-${stamp}`;
    options.onWarn?.(`local database unreadable; moved to ${movedTo} and rebuilt`, error);
    renameSync(file, movedTo);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
    }
    const kept = salvageOutbox(movedTo, options.onWarn);
    const db = openChecked(file, options);
    db.transaction(() => kept.forEach((item) => insertOutboxItem(db, item)))();
    return { db, recovered: { movedTo, outboxRowsKept: kept.length }, close: () => db.close() };
  }
}
