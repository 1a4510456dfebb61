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
import { type Actor, siteScope } from '../context';
import { koreanDayStart } from '../reports/day';
import { HubError } from '../errors';
import { eventTotals } from '../reports/event-totals';
import { kpisFor } from '../reports/kpis';
import { GroupKpis, Kpis } from '@shared/kpis';
import { actorOf, authenticator } from './authenticate';

const READERS = ['supervisor', 'site_manager', 'admin', 'hq_analyst'] as const;

/** HQ analysts read every site of the group; everyone else only their own. */
const readableSite = (actor: Actor, requested: string | undefined): string =>
  actor.role === 'hq_analyst' && requested ? requested : siteScope(actor, requested);

export function reportRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    `${API_PREFIX}/reports/event-totals`,
    {
      preHandler: authenticator(ctx, READERS),
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
      const siteId = readableSite(actor, req.query.siteId);
      return eventTotals(ctx.db, siteId, req.query.upToSeq);
    },
  );

  const Period = z.object({
    siteId: z.string().optional(),
    /** ISO times; the default is today (Korean day) until now. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  });
  const period = (q: { from?: string | undefined; to?: string | undefined }) => {
    const now = Date.now();
    const from = q.from ? Date.parse(q.from) : koreanDayStart(now);
    const to = q.to ? Date.parse(q.to) : now + 1;
    if (!(from < to)) throw new HubError('VALIDATION_FAILED', '`from` must be before `to`');
    return { from, to };
  };

  app.withTypeProvider<ZodTypeProvider>().get(
    `${API_PREFIX}/reports/kpis`,
    {
      preHandler: authenticator(ctx, READERS),
      schema: { tags: ['reports'], security: [{ bearer: [] }], querystring: Period, response: { 200: Kpis } },
    },
    async (req) => {
      const actor = actorOf(req);
      const siteId = readableSite(actor, req.query.siteId);
      const { from, to } = period(req.query);
      return kpisFor(ctx.db, [siteId], from, to);
    },
  );

  // The group view: every site this hub holds (at HQ: every enrolled center) and their total.
  app.withTypeProvider<ZodTypeProvider>().get(
    `${API_PREFIX}/reports/kpis/group`,
    {
      preHandler: authenticator(ctx, ['admin', 'hq_analyst']),
      schema: {
        tags: ['reports'],
        security: [{ bearer: [] }],
        querystring: Period,
        response: { 200: GroupKpis },
      },
    },
    async (req) => {
      const { from, to } = period(req.query);
      let q = ctx.db.selectFrom('sites').select(['id', 'code', 'name']).orderBy('code');
      // At HQ the group is the enrolled centers, not HQ's own office site.
      if (ctx.config.role === 'hq') q = q.where('id', 'in', ctx.db.selectFrom('hq_sites').select('site_id'));
      const sites = await q.execute();
      return {
        sites: await Promise.all(
          sites.map(async (s) => ({
            siteId: s.id,
            code: s.code,
            name: s.name,
            kpis: await kpisFor(ctx.db, [s.id], from, to),
          })),
        ),
        total: await kpisFor(
          ctx.db,
          sites.map((s) => s.id),
          from,
          to,
        ),
      };
    },
  );
}
