/**
 * HQ's HTTP endpoints (registered only with `--role hq`):
 *
 * - `POST /api/v1/hq/enrollments` (admin): a one-time token for a new site hub.
 * - `GET /api/v1/hq/sites` (admin, hq_analyst): every site with its lag and last contact.
 * - `DELETE /api/v1/hq/members/:id` (admin): remove a site hub from the group.
 * - `POST /api/v1/federation/enroll` (the token): a site hub joins.
 * - `POST /api/v1/federation/events` (signed, gzip): a replication batch.
 */
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX, ErrorResponse } from '@shared/api';
import {
  EnrollRequest,
  EnrollResponse,
  FEDERATION_PREFIX,
  FederatedSiteView,
  ReplicationAck,
  ReplicationBatch,
} from '@shared/federation';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import { actorOf, authenticator } from '../http/authenticate';
import { audit } from '../audit/audit-log';
import {
  applyBatch,
  applyDirectory,
  createEnrollment,
  enroll,
  federatedSites,
  memberKey,
  replicatedAgentStates,
  revokeMember,
} from './hq-service';
import { koreanDayStart } from '../reports/day';
import { kpisFor } from '../reports/kpis';
import {
  ConfigPull,
  ConfigPullResponse,
  DirectorySync,
  GroupConfigKey,
  GroupConfigKind,
  GroupConfigView,
  HistoryLookup,
  HistoryLookupAnswer,
  HqBoard,
  OverflowAnswer,
  OverflowRequest,
  SharedHistorySync,
} from '@shared/federation';
import { applySharedHistory, lookupSharedHistory } from './shared-history';
import { handleOverflow } from './overflow';
import { answerPull, listGroupConfig, putGroupConfig } from './group-config';
import { hashPassword } from '../auth/passwords';

/** A group user is given with a password at HQ; only its argon2id hash is stored and sent. */
async function groupPayload(kind: GroupConfigKind, body: Record<string, unknown>): Promise<unknown> {
  if (kind !== 'user') return body;
  const { password, ...rest } = body;
  if (typeof password !== 'string' || password.length < 8 || password.length > 256) {
    throw new HubError('VALIDATION_FAILED', 'a group user needs a password of 8 to 256 characters');
  }
  return { ...rest, passwordHash: await hashPassword(password) };
}

const countBy = (values: string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};
import { NonceCache, readSignedParts, verifyRequest } from './signing';

/** A compressed batch of 1,000 events is far below this; a larger body is refused unread. */
const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

