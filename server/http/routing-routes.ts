/**
 * The ACD over HTTP, for channels, the IVR (Kamailio asks which agent rings)
 * and supervisors:
 *
 * - `POST /api/v1/routing/work` — new work for a queue; answers its position and estimated wait.
 * - `GET  /api/v1/routing/work/:id` — where an item stands (the web chat widget polls this).
 * - `POST /api/v1/routing/work/:id/abandon` — the customer left.
 * - `GET  /api/v1/routing/queues/:id/waiting`, `GET /api/v1/routing/waiting` — the wait queue, in order.
 * - `GET  /api/v1/routing/stats` — the wallboard numbers (also pushed as `routing.stats`).
 * - `GET/PUT /api/v1/routing/settings` — the site's capacity budget and blending.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { SiteRouting } from '@shared/domain';
import type { HubContext } from '../context';
import { siteScope } from '../context';
import { HubError } from '../errors';
import { audit } from '../audit/audit-log';
import { NewWork, type RoutingService } from '../routing/routing-service';
import { toWorkItemView } from '../routing/site-router';
import { actorOf, authenticator } from './authenticate';

const SUPERVISORS = ['supervisor', 'site_manager', 'admin'] as const;
/** Who may put work in a queue over HTTP: supervisors and admins (channels run inside the hub). */
const ENQUEUERS = ['supervisor', 'site_manager', 'admin'] as const;

export function routingRoutes(app: FastifyInstance, ctx: HubContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['routing'];
  const security = [{ bearer: [] }];
  const routing = (): RoutingService => {
    if (!ctx.routing) throw new HubError('UNAVAILABLE', 'routing runs on site hubs, not at HQ');
    return ctx.routing;
  };
  const SiteQuery = z.object({ siteId: z.string().optional() });
  const IdParams = z.object({ id: z.string().min(1).max(64) });

  r.post(
    `${API_PREFIX}/routing/work`,
    {
      preHandler: authenticator(ctx, ENQUEUERS),
      schema: { tags, security, querystring: SiteQuery, body: NewWork },
    },
    async (req, reply) => {
      const siteId = siteScope(actorOf(req), req.query.siteId);
      const result = await routing().enqueue(siteId, req.body);
      return reply.code(result.status === 'closed' ? 200 : 201).send(result);
    },
  );

  r.get(
    `${API_PREFIX}/routing/work/:id`,
    { preHandler: authenticator(ctx), schema: { tags, security, params: IdParams, querystring: SiteQuery } },
    async (req) => routing().position(siteScope(actorOf(req), req.query.siteId), req.params.id),
  );

  r.post(
    `${API_PREFIX}/routing/work/:id/abandon`,
    {
      preHandler: authenticator(ctx, ENQUEUERS),
      schema: { tags, security, params: IdParams, querystring: SiteQuery },
    },
    async (req) => routing().abandon(siteScope(actorOf(req), req.query.siteId), req.params.id),
  );

  r.get(
    `${API_PREFIX}/routing/waiting`,
    { preHandler: authenticator(ctx, SUPERVISORS), schema: { tags, security, querystring: SiteQuery } },
    async (req) => routing().waiting(siteScope(actorOf(req), req.query.siteId)),
  );

  r.get(
    `${API_PREFIX}/routing/queues/:id/waiting`,
    {
      preHandler: authenticator(ctx, SUPERVISORS),
      schema: { tags, security, params: IdParams, querystring: SiteQuery },
    },
    async (req) => routing().waiting(siteScope(actorOf(req), req.query.siteId), req.params.id),
  );

  // The agent's own work in hand (active or wrapping up), for a desk that reloads.
  r.get(
    `${API_PREFIX}/routing/my-work`,
    { preHandler: authenticator(ctx), schema: { tags, security } },
    async (req) => {
      const actor = actorOf(req);
      const rows = await ctx.db
        .selectFrom('work_items')
        .selectAll()
        .where('site_id', '=', actor.siteId)
        .where('agent_id', '=', actor.userId)
        .where('status', 'in', ['offered', 'active', 'wrap_up'])
        .orderBy('seq')
        .execute();
      return rows.map(toWorkItemView);
    },
  );

  r.get(
    `${API_PREFIX}/routing/stats`,
    { preHandler: authenticator(ctx, SUPERVISORS), schema: { tags, security, querystring: SiteQuery } },
    async (req) => routing().stats(siteScope(actorOf(req), req.query.siteId)),
  );

  r.get(
    `${API_PREFIX}/routing/settings`,
    {
      preHandler: authenticator(ctx, SUPERVISORS),
      schema: { tags, security, querystring: SiteQuery, response: { 200: SiteRouting } },
    },
    async (req) => {
      const siteId = siteScope(actorOf(req), req.query.siteId);
      const row = await ctx.db
        .selectFrom('sites')
        .select('routing_json')
        .where('id', '=', siteId)
        .executeTakeFirstOrThrow();
      return SiteRouting.parse(JSON.parse(row.routing_json || '{}'));
    },
  );

  r.put(
    `${API_PREFIX}/routing/settings`,
    {
      preHandler: authenticator(ctx, ['site_manager', 'admin']),
      schema: { tags, security, querystring: SiteQuery, body: SiteRouting, response: { 200: SiteRouting } },
    },
    async (req) => {
      const actor = actorOf(req);
      const siteId = siteScope(actor, req.query.siteId);
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('sites')
          .set({ routing_json: JSON.stringify(req.body) })
          .where('id', '=', siteId)
          .execute();
        await audit(trx, {
          siteId,
          actorId: actor.userId,
          action: 'routing.settings.updated',
          target: siteId,
          ip: req.ip,
        });
      });
      await routing().reload(siteId);
      return req.body;
    },
  );
}
