/**
 * Opens the hub's database through Kysely: embedded SQLite by default (one
 * file in the data directory, WAL with synchronous=FULL so an acknowledged
 * write survives power loss), PostgreSQL when a `postgres://` URL is given.
 * Migrations run before the hub serves anything.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { moduleLogger } from '../log';
import { migrations } from './migrations';
import type { Schema } from './schema';

export type DbKind = 'sqlite' | 'postgres';
export type Db = Kysely<Schema>;

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

// int8 columns (our epoch-ms times and seqs) come back from pg as strings by
// default; they are all far below 2^53, so numbers are safe and keep the row
// types identical to SQLite's.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: { dataDir: string; url?: string | undefined }): Promise<Database> {
  // Taken per call, not at import, so a logger the caller set first applies.
  const log = moduleLogger('storage');
  let db: Db;
  let kind: DbKind;
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url)) {
    kind = 'postgres';
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    pool.on('error', (err) => log.error({ err }, 'postgres pool error'));
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  } else {
    kind = 'sqlite';
    mkdirSync(opts.dataDir, { recursive: true });
    const file = join(opts.dataDir, 'ieum.sqlite');
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  }

  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(kind) },
    migrationTableName: 'ieum_migrations',
    migrationLockTableName: 'ieum_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) log.info({ migration: r.migrationName, status: r.status }, 'migration');
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  log.info({ kind }, 'database ready');
  return { db, kind, close: () => db.destroy() };
}
