/**
 * What an agent does to a conversation from its view, besides replying:
 * tags, resolve and reopen, snooze, merge two conversations of one customer.
 * Each runs inside a command transaction (see command-runner.ts) and appends
 * its event to the site log for the desks concerned. Transfer is in
 * conversation-transfer.ts (it goes through the ACD).
 */
import type { Conversation } from '@shared/domain';
import {
  type ConversationDetails,
  MAX_SNOOZE_MS,
  type MergeConversationsCommand,
  type SetConversationStatusCommand,
  type SnoozeConversationCommand,
  type TagConversationCommand,
} from '@shared/conversation-tools';
import type { Selectable } from 'kysely';
import { type Actor, isSupervising } from '../context';
import { HubError, forbidden, notFound } from '../errors';
import type { Db } from '../storage/database';
import { conversationRow } from './conversation-service';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { iso, toConversation } from '../storage/rows';
import type { ConversationsTable } from '../storage/schema';

type Row = Selectable<ConversationsTable>;
type Outcome<T> = { value: T; events: AppendedEvent[] };

/** The conversation row, if the actor's site owns it and the actor may work on it. */
export async function conversationForWork(db: Db, actor: Actor, id: string): Promise<Row> {
  const row = await conversationRow(db, actor, id);
  if (row.assignee_id !== actor.userId && !isSupervising(actor)) {
    throw forbidden('only the assignee or a supervisor may change this conversation');
  }
  return row;
}

/** Who hears about a change: the assignee, the one who made it, and anyone else named. */
const audienceOf = (row: Row, actor: Actor, ...others: (string | null)[]): string[] =>
  [row.assignee_id, actor.userId, ...others].filter((x): x is string => Boolean(x));

export async function conversationDetails(db: Db, siteId: string, id: string): Promise<ConversationDetails> {
  const row = await db
    .selectFrom('conversations')
    .select(['id', 'snoozed_until', 'merged_into'])
    .where('id', '=', id)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (!row) throw notFound('conversation');
  const tags = await db
    .selectFrom('conversation_tags')
    .select('tag')
    .where('conversation_id', '=', id)
    .orderBy('created_at')
    .orderBy('tag')
    .execute();
  return {
    conversationId: row.id,
    tags: tags.map((t) => t.tag),
    snoozedUntil: iso(row.snoozed_until),
    mergedInto: row.merged_into,
  };
}

/** Adds (`on`) or removes a tag; setting what is already so changes nothing and logs nothing. */
export async function tagConversation(
  trx: Db,
  actor: Actor,
  input: TagConversationCommand,
): Promise<Outcome<ConversationDetails>> {
  const row = await conversationForWork(trx, actor, input.conversationId);
  const has = await trx
    .selectFrom('conversation_tags')
    .select('tag')
    .where('conversation_id', '=', row.id)
    .where('tag', '=', input.tag)
    .executeTakeFirst();
  if (Boolean(has) === input.on) {
    return { value: await conversationDetails(trx, actor.siteId, row.id), events: [] };
  }
  if (input.on) {
    await trx
      .insertInto('conversation_tags')
      .values({ site_id: actor.siteId, conversation_id: row.id, tag: input.tag, created_at: Date.now() })
      .execute();
  } else {
    await trx
      .deleteFrom('conversation_tags')
      .where('conversation_id', '=', row.id)
      .where('tag', '=', input.tag)
      .execute();
  }
  const details = await conversationDetails(trx, actor.siteId, row.id);
  const event = await appendEvent(
    trx,
    actor.siteId,
    'conversation.tags_changed',
    details,
    audienceOf(row, actor),
  );
  return { value: details, events: [event] };
}

async function update(
  trx: Db,
  actor: Actor,
  row: Row,
  set: Partial<Pick<Row, 'status' | 'assignee_id' | 'snoozed_until' | 'merged_into' | 'waiting_since'>>,
  now = Date.now(),
): Promise<Outcome<Conversation>> {
  await trx.updateTable('conversations').set(set).where('id', '=', row.id).execute();
  const next = { ...row, ...set } as Row;
  const conversation = toConversation(next);
  const events = [
    await appendEvent(
      trx,
      actor.siteId,
      'conversation.updated',
      conversation,
      audienceOf(next, actor, row.assignee_id),
      now,
    ),
  ];
  if (set.snoozed_until !== undefined || set.merged_into !== undefined) {
    events.push(
      await appendEvent(
        trx,
        actor.siteId,
        'conversation.tags_changed',
        await conversationDetails(trx, actor.siteId, row.id),
        audienceOf(next, actor),
        now,
      ),
    );
  }
  return { value: conversation, events };
}

/**
 * Resolve, or reopen (also wakes a snoozed one early). Routed work still on
 * the agent's desk is finished by the caller through the ACD (see
 * command-handlers), which is what asks a web chat customer for the survey.
 */
export async function setConversationStatus(
  trx: Db,
  actor: Actor,
  input: SetConversationStatusCommand,
): Promise<Outcome<Conversation>> {
  const row = await conversationForWork(trx, actor, input.conversationId);
  if (row.merged_into) {
    throw new HubError('INVALID_STATE_TRANSITION', 'this conversation was merged into another one', {
      mergedInto: row.merged_into,
    });
  }
  if (input.status === 'resolved') {
    if (row.status === 'resolved') return { value: toConversation(row), events: [] };
    return update(trx, actor, row, { status: 'resolved', snoozed_until: null, waiting_since: null });
  }
  if (row.status === 'open') return { value: toConversation(row), events: [] };
  // A reopened conversation is the reopener's to handle.
  return update(trx, actor, row, {
    status: 'open',
    snoozed_until: null,
    assignee_id: row.assignee_id ?? actor.userId,
  });
}

