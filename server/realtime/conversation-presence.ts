/**
 * Who has which conversation open, and who is typing in it: the collision
 * warning ("OO님이 보고 있음 / 입력 중"). Ephemeral by design — kept in
 * memory per desk connection, never in the event log — and cleared when a
 * desk leaves the conversation or disconnects. Each viewer is told the
 * others whenever the set changes.
 */
import type { ConversationPresence, ConversationViewer, PresenceCommand } from '@shared/conversation-tools';
import type { z } from 'zod';
import type { Actor } from '../context';
import type { Db } from '../storage/database';

interface Entry {
  userId: string;
  siteId: string;
  conversationId: string;
  typing: boolean;
}

export type PresenceEmit = (userId: string, presence: ConversationPresence) => void;

export class ConversationPresenceRegistry {
  private readonly byConnection = new Map<string, Entry>();
  private readonly names = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly emit: PresenceEmit,
  ) {}

  /** This desk now shows `conversationId` (null: none); answers who else is there. */
  async set(actor: Actor, input: z.output<typeof PresenceCommand>): Promise<ConversationPresence | null> {
    const key = actor.connectionId ?? actor.userId;
    const before = this.byConnection.get(key);
    if (input.conversationId === null) {
      this.byConnection.delete(key);
    } else {
      await this.nameOf(actor.userId);
      this.byConnection.set(key, {
        userId: actor.userId,
        siteId: actor.siteId,
        conversationId: input.conversationId,
        typing: input.typing,
      });
    }
    const changed =
      !before || before.conversationId !== input.conversationId || before.typing !== input.typing;
    if (before && before.conversationId !== input.conversationId)
      this.broadcast(before.siteId, before.conversationId);
    if (input.conversationId !== null && changed) this.broadcast(actor.siteId, input.conversationId);
    return input.conversationId === null
      ? null
      : {
          conversationId: input.conversationId,
          viewers: this.viewers(actor.siteId, input.conversationId, actor.userId),
        };
  }

  /** The desk disconnected: it views nothing any more. */
  leave(connectionId: string): void {
    const before = this.byConnection.get(connectionId);
    if (!before) return;
    this.byConnection.delete(connectionId);
    this.broadcast(before.siteId, before.conversationId);
  }

  private viewers(siteId: string, conversationId: string, except: string): ConversationViewer[] {
    const byUser = new Map<string, ConversationViewer>();
    for (const e of this.byConnection.values()) {
      if (e.siteId !== siteId || e.conversationId !== conversationId || e.userId === except) continue;
      const seen = byUser.get(e.userId);
      byUser.set(e.userId, {
        userId: e.userId,
        name: this.names.get(e.userId) ?? '',
        typing: (seen?.typing ?? false) || e.typing,
      });
    }
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private broadcast(siteId: string, conversationId: string): void {
    const users = new Set<string>();
    for (const e of this.byConnection.values()) {
      if (e.siteId === siteId && e.conversationId === conversationId) users.add(e.userId);
    }
    for (const userId of users) {
      this.emit(userId, { conversationId, viewers: this.viewers(siteId, conversationId, userId) });
    }
  }

  private async nameOf(userId: string): Promise<void> {
    if (this.names.has(userId)) return;
    const u = await this.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', userId)
      .executeTakeFirst();
    this.names.set(userId, u?.display_name ?? '');
  }
}
