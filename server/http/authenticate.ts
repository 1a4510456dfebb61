/**
 * Bearer-token authentication for the HTTP API. `authenticate` resolves the
 * caller to an Actor (and checks the user is still active); `requireRoles`
 * narrows a route to some roles.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '@shared/domain';
import type { Actor, HubContext } from '../context';
import { HubError, forbidden } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export function bearerToken(req: FastifyRequest): string {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) throw new HubError('UNAUTHENTICATED', 'missing bearer token');
  return header.slice('Bearer '.length).trim();
}

export function authenticator(ctx: HubContext, roles?: readonly Role[]) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const claims = await ctx.tokens.verify(bearerToken(req));
    const user = await ctx.db
      .selectFrom('users')
      .select(['active'])
      .where('id', '=', claims.userId)
      .executeTakeFirst();
    if (!user || Number(user.active) !== 1) throw new HubError('UNAUTHENTICATED', 'user is not active');
    req.actor = { ...claims, ip: req.ip };
    if (roles && !roles.includes(claims.role)) throw forbidden();
  };
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new HubError('UNAUTHENTICATED', 'not authenticated');
  return req.actor;
}
