/**
 * Reports read from the event log. `event-totals` is the reconciliation view:
 * identical at a site and at HQ once replication has caught up.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { EventTotals } from '@shared/federation';
import type { HubContext } from '../context';
import { siteScope } from '../context';
import { eventTotals } from '../reports/event-totals';
import { actorOf, authenticator } from './authenticate';

export function reportRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    `${API_PREFIX}/reports/event-totals`,
    {
      preHandler: authenticator(ctx, ['supervisor', 'site_manager', 'admin', 'hq_analyst']),
      schema: {
        tags: ['reports'],
        security: [{ bearer: [] }],
        querystring: z.object({
          siteId: z.string().optional(),
          upToSeq: z.coerce.number().int().min(0).optional(),
        }),
        response: { 200: EventTotals },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      // HQ analysts read every site of the group; everyone else only their own.
      const siteId =
        actor.role === 'hq_analyst' && req.query.siteId
          ? req.query.siteId
          : siteScope(actor, req.query.siteId);
      return eventTotals(ctx.db, siteId, req.query.upToSeq);
    },
  );
}
