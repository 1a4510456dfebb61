/**
 * Merging two records of the same customer, and undoing it. The survivor
 * takes the other record's identities, conversations, calls, notes and routed
 * work; tags are united, lifetime values added, consents the survivor lacks
 * are taken over. The merge row keeps exactly which ids moved and the
 * survivor's fields before, so an undo puts back precisely that — and nothing
 * that was added to the survivor after the merge. Supervising roles only; both
 * steps are audited in the same transaction.
 */
import type { MergeResult, UndoMergeResult } from '@shared/customers';
import { audit } from '../audit/audit-log';
import { type Actor, type HubContext, SUPERVISING_ROLES, requireRole } from '../context';
import { HubError, notFound } from '../errors';
import { newId } from '../storage/ids';
import { type CustomersDb, customersDb } from './customer-tables';
import { loadProfile, parseConsents, parseTags, requireCustomer } from './customer-profile';

/** Tables whose rows point at a customer and move with a merge. */
const MOVABLE = ['identities', 'conversations', 'calls', 'customer_notes', 'work_items'] as const;
type Movable = (typeof MOVABLE)[number];
type MovedIds = Record<Movable, string[]>;

interface SurvivorBefore {
  segment: string | null;
  lifetime_value: number;
  consent_json: string;
  tags_json: string;
}

async function idsOf(db: CustomersDb, table: Movable, siteId: string, customerId: string): Promise<string[]> {
  // The five tables share (id, site_id, customer_id); Kysely cannot type a union of tables.
  const rows = await db
    .selectFrom(table as 'identities')
    .select('id')
    .where('site_id', '=', siteId)
    .where('customer_id', '=', customerId)
    .execute();
  return rows.map((r) => r.id);
}

