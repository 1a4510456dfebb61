/**
 * HQ's side of federation: enrollment tokens, enrolling a site hub, applying
 * replicated batches, and the per-site lag view.
 *
 * Replicated events go into HQ's own `events` table under the site's id (site
 * ids are UUIDs, unique across the group), so anything that reads a site's log
 * — totals, KPIs — runs unchanged at the site and at HQ.
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  DirectorySync,
  EnrollRequest,
  EnrollResponse,
  FederatedSiteView,
  ReplicationAck,
  ReplicationBatch,
} from '@shared/federation';
import type { HubContext } from '../context';
import { HubError, forbidden } from '../errors';
import { isUniqueViolation } from '../storage/db-errors';
import { newId } from '../storage/ids';
import { newKey } from './signing';

const ENROLLMENT_TTL_MS = 7 * 86_400_000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A one-time enrollment token for a new site hub, valid for a week. Only its hash is stored. */
export async function createEnrollment(
  ctx: HubContext,
  name: string,
  createdBy: string,
  now = Date.now(),
): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(24).toString('base64url');
  await ctx.db
    .insertInto('hq_enrollments')
    .values({
      token_hash: hashToken(token),
      name,
      created_by: createdBy,
      created_at: now,
      expires_at: now + ENROLLMENT_TTL_MS,
      used_at: null,
      member_id: null,
    })
    .execute();
  return { token, expiresAt: new Date(now + ENROLLMENT_TTL_MS).toISOString() };
}

/**
 * Enrolls a site hub: uses up the token, registers the hub and its sites, and
 * returns the key it will sign with. All in one transaction, so a token is
 * used exactly once and a failed enrollment leaves nothing behind.
 */
export async function enroll(ctx: HubContext, req: EnrollRequest, now = Date.now()): Promise<EnrollResponse> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const used = await trx
        .updateTable('hq_enrollments')
        .set({ used_at: now })
        .where('token_hash', '=', hashToken(req.token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('name')
        .executeTakeFirst();
      if (!used) throw new HubError('UNAUTHENTICATED', 'enrollment token is unknown, used or expired');
      const memberId = newId();
      const key = newKey();
      await trx
        .insertInto('hq_members')
        .values({ id: memberId, name: req.name, key, enrolled_at: now, revoked_at: null })
        .execute();
      await trx
        .updateTable('hq_enrollments')
        .set({ member_id: memberId })
        .where('token_hash', '=', hashToken(req.token))
        .execute();
      for (const site of req.sites) {
        await trx
          .insertInto('sites')
          .values({ id: site.id, code: site.code, name: site.name, timezone: site.timezone, created_at: now })
          .execute();
        await trx
          .insertInto('hq_sites')
          .values({
            site_id: site.id,
            member_id: memberId,
            last_seq: 0,
            head_seq: 0,
            last_contact_at: now,
            last_event_at: null,
          })
          .execute();
      }
      ctx.log.info({ memberId, name: req.name, sites: req.sites.map((s) => s.code) }, 'site hub enrolled');
      return { memberId, key };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new HubError('CONFLICT', 'a site with this id or code is already part of the group');
    }
    throw err;
  }
}

/** The signing key of an active member, or a typed refusal. */
export async function memberKey(ctx: HubContext, memberId: string): Promise<string> {
  const member = await ctx.db
    .selectFrom('hq_members')
    .select(['key', 'revoked_at'])
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!member) throw new HubError('UNAUTHENTICATED', 'unknown site hub');
  if (member.revoked_at !== null) throw forbidden('this site hub has been removed from the group');
  return member.key;
}

/**
 * Applies one batch. Events at or below HQ's cursor are already applied and
 * skipped (a resent batch changes nothing); the rest must continue the cursor
 * without a gap, or the batch is refused with the seq HQ expects so the site
 * can rewind. Events, cursor and contact time commit together.
 */
export async function applyBatch(
  ctx: HubContext,
  memberId: string,
  batch: ReplicationBatch,
  now = Date.now(),
): Promise<ReplicationAck> {
  return ctx.db.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('hq_sites')
      .select(['member_id', 'last_seq'])
      .where('site_id', '=', batch.siteId)
      .executeTakeFirst();
    if (!site || site.member_id !== memberId) throw forbidden('this site does not belong to your hub');
    let cursor = Number(site.last_seq);
    const fresh = batch.events.filter((e) => e.seq > cursor).sort((a, b) => a.seq - b.seq);
    for (const e of fresh) {
      if (e.seq !== cursor + 1) {
        throw new HubError('CONFLICT', `replication gap: expected seq ${cursor + 1}, got ${e.seq}`, {
          expectedSeq: cursor + 1,
        });
      }
      cursor = e.seq;
    }
    if (fresh.length > 0) {
      // Chunked: SQLite allows at most 32,766 bound parameters per statement.
      for (let i = 0; i < fresh.length; i += 500) {
        await trx
          .insertInto('events')
          .values(
            fresh.slice(i, i + 500).map((e) => ({
              site_id: batch.siteId,
              seq: e.seq,
              type: e.type,
              payload: e.payload,
              at: e.at,
            })),
          )
          .execute();
      }
    }
    await trx
      .updateTable('hq_sites')
      .set({
        last_seq: cursor,
        head_seq: Math.max(batch.headSeq, cursor),
        last_contact_at: now,
        ...(fresh.length > 0 ? { last_event_at: fresh.at(-1)!.at } : {}),
      })
      .where('site_id', '=', batch.siteId)
      .execute();
    return { siteId: batch.siteId, ackedSeq: cursor };
  });
}

