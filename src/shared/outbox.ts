/**
 * The offline outbox: replies and notes written while the hub is unreachable.
 *
 * One delivery logic for every desk. Where items are kept is the host's job
 * (SQLite in Electron, localStorage in the browser desk) behind `OutboxStore`;
 * this module decides the order and when an item is done:
 *
 * - An item is stored before anything is sent, so a crash or restart never
 *   loses it; its `id` is the `commandId` of `message.send`, so however often
 *   it is re-sent the hub keeps one message (it dedupes by commandId per user).
 * - Items are sent one at a time in the order they were written. A transient
 *   failure (hub unreachable, rate limited) stops the run and keeps the order;
 *   the next `flush()` (on reconnect) picks up where it stopped.
 * - An item the hub refuses for good (validation, no access…) is marked
 *   `failed` and kept for the agent to retry or discard; later items go on.
 * - An item is removed only after the hub acked it.
 */
import { z } from 'zod';
import { Channel, Id, MAX_MESSAGE_LENGTH, Timestamp, type Message } from './domain';
import { ERROR_CODES, ok, type ErrorCode, type IeumError, type Result } from './errors';

/** Whose outbox: commands are deduplicated per user on one hub. */
export const OutboxScope = z.object({ hubUrl: z.url({ protocol: /^https?$/ }), userId: Id });
export type OutboxScope = z.infer<typeof OutboxScope>;

export const OutboxDraft = z.object({
  conversationId: Id,
  body: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH),
  kind: z.enum(['out', 'note']),
  /** A reply on another channel than the conversation's (e.g. a web chat answered by SMS). */
  channel: Channel.optional(),
});
export type OutboxDraft = z.infer<typeof OutboxDraft>;

/**
 * Why the hub refused an item. `details` is kept only for a channel limit
 * (SMS too long, messenger session over…), so the desk can say what to do
 * instead (e.g. offer a notification template).
 */
export const OutboxErrorDetails = z.object({
  reason: z.string().max(40),
  limit: z.number().optional(),
  actual: z.number().optional(),
  alternatives: z.array(z.string().max(20)).max(4).optional(),
});
export const OutboxError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string().max(1000),
  details: OutboxErrorDetails.optional(),
});

export const OutboxItem = z.object({
  ...OutboxScope.shape,
  ...OutboxDraft.shape,
  /** The idempotency key (`commandId`) the item is sent with, every time. */
  id: z.string().min(8).max(64),
  createdAt: Timestamp,
  state: z.enum(['pending', 'failed']),
  /** Why the hub refused it, for `failed` items. */
  error: OutboxError.nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

export const OutboxStateChange = z.object({
  id: z.string().min(8).max(64),
  state: z.enum(['pending', 'failed']),
  error: OutboxError.nullable(),
});
export type OutboxStateChange = z.infer<typeof OutboxStateChange>;

/** Where a host keeps outbox items. `add` answers `STORAGE_FULL` when the disk is full. */
export interface OutboxStore {
  outboxAdd(item: OutboxItem): Promise<Result<OutboxItem>>;
  /** The scope's items, oldest first. */
  outboxList(scope: OutboxScope): Promise<Result<OutboxItem[]>>;
  outboxRemove(id: string): Promise<Result<null>>;
  outboxSetState(change: OutboxStateChange): Promise<Result<null>>;
}

/** Errors that will go away by themselves: keep the item pending and stop this run. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set([
  'UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
]);
export const isTransient = (error: IeumError): boolean => TRANSIENT.has(error.code);

export interface OutboxOptions {
  store: OutboxStore;
  scope: OutboxScope;
  /** Sends one item as `message.send` with `commandId: item.id`. */
  send(item: OutboxItem): Promise<Result<Message>>;
  newId(): string;
  now?(): Date;
  /** The items changed (added, delivered, failed): re-render pending messages. */
  onChange?(items: readonly OutboxItem[]): void;
  onDelivered?(message: Message, item: OutboxItem): void;
  onError?(message: string, detail?: unknown): void;
}

export interface Outbox {
  /** Loads what an earlier run left behind. */
  load(): Promise<Result<OutboxItem[]>>;
  /** Saves the draft, then tries to deliver. Fails (e.g. `STORAGE_FULL`) only if it could not be saved. */
  submit(draft: OutboxDraft): Promise<Result<OutboxItem>>;
  /** Delivers pending items in order until done or a transient failure. Concurrent calls coalesce. */
  flush(): Promise<void>;
  retry(id: string): Promise<Result<null>>;
  discard(id: string): Promise<Result<null>>;
  items(): readonly OutboxItem[];
  /** Stops delivering (sign-out, switching site); stored items stay for next time. */
  close(): void;
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { store, scope } = options;
  let items: OutboxItem[] = [];
  let flushing: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const changed = (): void => options.onChange?.(items);
  const replace = (id: string, next: OutboxItem | null): void => {
    items = next ? items.map((i) => (i.id === id ? next : i)) : items.filter((i) => i.id !== id);
    changed();
  };

  const deliverOne = async (item: OutboxItem): Promise<'next' | 'stop'> => {
    const result = await options.send(item);
    if (closed) return 'stop';
    if (result.ok) {
      const removed = await store.outboxRemove(item.id);
      // If it could not be removed it is re-sent later; the hub answers with the same message.
      if (!removed.ok) options.onError?.('delivered item could not be removed', removed.error);
      replace(item.id, null);
      options.onDelivered?.(result.value, item);
      return 'next';
    }
    if (isTransient(result.error)) return 'stop';
    const details = OutboxErrorDetails.safeParse(result.error.details);
    const error = {
      code: result.error.code,
      message: result.error.message.slice(0, 1000),
      ...(details.success ? { details: details.data } : {}),
    };
    const saved = await store.outboxSetState({ id: item.id, state: 'failed', error });
    if (!saved.ok) options.onError?.('could not mark item failed', saved.error);
    replace(item.id, { ...item, state: 'failed', error });
    return 'next';
  };

  const run = async (): Promise<void> => {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const next = items.find((i) => i.state === 'pending');
        if (!next) break;
        if ((await deliverOne(next)) === 'stop') return;
      }
    } while (again && !closed);
  };

  return {
    async load() {
      const listed = await store.outboxList(scope);
      if (!listed.ok) return listed;
      const known = new Set(items.map((i) => i.id));
      items = [...items, ...listed.value.filter((i) => !known.has(i.id))];
      changed();
      return ok(items);
    },
    async submit(draft) {
      const item: OutboxItem = {
        ...scope,
        ...draft,
        id: options.newId(),
        createdAt: (options.now?.() ?? new Date()).toISOString(),
        state: 'pending',
        error: null,
      };
      const added = await store.outboxAdd(item);
      if (!added.ok) return added;
      items = [...items, item];
      changed();
      void this.flush();
      return ok(item);
    },
    flush() {
      if (closed) return Promise.resolve();
      if (flushing) {
        again = true;
        return flushing;
      }
      flushing = run()
        .catch((error: unknown) => options.onError?.('outbox delivery failed', error))
        .finally(() => {
          flushing = null;
        });
      return flushing;
    },
    async retry(id) {
      const item = items.find((i) => i.id === id);
      if (!item) return ok(null);
      const saved = await store.outboxSetState({ id, state: 'pending', error: null });
      if (!saved.ok) return saved;
      replace(id, { ...item, state: 'pending', error: null });
      void this.flush();
      return ok(null);
    },
    async discard(id) {
      const removed = await store.outboxRemove(id);
      if (!removed.ok) return removed;
      replace(id, null);
      return ok(null);
    },
    items: () => items,
    close() {
      closed = true;
    },
  };
}
