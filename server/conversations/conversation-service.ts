/**
 * Conversations and messages as the desk sees them. Reads are scoped to the
 * caller's site; sending is a command (idempotent by the message's client id)
 * that appends `message.created` for the conversation's assignee and the author.
 */
import type { Conversation, Message } from '@shared/domain';
import type { ListConversationsCommand, ListMessagesCommand } from '@shared/protocol';
import type { z } from 'zod';
import { type Actor, type HubContext, isSupervising } from '../context';
import { forbidden, notFound } from '../errors';
import type { Db } from '../storage/database';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { newId } from '../storage/ids';
import { toConversation, toDelivery, toMessage } from '../storage/rows';

export async function listConversations(
  ctx: HubContext,
  actor: Actor,
  q: z.output<typeof ListConversationsCommand>,
): Promise<Conversation[]> {
  let query = ctx.db.selectFrom('conversations').selectAll().where('site_id', '=', actor.siteId);
  if (q.scope === 'mine') query = query.where('assignee_id', '=', actor.userId);
  else if (q.scope === 'unassigned')
    query = query.where('assignee_id', 'is', null).where('status', '!=', 'resolved');
  const rows = await query.orderBy('last_message_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map(toConversation);
}

/** The conversation, if the actor's site owns it; NOT_FOUND otherwise (no hint that it exists elsewhere). */
export async function getConversation(db: Db, actor: Actor, id: string): Promise<Conversation> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  if (!row) throw notFound('conversation');
  return toConversation(row);
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

/** Inside a command transaction: writes one outgoing message or note. */
export async function sendMessage(
  trx: Db,
  actor: Actor,
  input: { conversationId: string; body: string; kind: 'out' | 'note'; clientId: string },
): Promise<{ value: Message; events: AppendedEvent[] }> {
  const conversation = await getConversation(trx, actor, input.conversationId);
  if (input.kind === 'out' && conversation.assigneeId !== actor.userId && !isSupervising(actor)) {
    throw forbidden('only the assignee may reply in this conversation');
  }
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
  return { value: message, events: [event] };
}
