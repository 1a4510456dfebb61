/**
 * `GET /api/v1/sip/server`: where desks reach the SIP server, for the Electron
 * desk's CSP. `GET /api/v1/sip/credentials`: the signed-in agent's time-limited SIP
 * credentials and where to register. Answers UNAVAILABLE (`sip_not_configured`)
 * when this hub has no SIP server, so the desk shows its phone as not configured.
 * `/api/v1/calls…`: the desk reports its calls and wrap-ups; the screen pop
 * looks up the caller by number.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { Disposition } from '@shared/domain';
import {
  CallEventInput,
  CallRecord,
  CallerLookup,
  SIP_NOT_CONFIGURED,
  SipCredentials,
  SipServerInfo,
  WrapUpInput,
} from '@shared/telephony';
import type { HubContext } from '../context';
import { HubError, notFound } from '../errors';
import { actorOf, authenticator } from '../http/authenticate';
import { getCall, listCalls, lookupCaller, recordCallEvent, wrapUpCall } from './call-log';
import { issueSipCredentials } from './sip-credentials';

export function telephonyRoutes(app: FastifyInstance, ctx: HubContext): void {
  const log = ctx.log.child({ module: 'telephony' });
  app.withTypeProvider<ZodTypeProvider>().get(
    `${API_PREFIX}/sip/server`,
    {
      schema: {
        tags: ['telephony'],
        summary: "Where this hub's desks reach their SIP server (no sign-in: the desk's CSP needs it first)",
        response: { 200: SipServerInfo },
      },
    },
    async () => ({ wsUrl: ctx.config.sipSecret && ctx.config.sipWsUrl ? ctx.config.sipWsUrl : null }),
  );
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

  const phoneUsers = authenticator(ctx, ['agent', 'supervisor', 'site_manager', 'admin']);
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    `${API_PREFIX}/calls/events`,
    {
      preHandler: phoneUsers,
      schema: {
        tags: ['telephony'],
        security: [{ bearer: [] }],
        body: CallEventInput,
        response: { 200: CallRecord },
      },
    },
    async (req) => recordCallEvent(ctx, actorOf(req), req.body),
  );
  typed.post(
    `${API_PREFIX}/calls/:id/wrap-up`,
    {
      preHandler: phoneUsers,
      schema: {
        tags: ['telephony'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().min(1).max(64) }),
        body: WrapUpInput,
        response: { 200: CallRecord },
      },
    },
    async (req) => wrapUpCall(ctx, actorOf(req), req.params.id, req.body),
  );
  typed.get(
    `${API_PREFIX}/calls`,
    {
      preHandler: phoneUsers,
      schema: {
        tags: ['telephony'],
        security: [{ bearer: [] }],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
        response: { 200: z.array(CallRecord) },
      },
    },
    async (req) => listCalls(ctx, actorOf(req), req.query.limit),
  );
  typed.get(
    `${API_PREFIX}/calls/:id`,
    {
      preHandler: phoneUsers,
      schema: {
        tags: ['telephony'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: CallRecord },
      },
    },
    async (req) => getCall(ctx, actorOf(req), { id: req.params.id }),
  );
  typed.get(
    `${API_PREFIX}/calls/caller`,
    {
      preHandler: phoneUsers,
      schema: {
        tags: ['telephony'],
        security: [{ bearer: [] }],
        querystring: z.object({ number: z.string().min(1).max(200) }),
        response: { 200: CallerLookup },
      },
    },
    async (req) => lookupCaller(ctx.db, actorOf(req).siteId, req.query.number),
  );
  typed.get(
    `${API_PREFIX}/calls/dispositions`,
    {
      preHandler: phoneUsers,
      schema: { tags: ['telephony'], security: [{ bearer: [] }], response: { 200: z.array(Disposition) } },
    },
    async (req) => {
      const rows = await ctx.db
        .selectFrom('dispositions')
        .selectAll()
        .where('site_id', '=', actorOf(req).siteId)
        .orderBy('code')
        .execute();
      return rows.map((r) => ({ id: r.id, siteId: r.site_id, code: r.code, label: r.label }));
    },
  );
}
