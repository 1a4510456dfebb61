/**
 * Conversations and messages as the desk sees them. Reads are scoped to the
 * caller's site; sending is a command (idempotent by the message's client id)
 * that appends `message.created` for the conversation's assignee and the author.
 */
import { DEFAULT_REPLY_LIMITS, type ReplyLimits, mentionTokens } from '@shared/conversation-tools';
import type { Channel, Conversation, Message } from '@shared/domain';
import type { ListConversationsCommand, ListMessagesCommand } from '@shared/protocol';
import type { z } from 'zod';
import { type Actor, type HubContext, isSupervising } from '../context';
import { HubError, forbidden, notFound } from '../errors';
import { maskPii } from '../pii/pii-detectors';
import type { Db } from '../storage/database';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { newId } from '../storage/ids';
import { toConversation, toDelivery, toMessage } from '../storage/rows';

export async function listConversations(
  ctx: HubContext,
  actor: Actor,
  q: z.output<typeof ListConversationsCommand>,
): Promise<Conversation[]> {
  // The whole site is a supervisor's view, as in the inbox (server/inbox/inbox-scope.ts).
  if (q.scope === 'all' && !isSupervising(actor)) throw forbidden('only supervisors list every conversation');
  let query = ctx.db.selectFrom('conversations').selectAll().where('site_id', '=', actor.siteId);
  if (q.scope === 'mine') query = query.where('assignee_id', '=', actor.userId);
  else if (q.scope === 'unassigned')
    query = query.where('assignee_id', 'is', null).where('status', '!=', 'resolved');
  const rows = await query.orderBy('last_message_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map(toConversation);
}

/** The conversation's row, if the actor's site owns it; NOT_FOUND otherwise (no hint that it exists elsewhere). */
export async function conversationRow(db: Db, actor: Actor, id: string) {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  if (!row) throw notFound('conversation');
  return row;
}

/** The conversation, if the actor's site owns it; NOT_FOUND otherwise. */
export async function getConversation(db: Db, actor: Actor, id: string): Promise<Conversation> {
  return toConversation(await conversationRow(db, actor, id));
}

export async function listMessages(
  ctx: HubContext,
  actor: Actor,
  q: z.output<typeof ListMessagesCommand>,
): Promise<Message[]> {
  await getConversation(ctx.db, actor, q.conversationId);
  let query = ctx.db.selectFrom('messages').selectAll().where('conversation_id', '=', q.conversationId);
  if (q.before) {
    const pivot = await ctx.db
      .selectFrom('messages')
      .select(['created_at', 'id'])
      .where('id', '=', q.before)
      .where('conversation_id', '=', q.conversationId)
      .executeTakeFirst();
    if (!pivot) throw notFound('message');
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', pivot.created_at),
        eb.and([eb('created_at', '=', pivot.created_at), eb('id', '<', pivot.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  // Outbound on SMS, messenger or email: where each one's delivery stands.
  const outIds = rows.filter((r) => r.direction === 'out' && r.channel).map((r) => r.id);
  const deliveries =
    outIds.length === 0
      ? []
      : await ctx.db.selectFrom('message_deliveries').selectAll().where('message_id', 'in', outIds).execute();
  const byId = new Map(deliveries.map((d) => [d.message_id, toDelivery(d)]));
  return rows.reverse().map((r) => {
    const m = toMessage(r);
    const delivery = byId.get(r.id);
    return delivery ? { ...m, delivery } : m;
  });
}

/**
 * A reply longer than the channel it goes by takes (`limits`, configurable; a
 * messenger 1,000 characters by default) is refused before anything is stored,
 * `VALIDATION_FAILED` `reason: TEXT_TOO_LONG`, so the composer keeps the text.
 */
export function assertReplyFits(channel: Channel, body: string, limits: ReplyLimits): void {
  const limit = limits[channel];
  if (body.length > limit) {
    // Same reason as the channel adapters' own limits, so the desk words them alike.
    throw new HubError('VALIDATION_FAILED', `a ${channel} reply may be at most ${limit} characters`, {
      reason: 'TEXT_TOO_LONG',
      limit,
      actual: body.length,
      channel,
    });
  }
}

/**
 * Inside a command transaction: writes one outgoing message or note. A reply
 * longer than its channel takes (`limits`, e.g. 1,000 characters for a
 * messenger) is refused with `VALIDATION_FAILED` `reason: TEXT_TOO_LONG`. A note's
 * `@name` mentions of site agents reach them as `note.mentioned`.
 */
export async function sendMessage(
  trx: Db,
  actor: Actor,
  input: { conversationId: string; body: string; kind: 'out' | 'note'; clientId: string },
  limits: ReplyLimits = DEFAULT_REPLY_LIMITS,
): Promise<{ value: Message; events: AppendedEvent[] }> {
  const conversation = await getConversation(trx, actor, input.conversationId);
  if (input.kind === 'out' && conversation.assigneeId !== actor.userId && !isSupervising(actor)) {
    throw forbidden('only the assignee may reply in this conversation');
  }
  if (input.kind === 'out') assertReplyFits(conversation.channel, input.body, limits);
  const now = Date.now();
  const row = {
    id: newId(),
    site_id: actor.siteId,
    conversation_id: conversation.id,
    direction: input.kind,
    author_id: actor.userId,
    body: input.body,
    client_id: input.clientId,
    created_at: now,
  };
  await trx.insertInto('messages').values(row).execute();
  if (input.kind === 'out') {
    await trx
      .updateTable('conversations')
      .set({ last_message_at: now, waiting_since: null })
      .where('id', '=', conversation.id)
      .execute();
  }
  const message = toMessage(row);
  const audience = [actor.userId, ...(conversation.assigneeId ? [conversation.assigneeId] : [])];
  const event = await appendEvent(trx, actor.siteId, 'message.created', message, audience, now);
  const events = [event];
  if (input.kind === 'note') events.push(...(await mentionEvents(trx, actor, conversation, message, now)));
  return { value: message, events };
}

/** `note.mentioned` for each site agent a note names with `@username` or `@displayName` (not the author). */
async function mentionEvents(
  trx: Db,
  actor: Actor,
  conversation: Conversation,
  message: Message,
  now: number,
): Promise<AppendedEvent[]> {
  const tokens = mentionTokens(message.body);
  if (tokens.length === 0) return [];
  const users = await trx
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('site_id', '=', actor.siteId)
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('username', 'in', tokens), eb('display_name', 'in', tokens)]))
    .execute();
  const mentioned = users.map((u) => u.id).filter((id) => id !== actor.userId);
  if (mentioned.length === 0) return [];
  const author = await trx
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', actor.userId)
    .executeTakeFirst();
  const payload = {
    conversationId: conversation.id,
    messageId: message.id,
    authorId: actor.userId,
    authorName: author?.display_name ?? '',
    body: maskPii(message.body),
    subject: conversation.subject,
    createdAt: message.createdAt,
  };
  return [await appendEvent(trx, actor.siteId, 'note.mentioned', payload, mentioned, now)];
}
