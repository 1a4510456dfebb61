/**
 * The offline outbox on the desk's SQLite file (`OutboxStore` of
 * `@shared/outbox`, which holds the delivery logic). Every write is committed
 * with `synchronous=FULL` before it answers, so an item the renderer was told
 * is saved survives a crash. A full disk answers `STORAGE_FULL`, and the
 * renderer keeps the text in the composer.
 */
import { fail, ok, type Result } from '@shared/errors';
import type { OutboxStore } from '@shared/outbox';
import { insertOutboxItem, rowToItem, type Db, type OutboxRow } from './local-db';

/** SQLite's "disk full" (and the quota `max_page_count` sets), or the OS's ENOSPC. */
export function isDiskFull(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/** Runs a write; a full disk becomes `STORAGE_FULL`, anything else is rethrown (→ INTERNAL at the IPC edge). */
export function guardWrite<T>(write: () => T): Result<T> {
  try {
    return ok(write());
  } catch (error) {
    if (isDiskFull(error)) return fail('STORAGE_FULL', 'the disk is full; nothing was saved');
    throw error;
  }
}

export function createOutboxStore(db: Db): OutboxStore {
  const list = db.prepare('SELECT * FROM outbox WHERE hub_url = ? AND user_id = ? ORDER BY seq');
  const remove = db.prepare('DELETE FROM outbox WHERE id = ?');
  const setState = db.prepare('UPDATE outbox SET state = ?, error = ? WHERE id = ?');
  return {
    outboxAdd: async (item) => guardWrite(() => (insertOutboxItem(db, item), item)),
    outboxList: async ({ hubUrl, userId }) =>
      ok(
        (list.all(hubUrl, userId) as OutboxRow[])
          .map(rowToItem)
          .filter((item): item is NonNullable<typeof item> => item !== null),
      ),
    outboxRemove: async (id) => guardWrite(() => (remove.run(id), null)),
    outboxSetState: async ({ id, state, error }) =>
      guardWrite(() => (setState.run(state, error ? JSON.stringify(error) : null, id), null)),
  };
}
