/**
 * `GET /api/v1/sip/credentials`: the signed-in agent's time-limited SIP
 * credentials and where to register. Answers UNAVAILABLE (`sip_not_configured`)
 * when this hub has no SIP server, so the desk shows its phone as not configured.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX } from '@shared/api';
import { SIP_NOT_CONFIGURED, SipCredentials } from '@shared/telephony';
import type { HubContext } from '../context';
import { HubError, notFound } from '../errors';
import { actorOf, authenticator } from '../http/authenticate';
import { issueSipCredentials } from './sip-credentials';

export function telephonyRoutes(app: FastifyInstance, ctx: HubContext): void {
  const log = ctx.log.child({ module: 'telephony' });
  app.withTypeProvider<ZodTypeProvider>().get(
    `${API_PREFIX}/sip/credentials`,
    {
      preHandler: authenticator(ctx, ['agent', 'supervisor', 'site_manager', 'admin']),
      schema: {
        tags: ['telephony'],
        security: [{ bearer: [] }],
        response: { 200: SipCredentials },
      },
    },
    async (req, reply) => {
      const { sipSecret, sipWsUrl, sipDomain, sipCredentialTtlSeconds } = ctx.config;
      if (!sipSecret || !sipWsUrl) {
        throw new HubError('UNAVAILABLE', 'no SIP server is configured on this hub', {
          reason: SIP_NOT_CONFIGURED,
        });
      }
      const actor = actorOf(req);
      const user = await ctx.db
        .selectFrom('users')
        .select(['username'])
        .where('id', '=', actor.userId)
        .executeTakeFirst();
      if (!user) throw notFound('user');
      const credentials = issueSipCredentials(user.username, {
        secret: sipSecret,
        wsUri: sipWsUrl,
        domain: sipDomain,
        ttlSeconds: sipCredentialTtlSeconds,
      });
      log.info(
        { userId: actor.userId, aor: credentials.aor, expiresAt: credentials.expiresAt },
        'sip credentials issued',
      );
      // Credentials are secrets with an expiry: never cached by anything in between.
      void reply.header('cache-control', 'no-store');
      return credentials;
    },
  );
}