/** Hides the conversation from active work until `until`; the snooze waker brings it back. */
export async function snoozeConversation(
  trx: Db,
  actor: Actor,
  input: SnoozeConversationCommand,
  now = Date.now(),
): Promise<Outcome<Conversation>> {
  const row = await conversationForWork(trx, actor, input.conversationId);
  const until = Date.parse(input.until);
  if (!Number.isFinite(until) || until <= now || until - now > MAX_SNOOZE_MS) {
    throw new HubError('VALIDATION_FAILED', 'snooze until a time in the next 30 days', { field: 'until' });
  }
  if (row.status === 'resolved' || row.merged_into) {
    throw new HubError('INVALID_STATE_TRANSITION', 'a resolved conversation cannot be snoozed');
  }
  return update(trx, actor, row, { status: 'snoozed', snoozed_until: until }, now);
}

/** The snooze is over: back to open for its assignee (by the waker, in its own transaction). */
export async function wakeConversation(trx: Db, id: string, now = Date.now()): Promise<AppendedEvent[]> {
  const row = await trx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.status !== 'snoozed') return [];
  const system: Actor = { userId: row.assignee_id ?? '', siteId: row.site_id, role: 'agent' };
  await trx
    .updateTable('conversations')
    .set({ status: 'open', snoozed_until: null })
    .where('id', '=', id)
    .execute();
  const woke = toConversation({ ...row, status: 'open', snoozed_until: null });
  const audience = row.assignee_id ? [row.assignee_id] : [];
  const events = [await appendEvent(trx, system.siteId, 'conversation.updated', woke, audience, now)];
  events.push(
    await appendEvent(
      trx,
      system.siteId,
      'conversation.tags_changed',
      await conversationDetails(trx, system.siteId, id),
      audience,
      now,
    ),
  );
  return events;
}

/**
 * Merges `otherId` into `conversationId`: both of the same customer, the
 * other's messages and tags move over, and the other is resolved with a
 * pointer here. Different customers are refused (`VALIDATION_FAILED`,
 * `reason: DIFFERENT_CUSTOMERS`): that is a customer merge, done in the 360 panel.
 */
export async function mergeConversations(
  trx: Db,
  actor: Actor,
  input: MergeConversationsCommand,
): Promise<Outcome<Conversation>> {
  if (input.conversationId === input.otherId) {
    throw new HubError('VALIDATION_FAILED', 'a conversation cannot be merged into itself', {
      reason: 'SAME_CONVERSATION',
    });
  }
  const target = await conversationForWork(trx, actor, input.conversationId);
  const other = await trx
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', input.otherId)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  if (!other) throw notFound('conversation');
  if (other.customer_id !== target.customer_id) {
    throw new HubError('VALIDATION_FAILED', 'only conversations of the same customer can be merged', {
      reason: 'DIFFERENT_CUSTOMERS',
    });
  }
  if (other.merged_into || target.merged_into) {
    throw new HubError('INVALID_STATE_TRANSITION', 'already merged', { reason: 'ALREADY_MERGED' });
  }
  if (other.assignee_id && other.assignee_id !== actor.userId && !isSupervising(actor)) {
    throw forbidden('the other conversation is someone else’s');
  }
  const live = await trx
    .selectFrom('work_items')
    .select('id')
    .where('conversation_id', '=', other.id)
    .where('status', 'in', ['scheduled', 'waiting', 'offered', 'active', 'wrap_up'])
    .executeTakeFirst();
  if (live) {
    throw new HubError(
      'INVALID_STATE_TRANSITION',
      'the other conversation is still routed: finish it first',
      {
        reason: 'STILL_ROUTED',
        itemId: live.id,
      },
    );
  }
  const now = Date.now();
  await trx
    .updateTable('messages')
    .set({ conversation_id: target.id })
    .where('conversation_id', '=', other.id)
    .execute();
  const tags = await trx
    .selectFrom('conversation_tags')
    .select('tag')
    .where('conversation_id', '=', other.id)
    .execute();
  for (const { tag } of tags) {
    await trx
      .insertInto('conversation_tags')
      .values({ site_id: actor.siteId, conversation_id: target.id, tag, created_at: now })
      .onConflict((oc) => oc.columns(['conversation_id', 'tag']).doNothing())
      .execute();
  }
  const last = Math.max(Number(target.last_message_at ?? 0), Number(other.last_message_at ?? 0)) || null;
  await trx.updateTable('conversations').set({ last_message_at: last }).where('id', '=', target.id).execute();
  const closed = await update(
    trx,
    actor,
    other,
    { status: 'resolved', merged_into: target.id, snoozed_until: null, waiting_since: null },
    now,
  );
  const merged = toConversation({ ...target, last_message_at: last });
  const events = [
    ...closed.events,
    await appendEvent(trx, actor.siteId, 'conversation.updated', merged, audienceOf(target, actor), now),
    await appendEvent(
      trx,
      actor.siteId,
      'conversation.tags_changed',
      await conversationDetails(trx, actor.siteId, target.id),
      audienceOf(target, actor),
      now,
    ),
  ];
  return { value: merged, events };
}