/** Marks a site that contacted HQ without events (a heartbeat). */
export async function recordContact(ctx: HubContext, memberId: string, now = Date.now()): Promise<void> {
  await ctx.db
    .updateTable('hq_sites')
    .set({ last_contact_at: now })
    .where('member_id', '=', memberId)
    .execute();
}

export async function federatedSites(ctx: HubContext): Promise<FederatedSiteView[]> {
  const rows = await ctx.db
    .selectFrom('hq_sites as h')
    .innerJoin('sites as s', 's.id', 'h.site_id')
    .innerJoin('hq_members as m', 'm.id', 'h.member_id')
    .select([
      'h.site_id',
      's.code',
      's.name',
      'h.member_id',
      'm.name as member_name',
      'h.last_seq',
      'h.head_seq',
      'h.last_contact_at',
      'h.last_event_at',
      'm.revoked_at',
    ])
    .orderBy('s.code')
    .execute();
  const iso = (v: number | null) => (v === null ? null : new Date(Number(v)).toISOString());
  return rows.map((r) => ({
    siteId: r.site_id,
    code: r.code,
    name: r.name,
    memberId: r.member_id,
    memberName: r.member_name,
    lastSeq: Number(r.last_seq),
    headSeq: Number(r.head_seq),
    lagEvents: Math.max(0, Number(r.head_seq) - Number(r.last_seq)),
    lastContactAt: iso(r.last_contact_at),
    lastEventAt: iso(r.last_event_at),
    revoked: r.revoked_at !== null,
  }));
}

/** Removes a site hub from the group: its requests are refused from now on; what it sent stays. */
export async function revokeMember(ctx: HubContext, memberId: string, now = Date.now()): Promise<void> {
  const r = await ctx.db
    .updateTable('hq_members')
    .set({ revoked_at: now })
    .where('id', '=', memberId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0)
    throw new HubError('NOT_FOUND', 'site hub not found or already removed');
  ctx.log.warn({ memberId }, 'site hub removed from the group');
}

export interface BoardAgent {
  userId: string;
  displayName: string | null;
  state: string;
  since: string;
}

/**
 * Each center's agents as HQ last heard of them: the newest
 * `agent.state_changed` per agent in the replicated log. As current as the
 * replication lag (shown beside it), and still there when the link is down.
 */
export async function replicatedAgentStates(ctx: HubContext, siteId: string): Promise<BoardAgent[]> {
  // The newest state changes are enough: an agent silent for longer than the
  // last few thousand changes has long been offline.
  const rows = await ctx.db
    .selectFrom('events')
    .select(['payload'])
    .where('site_id', '=', siteId)
    .where('type', '=', 'agent.state_changed')
    .orderBy('seq', 'desc')
    .limit(5000)
    .execute();
  const names = new Map(
    (
      await ctx.db
        .selectFrom('hq_site_users')
        .select(['user_id', 'display_name'])
        .where('site_id', '=', siteId)
        .execute()
    ).map((u) => [u.user_id, u.display_name]),
  );
  const latest = new Map<string, BoardAgent>();
  for (const r of rows) {
    const p = JSON.parse(r.payload) as { userId: string; state: string; since: string };
    if (!latest.has(p.userId)) {
      latest.set(p.userId, {
        userId: p.userId,
        displayName: names.get(p.userId) ?? null,
        state: p.state,
        since: p.since,
      });
    }
  }
  return [...latest.values()].sort((a, b) =>
    (a.displayName ?? a.userId).localeCompare(b.displayName ?? b.userId, 'ko'),
  );
}

/** Replaces a center's directory at HQ (names and roles only). */
export async function applyDirectory(ctx: HubContext, memberId: string, sync: DirectorySync): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('hq_sites')
      .select('member_id')
      .where('site_id', '=', sync.siteId)
      .executeTakeFirst();
    if (!site || site.member_id !== memberId) throw forbidden('this site does not belong to your hub');
    await trx.deleteFrom('hq_site_users').where('site_id', '=', sync.siteId).execute();
    for (let i = 0; i < sync.users.length; i += 500) {
      await trx
        .insertInto('hq_site_users')
        .values(
          sync.users.slice(i, i + 500).map((u) => ({
            user_id: u.id,
            site_id: sync.siteId,
            display_name: u.displayName,
            role: u.role,
            active: u.active ? 1 : 0,
          })),
        )
        .execute();
    }
  });
}
