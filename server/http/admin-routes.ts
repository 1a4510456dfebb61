/**
 * Admin API: list, read, create, update (and for most, delete) each admin
 * resource, scoped to the caller's site (a group admin may name another with
 * `siteId`). Every change is audited in the same transaction.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ADMIN_RESOURCES, API_PREFIX, type AdminResource, AgentStatusView, ErrorResponse } from '@shared/api';
import type { Role } from '@shared/domain';
import { siteAgentStates } from '../agents/agent-state';
import { audit } from '../audit/audit-log';
import { markOverridden } from '../federation/group-config';
import { type Actor, type HubContext, siteScope } from '../context';
import { forbidden, notFound } from '../errors';
import { RESOURCE_DEFS } from '../directory/admin-resources';
import { mapDbError } from '../storage/db-errors';
import { newId } from '../storage/ids';
import { actorOf, authenticator } from './authenticate';

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
const READERS: readonly Role[] = ['admin', 'site_manager', 'supervisor', 'hq_analyst'];

/** Directory resources the ACD is built from. */
const ROUTING_RESOURCES = new Set<AdminResource>(['queues', 'users', 'skills', 'sites']);

export function adminRoutes(app: FastifyInstance, ctx: HubContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.db as unknown as AnyDb;
  const security = [{ bearer: [] }];
  const SiteQuery = z.object({ siteId: z.string().optional() });
  const IdParams = z.object({ id: z.string().min(1).max(64) });

  for (const resource of Object.keys(ADMIN_RESOURCES) as AdminResource[]) {
    const def = RESOURCE_DEFS[resource];
    const { entity, create } = ADMIN_RESOURCES[resource];
    const base = `${API_PREFIX}/admin/${resource}`;
    const tags = ['admin'];

    /** Rows of this resource the actor may see, optionally one id. */
    const scoped = (actor: Actor, siteId?: string) => {
      let q = db.selectFrom(def.table).selectAll();
      if (def.siteScoped) q = q.where('site_id', '=', siteScope(actor, siteId));
      else if (actor.role !== 'admin') q = q.where('id', '=', actor.siteId);
      return q;
    };
    /** One row the actor may see, or NOT_FOUND (another site's row is "not found" too). */
    const findOne = async (actor: Actor, siteId: string | undefined, id: string) => {
      const row = await scoped(actor, siteId).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(resource);
      return row;
    };
    /** Queues are checked against the site's agents before the change commits (RoutingService.guardChange). */
    const routingGuard = async (siteId: string | undefined) =>
      resource === 'queues' && siteId && ctx.routing
        ? await ctx.routing.guardChange(siteId)
        : async () => undefined;
    /** After a directory change the site's ACD rebuilds from it. */
    const reloadRouting = async (siteId: string | undefined) => {
      if (siteId && ctx.routing && ROUTING_RESOURCES.has(resource)) await ctx.routing.reload(siteId);
    };
    const canWrite = (actor: Actor) => {
      if (!def.writeRoles.includes(actor.role)) throw forbidden();
    };

    r.get(
      base,
      {
        preHandler: authenticator(ctx, READERS),
        schema: {
          tags,
          security,
          querystring: SiteQuery,
          response: { 200: z.array(entity), 403: ErrorResponse },
        },
      },
      async (req) => {
        const rows = await scoped(actorOf(req), req.query.siteId).orderBy('id').execute();
        return rows.map((row) => def.toEntity(row)) as never;
      },
    );

    r.get(
      `${base}/:id`,
      {
        preHandler: authenticator(ctx, READERS),
        schema: {
          tags,
          security,
          params: IdParams,
          querystring: SiteQuery,
          response: { 200: entity, 404: ErrorResponse },
        },
      },
      async (req) => {
        const row = await findOne(actorOf(req), req.query.siteId, req.params.id);
        return def.toEntity(row) as never;
      },
    );

    r.post(
      base,
      {
        preHandler: authenticator(ctx),
        schema: {
          tags,
          security,
          body: create,
          response: { 201: entity, 400: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        canWrite(actor);
        const input = req.body as Record<string, unknown>;
        const row: Record<string, unknown> = { id: newId(), ...(await def.toRow(input)) };
        if (def.siteScoped) row.site_id = siteScope(actor, input.siteId as string | undefined);
        const guard = await routingGuard(row.site_id as string | undefined);
        try {
          await db.transaction().execute(async (trx) => {
            await trx.insertInto(def.table).values(row).execute();
            await guard(trx as never);
            await audit(trx as never, {
              siteId: (row.site_id as string | undefined) ?? (row.id as string),
              actorId: actor.userId,
              action: `admin.${resource}.created`,
              target: row.id as string,
              ip: req.ip,
            });
          });
        } catch (err) {
          mapDbError(err, resource);
        }
        await reloadRouting(row.site_id as string | undefined);
        return reply.code(201).send(def.toEntity(row) as never);
      },
    );

    r.patch(
      `${base}/:id`,
      {
        preHandler: authenticator(ctx),
        schema: {
          tags,
          security,
          params: IdParams,
          querystring: SiteQuery,
          body: def.update,
          response: { 200: entity, 404: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        canWrite(actor);
        const existing = await findOne(actor, req.query.siteId, req.params.id);
        const patch = await def.toPatch(req.body);
        const guard = await routingGuard(existing.site_id as string | undefined);
        try {
          await db.transaction().execute(async (trx) => {
            if (Object.keys(patch).length > 0) {
              await trx.updateTable(def.table).set(patch).where('id', '=', req.params.id).execute();
            }
            await guard(trx as never);
            await markOverridden(trx as never, resource, req.params.id);
            await audit(trx as never, {
              siteId: (existing.site_id as string | undefined) ?? req.params.id,
              actorId: actor.userId,
              action: `admin.${resource}.updated`,
              target: req.params.id,
              detail: { fields: Object.keys(req.body).filter((k) => k !== 'password') },
              ip: req.ip,
            });
          });
        } catch (err) {
          mapDbError(err, resource);
        }
        await reloadRouting(existing.site_id as string | undefined);
        return def.toEntity({ ...existing, ...patch }) as never;
      },
    );

    if (def.deletable) {
      r.delete(
        `${base}/:id`,
        {
          preHandler: authenticator(ctx),
          schema: { tags, security, params: IdParams, querystring: SiteQuery },
        },
        async (req, reply) => {
          const actor = actorOf(req);
          canWrite(actor);
          const existing = await findOne(actor, req.query.siteId, req.params.id);
          const guard = await routingGuard(existing.site_id as string | undefined);
          try {
            await db.transaction().execute(async (trx) => {
              await trx.deleteFrom(def.table).where('id', '=', req.params.id).execute();
              await guard(trx as never);
              await markOverridden(trx as never, resource, req.params.id);
              await audit(trx as never, {
                siteId: existing.site_id as string,
                actorId: actor.userId,
                action: `admin.${resource}.deleted`,
                target: req.params.id,
                ip: req.ip,
              });
            });
          } catch (err) {
            mapDbError(err, resource);
          }
          await reloadRouting(existing.site_id as string | undefined);
          return reply.code(204).send();
        },
      );
    }
  }

  r.get(
    `${API_PREFIX}/admin/agent-states`,
    {
      preHandler: authenticator(ctx, ['admin', 'site_manager', 'supervisor']),
      schema: {
        tags: ['admin'],
        summary: 'Every agent of the site with their state and time in state',
        security,
        querystring: SiteQuery,
        response: { 200: z.array(AgentStatusView), 403: ErrorResponse },
      },
    },
    (req) => siteAgentStates(ctx, siteScope(actorOf(req), req.query.siteId)),
  );

  r.get(
    `${API_PREFIX}/admin/audit-log`,
    {
      preHandler: authenticator(ctx, ['admin', 'site_manager']),
      schema: {
        tags: ['admin'],
        security,
        querystring: SiteQuery.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.array(
            z.object({
              id: z.number(),
              siteId: z.string().nullable(),
              actorId: z.string().nullable(),
              action: z.string(),
              target: z.string().nullable(),
              detail: z.unknown(),
              ip: z.string().nullable(),
              at: z.string(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const siteId = siteScope(actorOf(req), req.query.siteId);
      const rows = await ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('site_id', '=', siteId)
        .orderBy('id', 'desc')
        .limit(req.query.limit)
        .execute();
      return rows.map((a) => ({
        id: Number(a.id),
        siteId: a.site_id,
        actorId: a.actor_id,
        action: a.action,
        target: a.target,
        detail: a.detail ? (JSON.parse(a.detail) as unknown) : null,
        ip: a.ip,
        at: new Date(Number(a.at)).toISOString(),
      }));
    },
  );
}
