/**
 * What each client command does. Input has already been validated against the
 * shared zod schema; each handler returns the ack's value or throws a HubError.
 */
import type { COMMAND_SCHEMAS } from '@shared/protocol';
import { type CommandName, type CommandResults, RESUME_PAGE_SIZE } from '@shared/protocol';
import type { z } from 'zod';
import { changeState } from '../agents/agent-state';
import type { Actor, HubContext } from '../context';
import { listConversations, listMessages, sendMessage } from '../conversations/conversation-service';
import { headSeq, readFeed } from '../storage/event-log';
import { runCommand } from './command-runner';

type Input<K extends CommandName> = z.output<(typeof COMMAND_SCHEMAS)[K]>;
type Handlers = {
  [K in CommandName]: (ctx: HubContext, actor: Actor, input: Input<K>) => Promise<CommandResults[K]>;
};

export const commandHandlers: Handlers = {
  'agent.setState': (ctx, actor, input) =>
    runCommand(ctx, actor, 'agent.setState', input.commandId, async (trx) => {
      const { status, events } = await changeState(
        trx,
        actor.siteId,
        actor.userId,
        input.state,
        input.reasonCodeId ?? null,
        { enforce: true },
      );
      return { value: status, events };
    }),

  'message.send': (ctx, actor, input) =>
    runCommand(ctx, actor, 'message.send', input.commandId, (trx) =>
      sendMessage(trx, actor, {
        conversationId: input.conversationId,
        body: input.body,
        kind: input.kind,
        clientId: input.commandId,
      }),
    ),

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
