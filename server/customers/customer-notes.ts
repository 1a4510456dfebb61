/**
 * Notes and tags an agent keeps on a customer. Any user of the site who works
 * with customers may add a note or change the tags; a note is removed by its
 * author or by a supervising role. HQ analysts only read.
 */
import type { CustomerNote, CustomerProfile } from '@shared/customers';
import { type Actor, type HubContext, isSupervising } from '../context';
import { forbidden, notFound } from '../errors';
import { newId } from '../storage/ids';
import { maskPii } from '../pii/pii-detectors';
import { customersDb } from './customer-tables';
import { loadProfile, requireCustomer } from './customer-profile';

function requireWriter(actor: Actor): void {
  if (actor.role === 'hq_analyst') throw forbidden('HQ analysts read customer records only');
}

export async function addNote(
  ctx: HubContext,
  actor: Actor,
  customerId: string,
  body: string,
): Promise<CustomerNote> {
  requireWriter(actor);
  await requireCustomer(ctx.db, actor.siteId, customerId);
  const now = Date.now();
  const row = {
    id: newId(),
    site_id: actor.siteId,
    customer_id: customerId,
    author_id: actor.userId,
    body,
    created_at: now,
  };
  await customersDb(ctx.db).insertInto('customer_notes').values(row).execute();
  const author = await ctx.db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', actor.userId)
    .executeTakeFirst();
  return {
    id: row.id,
    customerId,
    authorId: actor.userId,
    authorName: author?.display_name ?? null,
    body: maskPii(body),
    createdAt: new Date(now).toISOString(),
  };
}

export async function deleteNote(
  ctx: HubContext,
  actor: Actor,
  customerId: string,
  noteId: string,
): Promise<void> {
  requireWriter(actor);
  await requireCustomer(ctx.db, actor.siteId, customerId);
  const cdb = customersDb(ctx.db);
  const note = await cdb
    .selectFrom('customer_notes')
    .select(['id', 'author_id'])
    .where('id', '=', noteId)
    .where('customer_id', '=', customerId)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  if (!note) throw notFound('note');
  if (note.author_id !== actor.userId && !isSupervising(actor)) {
    throw forbidden('only its author or a supervisor may remove a note');
  }
  await cdb.deleteFrom('customer_notes').where('id', '=', noteId).execute();
}

/** Replaces the customer's tags (trimmed, de-duplicated, in the order given). */
export async function putTags(
  ctx: HubContext,
  actor: Actor,
  customerId: string,
  tags: string[],
): Promise<CustomerProfile> {
  requireWriter(actor);
  await requireCustomer(ctx.db, actor.siteId, customerId);
  const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  await customersDb(ctx.db)
    .updateTable('customers')
    .set({ tags_json: JSON.stringify(unique) })
    .where('id', '=', customerId)
    .where('site_id', '=', actor.siteId)
    .execute();
  return loadProfile(ctx.db, actor.siteId, customerId);
}