async function move(db: CustomersDb, table: Movable, ids: string[], to: string): Promise<void> {
  // In chunks: SQLite limits the number of bound parameters.
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable(table as 'identities')
      .set({ customer_id: to })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

export async function mergeCustomers(
  ctx: HubContext,
  actor: Actor,
  survivorId: string,
  otherId: string,
): Promise<MergeResult> {
  requireRole(actor, SUPERVISING_ROLES);
  if (survivorId === otherId) throw new HubError('BAD_REQUEST', 'a customer cannot be merged with itself');
  const mergeId = newId();
  await ctx.db.transaction().execute(async (trx) => {
    const db = customersDb(trx);
    const survivor = await requireCustomer(trx, actor.siteId, survivorId);
    const other = await requireCustomer(trx, actor.siteId, otherId);
    if (survivor.merged_into || other.merged_into) {
      throw new HubError('CONFLICT', 'one of the records is already merged into another');
    }
    const moved = {} as MovedIds;
    for (const table of MOVABLE) {
      moved[table] = await idsOf(db, table, actor.siteId, otherId);
      await move(db, table, moved[table], survivorId);
    }
    const before: SurvivorBefore = {
      segment: survivor.segment,
      lifetime_value: Number(survivor.lifetime_value),
      consent_json: survivor.consent_json,
      tags_json: survivor.tags_json,
    };
    const consents = { ...parseConsents(other.consent_json), ...parseConsents(survivor.consent_json) };
    await db
      .updateTable('customers')
      .set({
        segment: survivor.segment ?? other.segment,
        lifetime_value: Number(survivor.lifetime_value) + Number(other.lifetime_value),
        consent_json: JSON.stringify(consents),
        tags_json: JSON.stringify([
          ...new Set([...parseTags(survivor.tags_json), ...parseTags(other.tags_json)]),
        ]),
      })
      .where('id', '=', survivorId)
      .execute();
    await db.updateTable('customers').set({ merged_into: survivorId }).where('id', '=', otherId).execute();
    await db
      .insertInto('customer_merges')
      .values({
        id: mergeId,
        site_id: actor.siteId,
        survivor_id: survivorId,
        merged_id: otherId,
        actor_id: actor.userId,
        moved_json: JSON.stringify(moved),
        survivor_before_json: JSON.stringify(before),
        created_at: Date.now(),
        undone_at: null,
        undone_by: null,
      })
      .execute();
    await audit(trx, {
      siteId: actor.siteId,
      actorId: actor.userId,
      action: 'customer.merged',
      target: survivorId,
      detail: {
        mergeId,
        mergedId: otherId,
        moved: Object.fromEntries(MOVABLE.map((t) => [t, moved[t].length])),
      },
      ip: actor.ip ?? null,
    });
  });
  ctx.log.info({ mergeId, survivorId, otherId, by: actor.userId }, 'customers merged');
  return { mergeId, mergedId: otherId, survivor: await loadProfile(ctx.db, actor.siteId, survivorId) };
}

export async function undoMerge(ctx: HubContext, actor: Actor, mergeId: string): Promise<UndoMergeResult> {
  requireRole(actor, SUPERVISING_ROLES);
  const merge = await ctx.db.transaction().execute(async (trx) => {
    const db = customersDb(trx);
    const m = await db
      .selectFrom('customer_merges')
      .selectAll()
      .where('id', '=', mergeId)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!m) throw notFound('merge');
    if (m.undone_at !== null) throw new HubError('CONFLICT', 'this merge was already undone');
    const later = await db
      .selectFrom('customer_merges')
      .select('id')
      .where('site_id', '=', actor.siteId)
      .where('undone_at', 'is', null)
      .where('id', '!=', m.id)
      .where('created_at', '>=', m.created_at)
      .where((eb) =>
        eb.or([
          eb('survivor_id', 'in', [m.survivor_id, m.merged_id]),
          eb('merged_id', 'in', [m.survivor_id, m.merged_id]),
        ]),
      )
      .executeTakeFirst();
    if (later) throw new HubError('CONFLICT', 'a later merge involves these records: undo it first');
    const moved = JSON.parse(m.moved_json) as Partial<MovedIds>;
    for (const table of MOVABLE) {
      const ids = moved[table] ?? [];
      // Only what still sits with the survivor goes back.
      for (let i = 0; i < ids.length; i += 500) {
        await db
          .updateTable(table as 'identities')
          .set({ customer_id: m.merged_id })
          .where('id', 'in', ids.slice(i, i + 500))
          .where('customer_id', '=', m.survivor_id)
          .execute();
      }
    }
    const before = JSON.parse(m.survivor_before_json) as SurvivorBefore;
    await db.updateTable('customers').set(before).where('id', '=', m.survivor_id).execute();
    await db.updateTable('customers').set({ merged_into: null }).where('id', '=', m.merged_id).execute();
    await db
      .updateTable('customer_merges')
      .set({ undone_at: Date.now(), undone_by: actor.userId })
      .where('id', '=', m.id)
      .execute();
    await audit(trx, {
      siteId: actor.siteId,
      actorId: actor.userId,
      action: 'customer.merge_undone',
      target: m.survivor_id,
      detail: { mergeId, restoredId: m.merged_id },
      ip: actor.ip ?? null,
    });
    return m;
  });
  ctx.log.info({ mergeId, by: actor.userId }, 'customer merge undone');
  return {
    survivor: await loadProfile(ctx.db, actor.siteId, merge.survivor_id),
    restored: await loadProfile(ctx.db, actor.siteId, merge.merged_id),
  };
}

/** Ids of the records merged (directly or through a chain) into this customer. */
export async function mergedInto(db: CustomersDb, siteId: string, customerId: string): Promise<string[]> {
  const found: string[] = [];
  let frontier = [customerId];
  for (let depth = 0; depth < 5 && frontier.length > 0; depth++) {
    const rows = await db
      .selectFrom('customers')
      .select('id')
      .where('site_id', '=', siteId)
      .where('merged_into', 'in', frontier)
      .execute();
    frontier = rows.map((r) => r.id);
    found.push(...frontier);
  }
  return found;
}