export function hqRoutes(app: FastifyInstance, ctx: HubContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const skewMs = ctx.config.federationClockSkewSeconds * 1000;
  const nonces = new NonceCache(skewMs);
  const tags = ['hq'];
  const security = [{ bearer: [] }];

  r.post(
    `${API_PREFIX}/hq/enrollments`,
    {
      preHandler: authenticator(ctx, ['admin']),
      schema: {
        tags,
        security,
        body: z.object({ name: z.string().trim().min(1).max(100) }).strict(),
        response: { 201: z.object({ token: z.string(), expiresAt: z.string() }) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const created = await createEnrollment(ctx, req.body.name, actor.userId);
      await audit(ctx.db, {
        siteId: actor.siteId,
        actorId: actor.userId,
        action: 'hq.enrollment.created',
        target: req.body.name,
        ip: req.ip,
      });
      return reply.code(201).send(created);
    },
  );

  r.get(
    `${API_PREFIX}/hq/sites`,
    {
      preHandler: authenticator(ctx, ['admin', 'hq_analyst']),
      schema: { tags, security, response: { 200: z.array(FederatedSiteView) } },
    },
    () => federatedSites(ctx),
  );

  // The group wallboard: every center side by side (lag, agents by state, today's KPIs) and the total.
  r.get(
    `${API_PREFIX}/hq/board`,
    {
      preHandler: authenticator(ctx, ['admin', 'hq_analyst']),
      schema: { tags, security, response: { 200: HqBoard } },
    },
    async () => {
      const now = Date.now();
      const from = koreanDayStart(now);
      const sites = await federatedSites(ctx);
      const rows = await Promise.all(
        sites.map(async (site) => {
          const agents = await replicatedAgentStates(ctx, site.siteId);
          return {
            site,
            agents,
            byState: countBy(agents.map((a) => a.state)),
            kpis: await kpisFor(ctx.db, [site.siteId], from, now + 1),
          };
        }),
      );
      return {
        at: new Date(now).toISOString(),
        sites: rows,
        total: {
          byState: countBy(rows.flatMap((r) => r.agents.map((a) => a.state))),
          kpis: await kpisFor(
            ctx.db,
            sites.map((s) => s.siteId),
            from,
            now + 1,
          ),
        },
      };
    },
  );

  // Group configuration HQ owns (see group-config.ts).
  const ConfigParams = z.object({ kind: GroupConfigKind, key: GroupConfigKey });
  /** Sets (payload) or deletes (null) one group item, audited. */
  const changeConfig = async (
    req: FastifyRequest,
    { kind, key }: z.infer<typeof ConfigParams>,
    payload: unknown,
    action: string,
  ) => {
    const actor = actorOf(req);
    const item = await putGroupConfig(ctx, kind, key, payload);
    await audit(ctx.db, {
      siteId: actor.siteId,
      actorId: actor.userId,
      action,
      target: `${kind}:${key}`,
      ip: req.ip,
    });
    return item;
  };
  r.get(
    `${API_PREFIX}/hq/config`,
    {
      preHandler: authenticator(ctx, ['admin', 'hq_analyst']),
      schema: { tags, security, response: { 200: GroupConfigView } },
    },
    () => listGroupConfig(ctx),
  );
  r.put(
    `${API_PREFIX}/hq/config/:kind/:key`,
    {
      preHandler: authenticator(ctx, ['admin']),
      schema: { tags, security, params: ConfigParams, body: z.record(z.string(), z.unknown()) },
    },
    async (req) =>
      changeConfig(req, req.params, await groupPayload(req.params.kind, req.body), 'hq.config.updated'),
  );
  r.delete(
    `${API_PREFIX}/hq/config/:kind/:key`,
    { preHandler: authenticator(ctx, ['admin']), schema: { tags, security, params: ConfigParams } },
    async (req) => changeConfig(req, req.params, null, 'hq.config.deleted'),
  );

  r.delete(
    `${API_PREFIX}/hq/members/:id`,
    {
      preHandler: authenticator(ctx, ['admin']),
      schema: { tags, security, params: z.object({ id: z.string() }) },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await revokeMember(ctx, req.params.id);
      await audit(ctx.db, {
        siteId: actor.siteId,
        actorId: actor.userId,
        action: 'hq.member.removed',
        target: req.params.id,
        ip: req.ip,
      });
      return reply.code(204).send();
    },
  );

  r.post(
    `${FEDERATION_PREFIX}/enroll`,
    { schema: { tags, body: EnrollRequest, response: { 200: EnrollResponse, 401: ErrorResponse } } },
    async (req) => {
      try {
        return await enroll(ctx, req.body);
      } catch (err) {
        req.log.warn({ err, ip: req.ip }, 'enrollment refused');
        throw err;
      }
    },
  );

  // The replication endpoint reads its body as raw bytes: the signature covers
  // exactly what was sent, and the bytes are a gzip stream, not JSON.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: BATCH_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(
        `${FEDERATION_PREFIX}/config`,
        { schema: { tags, hide: true, response: { 200: ConfigPullResponse } } },
        async (req) => {
          const memberId = await authenticateSite(ctx, req, skewMs, nonces);
          const parsed = ConfigPull.safeParse(decodeJson(req));
          if (!parsed.success) {
            throw new HubError('VALIDATION_FAILED', 'invalid config pull', parsed.error.issues.slice(0, 20));
          }
          return answerPull(ctx, memberId, parsed.data);
        },
      );
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(`${FEDERATION_PREFIX}/shared-history`, { schema: { tags, hide: true } }, async (req, reply) => {
        const memberId = await authenticateSite(ctx, req, skewMs, nonces);
        await applySharedHistory(ctx, memberId, parseBody(SharedHistorySync, req, 'shared history'));
        return reply.code(204).send();
      });
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(
        `${FEDERATION_PREFIX}/shared-history/lookup`,
        { schema: { tags, hide: true, response: { 200: HistoryLookupAnswer } } },
        async (req) => {
          const memberId = await authenticateSite(ctx, req, skewMs, nonces);
          return lookupSharedHistory(ctx, memberId, parseBody(HistoryLookup, req, 'history lookup'));
        },
      );
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(
        `${FEDERATION_PREFIX}/overflow`,
        { schema: { tags, hide: true, response: { 200: OverflowAnswer } } },
        async (req) => {
          const memberId = await authenticateSite(ctx, req, skewMs, nonces);
          return handleOverflow(ctx, memberId, parseBody(OverflowRequest, req, 'overflow request'));
        },
      );
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(`${FEDERATION_PREFIX}/directory`, { schema: { tags, hide: true } }, async (req, reply) => {
        const memberId = await authenticateSite(ctx, req, skewMs, nonces);
        const parsed = DirectorySync.safeParse(decodeJson(req));
        if (!parsed.success) {
          throw new HubError('VALIDATION_FAILED', 'invalid directory', parsed.error.issues.slice(0, 20));
        }
        await applyDirectory(ctx, memberId, parsed.data);
        return reply.code(204).send();
      });
    scope
      .withTypeProvider<ZodTypeProvider>()
      .post(
        `${FEDERATION_PREFIX}/events`,
        { schema: { tags, hide: true, response: { 200: ReplicationAck } } },
        async (req) => {
          const memberId = await authenticateSite(ctx, req, skewMs, nonces);
          const batch = decodeBatch(req);
          return applyBatch(ctx, memberId, batch);
        },
      );
  });
}

