/**
 * A site hub's federation endpoints:
 *
 * - `GET /api/v1/federation/status`: is it enrolled, how far behind is HQ, the last error.
 * - `PUT /api/v1/customers/:id/consents/:kind`: an agent records a consent the
 *   customer gave or withdrew (audited, in the log; `group_share` decides
 *   what the group may see).
 * - `GET /api/v1/customers/:id/other-centers`: the customer's consultations at
 *   the group's other centers, through HQ, only with their group_share consent.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX, ErrorResponse } from '@shared/api';
import { ConsentKind, CustomerProfile, OtherCentersAnswer, PutConsentRequest } from '@shared/customers';
import { FEDERATION_PREFIX, FederationStatus } from '@shared/federation';
import type { HubContext } from '../context';
import { audit } from '../audit/audit-log';
import { actorOf, authenticator } from '../http/authenticate';
import { customersDb } from '../customers/customer-tables';
import { getProfile, parseConsents, requireCustomer } from '../customers/customer-profile';
import { appendEvent } from '../storage/event-log';
import type { Replicator } from './replicator';
import { sharedRecord } from './shared-history';

export function siteFederationRoutes(
  app: FastifyInstance,
  ctx: HubContext,
  replicator: Replicator | undefined,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = z.object({ id: z.string().min(1).max(64) });
  const errors = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
  const doc = { tags: ['customers'], security: [{ bearer: [] }] };

  r.get(
    `${FEDERATION_PREFIX}/status`,
    {
      preHandler: authenticator(ctx, ['admin', 'site_manager']),
      schema: { tags: ['federation'], security: [{ bearer: [] }], response: { 200: FederationStatus } },
    },
    async () =>
      replicator
        ? replicator.status()
        : {
            hqUrl: null,
            enrolled: false,
            memberId: null,
            sites: [],
            lastSuccessAt: null,
            lastError: null,
            clockOffsetMs: 0,
          },
  );

  r.put(
    `${API_PREFIX}/customers/:id/consents/:kind`,
    {
      preHandler: authenticator(ctx),
      schema: {
        ...doc,
        params: Params.extend({ kind: ConsentKind }),
        body: PutConsentRequest,
        response: { 200: CustomerProfile, ...errors },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { id, kind } = req.params;
      const event = await ctx.db.transaction().execute(async (trx) => {
        const row = await requireCustomer(trx, actor.siteId, id);
        const consents = parseConsents(row.consent_json);
        consents[kind] = { granted: req.body.granted, at: Date.now() };
        await customersDb(trx)
          .updateTable('customers')
          .set({ consent_json: JSON.stringify(consents) })
          .where('id', '=', id)
          .execute();
        await audit(trx, {
          siteId: actor.siteId,
          actorId: actor.userId,
          action: req.body.granted ? 'customer.consent.granted' : 'customer.consent.withdrawn',
          target: `${id}:${kind}`,
          ip: req.ip,
        });
        // In the log, so the change reaches HQ (a withdrawn group_share makes HQ forget the customer).
        return appendEvent(
          trx,
          actor.siteId,
          'customer.consent_changed',
          { customerId: id, kind, granted: req.body.granted },
          [],
        );
      });
      ctx.publisher.publish([event]);
      replicator?.nudge();
      return getProfile(ctx.db, actor, id);
    },
  );

  r.get(
    `${API_PREFIX}/customers/:id/other-centers`,
    {
      preHandler: authenticator(ctx),
      schema: { ...doc, params: Params, response: { 200: OtherCentersAnswer, ...errors } },
    },
    async (req) => {
      const actor = actorOf(req);
      await requireCustomer(ctx.db, actor.siteId, req.params.id);
      const mine = await sharedRecord(ctx.db, actor.siteId, req.params.id);
      // Without the customer's consent HQ is not even asked.
      if (mine.consentAt === null) return { consent: false, reachable: replicator !== undefined, items: [] };
      if (!replicator) return { consent: true, reachable: false, items: [] };
      try {
        const answer = await replicator.lookupHistory(actor.siteId, mine);
        return {
          consent: true,
          reachable: true,
          items: answer.items.map((i) => ({
            id: i.id,
            siteCode: i.siteCode,
            siteName: i.siteName,
            channel: i.channel,
            status: i.status,
            subject: i.subject,
            messageCount: i.messageCount,
            createdAt: new Date(i.createdAt).toISOString(),
            at: new Date(i.at).toISOString(),
          })),
        };
      } catch (err) {
        req.log.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'HQ not reachable for history',
        );
        return { consent: true, reachable: false, items: [] };
      }
    },
  );
}
