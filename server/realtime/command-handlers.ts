/**
 * What each client command does. Input has already been validated against the
 * shared zod schema; each handler returns the ack's value or throws a HubError.
 */
import type { COMMAND_SCHEMAS } from '@shared/protocol';
import { type CommandName, type CommandResults, RESUME_PAGE_SIZE, type WorkItemView } from '@shared/protocol';
import type { z } from 'zod';
import { changeState, currentStatus } from '../agents/agent-state';
import type { Actor, HubContext } from '../context';
import { isSupervising } from '../context';
import { audit } from '../audit/audit-log';
import { HubError, forbidden } from '../errors';
import type { RoutingEngine } from '../routing/core';
import type { RoutingService } from '../routing/routing-service';
import { toWorkItemView } from '../routing/site-router';
import type { Db } from '../storage/database';
import type { AppendedEvent } from '../storage/event-log';
import { listConversations, listMessages, sendMessage } from '../conversations/conversation-service';
import { headSeq, readFeed } from '../storage/event-log';
import { runCommand } from './command-runner';

type Input<K extends CommandName> = z.output<(typeof COMMAND_SCHEMAS)[K]>;
type Handlers = {
  [K in CommandName]: (ctx: HubContext, actor: Actor, input: Input<K>) => Promise<CommandResults[K]>;
};

export const commandHandlers: Handlers = {
  'agent.setState': (ctx, actor, input) => setAgentState(ctx, actor, actor.userId, 'agent.setState', input),

  // A supervisor changes an agent's state from the wallboard (audited).
  'agent.forceState': async (ctx, actor, input) => {
    if (!isSupervising(actor)) throw forbidden('only supervisors change another agent’s state');
    const target = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('id', '=', input.agentId)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!target) throw new HubError('NOT_FOUND', 'agent not found');
    const status = await setAgentState(ctx, actor, input.agentId, 'agent.forceState', input);
    await audit(ctx.db, {
      siteId: actor.siteId,
      actorId: actor.userId,
      action: 'agent.state_forced',
      target: input.agentId,
      detail: { state: input.state },
    });
    return status;
  },

  // A supervisor hands a conversation to another agent; routed work moves with it.
  'conversation.reassign': (ctx, actor, input) => {
    if (!isSupervising(actor)) throw forbidden('only supervisors reassign conversations');
    const routing = requireRouting(ctx);
    return routing.inCommand(actor.siteId, (router) =>
      runCommand(ctx, actor, 'conversation.reassign', input.commandId, (trx) =>
        routing.reassignIn(trx, router, actor, input.conversationId, input.agentId),
      ),
    );
  },

  'offer.accept': (ctx, actor, input) =>
    routed(ctx, actor, 'offer.accept', input.commandId, input.itemId, (e, now) =>
      e.accept(input.itemId, actor.userId, now),
    ),

  'offer.reject': (ctx, actor, input) =>
    routed(ctx, actor, 'offer.reject', input.commandId, input.itemId, (e, now) =>
      e.reject(input.itemId, actor.userId, now),
    ),

  'work.complete': (ctx, actor, input) =>
    routed(ctx, actor, 'work.complete', input.commandId, input.itemId, (e, now) => {
      const held = e.getItem(input.itemId);
      if (held?.agentId !== actor.userId && !isSupervising(actor)) throw forbidden('this work is not yours');
      e.complete(input.itemId, now);
    }),

  'wrapup.end': (ctx, actor, input) => {
    const routing = requireRouting(ctx);
    return routing.inCommand(actor.siteId, (router) =>
      runCommand(ctx, actor, 'wrapup.end', input.commandId, async (trx) => {
        const { events } = await router.applyIn(trx, (e, now) => e.endWrapUp(actor.userId, now));
        return { value: await currentStatus(trx, actor.userId), events };
      }),
    );
  },

  'queue.pick': (ctx, actor, input) => {
    if (!isSupervising(actor)) throw forbidden('only supervisors pick work from the queue');
    return routed(ctx, actor, 'queue.pick', input.commandId, input.itemId, (e, now) =>
      e.pick(input.itemId, input.agentId ?? actor.userId, now),
    );
  },

  'message.send': async (ctx, actor, input) => {
    const message = { ...input, clientId: input.commandId };
    const channels = ctx.channels;
    if (!channels)
      return runCommand(ctx, actor, 'message.send', input.commandId, (trx) =>
        sendMessage(trx, actor, message),
      );
    // SMS, messenger, email: limits checked before storing, then sent by the channel's dispatcher.
    const sent = await runCommand(ctx, actor, 'message.send', input.commandId, (trx) =>
      channels.sendIn(trx, actor, message),
    );
    if (sent.delivery) channels.kick();
    return sent;
  },

  'session.resume': async (ctx, actor, input) => {
    const [events, head] = await Promise.all([
      readFeed(ctx.db, actor.userId, input.afterSeq, RESUME_PAGE_SIZE),
      headSeq(ctx.db, actor.userId),
    ]);
    return { events, headSeq: head };
  },

  'conversation.list': (ctx, actor, input) => listConversations(ctx, actor, input),

  'message.list': (ctx, actor, input) => listMessages(ctx, actor, input),
};

function requireRouting(ctx: HubContext): RoutingService {
  if (!ctx.routing) throw new HubError('UNAVAILABLE', 'routing is not running on this hub');
  return ctx.routing;
}

/** A routing command: the router's lock, then one transaction with the core's step and the idempotency row. */
async function routed(
  ctx: HubContext,
  actor: Actor,
  name: CommandName,
  commandId: string,
  itemId: string,
  fn: (engine: RoutingEngine, now: number) => void,
): Promise<WorkItemView> {
  const routing = requireRouting(ctx);
  await routing.item(actor.siteId, itemId); // NOT_FOUND for another site's item
  return routing.inCommand(actor.siteId, (router) =>
    runCommand(ctx, actor, name, commandId, async (trx) => {
      const { events } = await router.applyIn(trx, fn);
      const row = await trx
        .selectFrom('work_items')
        .selectAll()
        .where('id', '=', itemId)
        .executeTakeFirstOrThrow();
      return { value: toWorkItemView(row), events };
    }),
  );
}

/** Sets `userId`'s state (their own, or a supervisor's order) and tells the ACD in the same transaction. */
function setAgentState(
  ctx: HubContext,
  actor: Actor,
  userId: string,
  name: CommandName,
  input: {
    commandId: string;
    state: 'offline' | 'ready' | 'not_ready' | 'wrap_up';
    reasonCodeId?: string | null | undefined;
  },
) {
  const reasonCodeId = input.reasonCodeId ?? null;
  const set = (extra?: (trx: Db) => Promise<AppendedEvent[]>) =>
    runCommand(ctx, actor, name, input.commandId, async (trx) => {
      const { events } = await changeState(trx, actor.siteId, userId, input.state, reasonCodeId, {
        enforce: true,
      });
      const routed = extra ? await extra(trx) : [];
      return { value: await currentStatus(trx, userId), events: [...events, ...routed] };
    });
  const routing = ctx.routing;
  if (!routing) return set();
  // The ACD learns the change in the same transaction, under its lock.
  return routing.inCommand(actor.siteId, (router) =>
    set((trx) => routing.presenceIn(trx, router, { ...actor, userId }, input.state, reasonCodeId)),
  );
}
