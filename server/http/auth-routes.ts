/** Login and "who am I". Logins and failed logins are audited; guessing is throttled. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX, ErrorResponse, LoginRequest, LoginResponse, MeResponse } from '@shared/api';
import { currentStatus } from '../agents/agent-state';
import { audit } from '../audit/audit-log';
import { dummyHash, verifyPassword } from '../auth/passwords';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import { toReasonCode, toSite, toUser } from '../storage/rows';
import { actorOf, authenticator } from './authenticate';

export function authRoutes(app: FastifyInstance, ctx: HubContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    `${API_PREFIX}/auth/login`,
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; returns a signed token',
        body: LoginRequest,
        response: { 200: LoginResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (req) => {
      const { username, password } = req.body;
      const wait = ctx.throttle.retryAfterMs(username, req.ip);
      if (wait > 0) {
        req.log.warn({ username }, 'login throttled');
        throw new HubError('LOGIN_THROTTLED', 'too many failed logins: try again later', {
          retryAfterSeconds: Math.ceil(wait / 1000),
        });
      }
      const row = await ctx.db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      const valid = await verifyPassword(row?.password_hash ?? (await dummyHash()), password);
      if (!row || !valid || Number(row.active) !== 1) {
        ctx.throttle.recordFailure(username, req.ip);
        await audit(ctx.db, {
          siteId: row?.site_id ?? null,
          actorId: row?.id ?? null,
          action: 'auth.login_failed',
          target: username.slice(0, 64),
          ip: req.ip,
        });
        req.log.warn({ username }, 'login failed');
        throw new HubError('UNAUTHENTICATED', 'wrong username or password');
      }
      ctx.throttle.recordSuccess(username);
      const site = await ctx.db
        .selectFrom('sites')
        .selectAll()
        .where('id', '=', row.site_id)
        .executeTakeFirstOrThrow();
      const user = toUser(row);
      const { token, expiresAt } = await ctx.tokens.sign({
        userId: user.id,
        siteId: user.siteId,
        role: user.role,
      });
      await audit(ctx.db, { siteId: user.siteId, actorId: user.id, action: 'auth.login', ip: req.ip });
      req.log.info({ userId: user.id }, 'login');
      return { token, expiresAt: expiresAt.toISOString(), user, site: toSite(site) };
    },
  );

  r.get(
    `${API_PREFIX}/me`,
    {
      preHandler: authenticator(ctx),
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user, their site, agent state and the reason codes they may pick',
        security: [{ bearer: [] }],
        response: { 200: MeResponse, 401: ErrorResponse },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const [user, site, status, reasons] = await Promise.all([
        ctx.db.selectFrom('users').selectAll().where('id', '=', actor.userId).executeTakeFirstOrThrow(),
        ctx.db.selectFrom('sites').selectAll().where('id', '=', actor.siteId).executeTakeFirstOrThrow(),
        currentStatus(ctx.db, actor.userId),
        ctx.db
          .selectFrom('reason_codes')
          .selectAll()
          .where('site_id', '=', actor.siteId)
          .orderBy('code')
          .execute(),
      ]);
      return { user: toUser(user), site: toSite(site), status, reasonCodes: reasons.map(toReasonCode) };
    },
  );

  // A cheap probe for desks checking that their token is still good.
  r.get(
    `${API_PREFIX}/auth/check`,
    {
      preHandler: authenticator(ctx),
      schema: {
        tags: ['auth'],
        security: [{ bearer: [] }],
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async () => ({ ok: true as const }),
  );
}
