/**
 * Drafts per conversation: kept in memory for an instant switch back, saved
 * through the host (SQLite in Electron, localStorage in a browser) a moment
 * after the agent stops typing, and at once when they leave the conversation.
 */
import type { HostApi } from '@shared/host-api';
import type { OutboxScope } from '@shared/outbox';

export const DRAFT_SAVE_DELAY_MS = 400;

export interface DraftKeeper {
  /** What was written last in that conversation ('' when nothing). */
  load(conversationId: string): Promise<string>;
  /** The composer changed: remember now, save after a pause. */
  change(conversationId: string, body: string): void;
  /** Saves every draft still waiting for its pause. */
  flush(): Promise<void>;
  /** Sent: forget the draft here and on disk. */
  clear(conversationId: string): Promise<void>;
}

export interface DraftTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export function createDraftKeeper(
  host: Pick<HostApi, 'saveDraft' | 'loadDraft'>,
  scope: OutboxScope,
  delayMs = DRAFT_SAVE_DELAY_MS,
  timers: DraftTimers = {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): DraftKeeper {
  const memory = new Map<string, string>();
  const waiting = new Map<string, unknown>();

  const save = async (conversationId: string): Promise<void> => {
    const timer = waiting.get(conversationId);
    if (timer === undefined) return;
    timers.clearTimeout(timer);
    waiting.delete(conversationId);
    await host.saveDraft({ scope, conversationId, body: memory.get(conversationId) ?? '' });
  };

  return {
    load: async (conversationId) => {
      const known = memory.get(conversationId);
      if (known !== undefined) return known;
      const stored = await host.loadDraft({ scope, id: conversationId });
      const body = stored.ok ? (stored.value ?? '') : '';
      // Typing that started while the disk answered wins over what the disk had.
      if (!memory.has(conversationId)) memory.set(conversationId, body);
      return memory.get(conversationId) ?? body;
    },
    change: (conversationId, body) => {
      memory.set(conversationId, body);
      const timer = waiting.get(conversationId);
      if (timer !== undefined) timers.clearTimeout(timer);
      waiting.set(
        conversationId,
        timers.setTimeout(() => void save(conversationId), delayMs),
      );
    },
    flush: async () => {
      await Promise.all([...waiting.keys()].map(save));
    },
    clear: async (conversationId) => {
      const timer = waiting.get(conversationId);
      if (timer !== undefined) timers.clearTimeout(timer);
      waiting.delete(conversationId);
      memory.set(conversationId, '');
      await host.saveDraft({ scope, conversationId, body: '' });
    },
  };
}