async function authenticateSite(
  ctx: HubContext,
  req: FastifyRequest,
  skewMs: number,
  nonces: NonceCache,
): Promise<string> {
  const parts = readSignedParts(req.headers);
  if (!parts) throw new HubError('UNAUTHENTICATED', 'missing or malformed signature headers');
  const key = await memberKey(ctx, parts.memberId);
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const now = Date.now();
  const failure = verifyRequest(key, parts, req.method, req.url, body, now, skewMs, nonces);
  if (failure) {
    req.log.warn({ memberId: parts.memberId, failure, ip: req.ip }, 'site request refused');
    // The site corrects its clock from `serverTime`; nothing secret is revealed by it.
    throw new HubError('UNAUTHENTICATED', `site request refused: ${failure}`, {
      reason: failure,
      serverTime: now,
    });
  }
  return parts.memberId;
}

/** The body of a signed request: gzip-compressed JSON. */
function decodeJson(req: FastifyRequest): unknown {
  if (!Buffer.isBuffer(req.body)) {
    throw new HubError('BAD_REQUEST', 'a site request is an application/octet-stream gzip body');
  }
  let text: string;
  try {
    text = gunzipSync(req.body).toString('utf8');
  } catch {
    req.log.warn({ bytes: req.body.length }, 'site request body is not complete gzip');
    throw new HubError('BAD_REQUEST', 'batch is not a complete gzip stream');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HubError('BAD_REQUEST', 'batch is not JSON');
  }
}

/** A signed request's body, validated: a typed refusal, never a crash. */
function parseBody<T>(schema: z.ZodType<T>, req: FastifyRequest, what: string): T {
  const parsed = schema.safeParse(decodeJson(req));
  if (!parsed.success) {
    throw new HubError('VALIDATION_FAILED', `invalid ${what}`, parsed.error.issues.slice(0, 20));
  }
  return parsed.data;
}

function decodeBatch(req: FastifyRequest): ReplicationBatch {
  const parsed = ReplicationBatch.safeParse(decodeJson(req));
  if (!parsed.success) {
    req.log.warn({ issues: parsed.error.issues.slice(0, 5) }, 'replication batch failed validation');
    throw new HubError('VALIDATION_FAILED', 'invalid replication batch', parsed.error.issues.slice(0, 20));
  }
  return parsed.data;
}
