/** `GET /api/v1/federation/status` on a site hub: is it enrolled, how far behind is HQ, the last error. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { FEDERATION_PREFIX, FederationStatus } from '@shared/federation';
import type { HubContext } from '../context';
import { authenticator } from '../http/authenticate';
import type { Replicator } from './replicator';

export function siteFederationRoutes(
  app: FastifyInstance,
  ctx: HubContext,
  replicator: Replicator | undefined,
) {
  app.withTypeProvider<ZodTypeProvider>().get(
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
}
