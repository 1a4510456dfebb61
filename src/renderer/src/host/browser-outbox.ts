/**
 * The offline outbox of the browser desk, in localStorage: the same
 * `OutboxStore` the Electron host keeps in SQLite, so `@shared/outbox` drives
 * both. localStorage survives a reload and a closed tab; a full quota answers
 * `STORAGE_FULL` and the renderer keeps the text in the composer.
 */
import { fail, ok, type Result } from '@shared/errors';
import { OutboxItem, type OutboxStore } from '@shared/outbox';

export const OUTBOX_KEY = 'ieum:outbox';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

function isQuotaError(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** Every stored item that still parses, oldest first. */
function readAll(storage: Storage): OutboxItem[] {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(OUTBOX_KEY) ?? '[]');
  } catch {
    raw = [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const parsed = OutboxItem.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

function writeAll(storage: Storage, items: OutboxItem[]): Result<null> {
  try {
    storage.setItem(OUTBOX_KEY, JSON.stringify(items));
    return ok(null);
  } catch (error) {
    if (isQuotaError(error)) return fail('STORAGE_FULL', 'browser storage is full; nothing was saved');
    throw error;
  }
}

export function createBrowserOutbox(storage: Storage): OutboxStore {
  return {
    outboxAdd: async (item) => {
      const items = readAll(storage);
      if (items.some((i) => i.id === item.id)) return ok(item);
      const written = writeAll(storage, [...items, item]);
      return written.ok ? ok(item) : written;
    },
    outboxList: async ({ hubUrl, userId }) =>
      ok(readAll(storage).filter((i) => i.hubUrl === hubUrl && i.userId === userId)),
    outboxRemove: async (id) => {
      const items = readAll(storage);
      return items.some((i) => i.id === id)
        ? writeAll(
            storage,
            items.filter((i) => i.id !== id),
          )
        : ok(null);
    },
    outboxSetState: async ({ id, state, error }) =>
      writeAll(
        storage,
        readAll(storage).map((i) => (i.id === id ? { ...i, state, error } : i)),
      ),
  };
}
