/**
 * The PostgreSQL test harness itself: the server from global-postgres.ts is
 * reachable on loopback, and startPostgres() gives a working, isolated server
 * that is really gone after stop().
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { startPostgres } from '../support/postgres';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL test harness', () => {
  it('provides a server on 127.0.0.1 to the server project', async () => {
    const url = new URL(inject('pgUrl'));
    expect(url.hostname).toBe('127.0.0.1');
    const rows = await query<{ one: number; encoding: string }>(
      url.toString(),
      "select 1 as one, pg_encoding_to_char(encoding) as encoding from pg_database where datname = 'postgres'",
    );
    expect(rows).toEqual([{ one: 1, encoding: 'UTF8' }]);
  });

  it('starts its own server, creates a database, and stops it', async () => {
    const server = await startPostgres();
    let stopped = false;
    try {
      const dbUrl = await server.createDatabase('harness_check');
      expect(new URL(dbUrl).pathname).toBe('/harness_check');
      const [row] = await query<{ db: string; one: number; listen: string }>(
        dbUrl,
        "select current_database() as db, 1 as one, current_setting('listen_addresses') as listen",
      );
      expect(row).toEqual({ db: 'harness_check', one: 1, listen: '127.0.0.1' });
      await expect(server.createDatabase('bad; drop')).rejects.toThrow(/invalid database name/);
      await server.stop();
      stopped = true;
      // Nothing answers on its port any more.
      await expect(query(server.url, 'select 1')).rejects.toThrow();
    } finally {
      if (!stopped) await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
  });
});
