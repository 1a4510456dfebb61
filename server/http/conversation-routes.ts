/**
 * Read-only HTTP views of conversations and messages (the same queries the
 * socket commands use), for integrations and scripts. Writes go through the
 * socket commands so they are acked and idempotent.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX, ErrorResponse } from '@shared/api';
import { Conversation, Message } from '@shared/domain';
import { ListConversationsCommand, ListMessagesCommand } from '@shared/protocol';
import type { HubContext } from '../context';
import { getConversation, listConversations, listMessages } from '../conversations/conversation-service';
import { actorOf, authenticator } from './authenticate';

export function conversationRoutes(app: FastifyInstance, ctx: HubContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const common = { preHandler: authenticator(ctx) };

  r.get(
    `${API_PREFIX}/conversations`,
    {
      ...common,
      schema: {
        tags: ['conversations'],
        security: [{ bearer: [] }],
        querystring: z.object({
          scope: ListConversationsCommand.shape.scope,
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.array(Conversation), 401: ErrorResponse },
      },
    },
    (req) => listConversations(ctx, actorOf(req), req.query),
  );

  r.get(
    `${API_PREFIX}/conversations/:id`,
    {
      ...common,
      schema: {
        tags: ['conversations'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        response: { 200: Conversation, 404: ErrorResponse },
      },
    },
    (req) => getConversation(ctx.db, actorOf(req), req.params.id),
  );

  r.get(
    `${API_PREFIX}/conversations/:id/messages`,
    {
      ...common,
      schema: {
        tags: ['conversations'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        querystring: z.object({
          before: ListMessagesCommand.shape.before,
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.array(Message), 404: ErrorResponse },
      },
    },
    (req) => listMessages(ctx, actorOf(req), { conversationId: req.params.id, ...req.query }),
  );
}
