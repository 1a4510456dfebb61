/**
 * Transfer from the conversation view, through the ACD: to an agent (the
 * work moves to them at once, as a supervisor's reassign does) or to a queue
 * (the work leaves the agent and is offered again from that queue). Either
 * way the conversation leaves the transferring agent's desk.
 */
import type { Conversation } from '@shared/domain';
import type { TransferConversationCommand } from '@shared/conversation-tools';
import type { Actor, HubContext } from '../context';
import { HubError, notFound } from '../errors';
import { runCommand } from '../realtime/command-runner';
import { appendEvent } from '../storage/event-log';
import { toConversation } from '../storage/rows';
import type { Db } from '../storage/database';
import { conversationForWork } from './conversation-tools';

const LIVE = ['waiting', 'offered', 'active', 'wrap_up'] as const;

export async function transferConversation(
  ctx: HubContext,
  actor: Actor,
  input: TransferConversationCommand,
): Promise<Conversation> {
  const routing = ctx.routing;
  if (!routing) throw new HubError('UNAVAILABLE', 'routing is not running on this hub');
  const { to } = input;
  if (to.kind === 'agent') {
    return routing.inCommand(actor.siteId, (router) =>
      runCommand(ctx, actor, 'conversation.transfer', input.commandId, async (trx) => {
        await conversationForWork(trx, actor, input.conversationId);
        return routing.reassignIn(trx, router, actor, input.conversationId, to.agentId);
      }),
    );
  }
  const queue = await ctx.db
    .selectFrom('queues')
    .select(['id', 'channels_json'])
    .where('id', '=', to.queueId)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  if (!queue) throw notFound('queue');
  let enqueueAfter = false;
  const result = await routing.inCommand(actor.siteId, (router) =>
    runCommand(ctx, actor, 'conversation.transfer', input.commandId, async (trx) => {
      const row = await conversationForWork(trx, actor, input.conversationId);
      if (!(JSON.parse(queue.channels_json) as string[]).includes(row.channel)) {
        throw new HubError('VALIDATION_FAILED', `that queue does not take ${row.channel}`, {
          reason: 'CHANNEL_NOT_IN_QUEUE',
        });
      }
      const work = await liveWork(trx, row.id);
      const events = [];
      if (work) {
        const step = await router.applyIn(trx, (engine, now) => engine.transfer(work.id, queue.id, now));
        events.push(...step.events);
      } else {
        enqueueAfter = true;
      }
      // The core moved: if anything below fails the transaction rolls back, so rebuild it.
      const now = Date.now();
      try {
        // The ACD may already have offered it in the same step; the offer's accept assigns it.
        const set = { assignee_id: null, queue_id: queue.id, status: 'pending', waiting_since: now };
        await trx.updateTable('conversations').set(set).where('id', '=', row.id).execute();
        const moved = toConversation({ ...row, ...set });
        const audience = [actor.userId, ...(row.assignee_id ? [row.assignee_id] : [])];
        events.push(await appendEvent(trx, actor.siteId, 'conversation.updated', moved, audience, now));
        return { value: moved, events };
      } catch (err) {
        if (work) router.markStale();
        throw err;
      }
    }),
  );
  // Work that was not routed (e.g. reopened by hand) joins the queue as new work.
  if (enqueueAfter) {
    await routing.enqueue(actor.siteId, {
      queueId: queue.id,
      channel: result.channel,
      conversationId: result.id,
      customerId: result.customerId,
    });
  }
  return result;
}

async function liveWork(trx: Db, conversationId: string) {
  return trx
    .selectFrom('work_items')
    .select(['id', 'status', 'agent_id'])
    .where('conversation_id', '=', conversationId)
    .where('status', 'in', [...LIVE])
    .executeTakeFirst();
}
