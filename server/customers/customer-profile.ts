/**
 * Reading customers: the 360 profile and search by name, phone or email.
 * Every read names the actor's site, so a user of one site never sees
 * another site's customer (a foreign id answers NOT_FOUND, as if it did not exist).
 */
import type { Channel, Identity } from '@shared/domain';
import {
  CONSENT_KINDS,
  type ConsentFlag,
  type ConsentKind,
  type CustomerNote,
  type CustomerProfile,
  type CustomerSummary,
} from '@shared/customers';
import { normalizePhoneNumber } from '@shared/phone-number';
import type { Actor } from '../context';
import { notFound } from '../errors';
import { maskPii } from '../pii/pii-detectors';
import type { Db } from '../storage/database';
import { iso } from '../storage/rows';
import { type CustomersDb, type CustomersSchema, customersDb } from './customer-tables';

type CustomerRow = CustomersSchema['customers'];
export type StoredConsents = Partial<Record<ConsentKind, { granted: boolean; at: number }>>;

export const parseTags = (json: string): string[] => {
  const v: unknown = JSON.parse(json || '[]');
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
};
export const parseConsents = (json: string): StoredConsents => JSON.parse(json || '{}') as StoredConsents;

function consentFlags(json: string): ConsentFlag[] {
  const stored = parseConsents(json);
  return CONSENT_KINDS.map((kind) => {
    const c = stored[kind];
    return { kind, granted: c?.granted ?? false, at: c ? iso(c.at) : null };
  });
}

/** The customer row if the site owns it; NOT_FOUND otherwise. */
export async function requireCustomer(db: Db, siteId: string, id: string): Promise<CustomerRow> {
  const row = await customersDb(db)
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', id)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (!row) throw notFound('customer');
  return row;
}

async function identitiesOf(db: CustomersDb, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('identities')
    .select(['id', 'customer_id', 'channel', 'handle'])
    .where('customer_id', 'in', ids)
    .orderBy('id')
    .execute();
}

const handles = (rows: { channel: string; handle: string }[], channel: Channel) =>
  rows.filter((r) => r.channel === channel).map((r) => r.handle);

export async function listNotes(db: Db, customerId: string): Promise<CustomerNote[]> {
  const rows = await customersDb(db)
    .selectFrom('customer_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.customer_id', 'n.author_id', 'n.body', 'n.created_at', 'u.display_name'])
    .where('n.customer_id', '=', customerId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    authorId: r.author_id,
    authorName: r.display_name ?? null,
    body: maskPii(r.body),
    createdAt: new Date(Number(r.created_at)).toISOString(),
  }));
}

export async function loadProfile(db: Db, siteId: string, id: string): Promise<CustomerProfile> {
  const row = await requireCustomer(db, siteId, id);
  const idRows = await identitiesOf(customersDb(db), [id]);
  const identities: Identity[] = idRows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    channel: r.channel as Channel,
    handle: r.handle,
  }));
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    segment: row.segment,
    lifetimeValue: Number(row.lifetime_value),
    phones: handles(idRows, 'voice'),
    emails: handles(idRows, 'email'),
    identities,
    consents: consentFlags(row.consent_json),
    tags: parseTags(row.tags_json),
    notes: await listNotes(db, id),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    mergedInto: row.merged_into,
  };
}

export async function getProfile(db: Db, actor: Actor, id: string): Promise<CustomerProfile> {
  return loadProfile(db, actor.siteId, id);
}

/** Summaries for these customer ids, in the order given. */
export async function summaries(db: Db, siteId: string, ids: string[]): Promise<CustomerSummary[]> {
  if (ids.length === 0) return [];
  const cdb = customersDb(db);
  const rows = await cdb
    .selectFrom('customers')
    .select(['id', 'name', 'segment'])
    .where('site_id', '=', siteId)
    .where('id', 'in', ids)
    .execute();
  const idRows = await identitiesOf(cdb, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const mine = idRows.filter((i) => i.customer_id === id);
    return [
      {
        id,
        name: r.name,
        segment: r.segment,
        phones: handles(mine, 'voice'),
        emails: handles(mine, 'email'),
      },
    ];
  });
}

// Wildcards are dropped rather than escaped: SQLite and PostgreSQL escape LIKE differently.
const likeEscape = (s: string) => s.replace(/[\\%_]/g, '');

/**
 * Customers of the actor's site whose name contains the query, whose phone
 * number is it (any Korean format) or contains its digits, or whose email
 * contains it. Merged-away records are left out.
 */
export async function searchCustomers(
  db: Db,
  actor: Actor,
  q: { query: string; limit: number },
): Promise<CustomerSummary[]> {
  const cdb = customersDb(db);
  const text = q.query.trim();
  const pattern = `%${likeEscape(text.toLowerCase())}%`;
  const phone = normalizePhoneNumber(text);
  const digits = text.replace(/[\s().+-]/g, '');
  const byIdentity = cdb
    .selectFrom('identities')
    .select('customer_id')
    .where('site_id', '=', actor.siteId)
    .where((eb) => {
      const ors = [eb.and([eb('channel', '=', 'email'), eb('handle', 'like', pattern)])];
      if (phone) ors.push(eb.and([eb('channel', '=', 'voice'), eb('handle', '=', phone)]));
      else if (/^\d{4,}$/.test(digits)) {
        // A fragment of a national number: 010-1234 → "101234" inside "+821012345678".
        const tail = digits.replace(/^0/, '');
        ors.push(eb.and([eb('channel', '=', 'voice'), eb('handle', 'like', `%${tail}%`)]));
      }
      return eb.or(ors);
    });
  const rows = await cdb
    .selectFrom('customers')
    .select(['id'])
    .where('site_id', '=', actor.siteId)
    .where('merged_into', 'is', null)
    .where((eb) => eb.or([eb('name', 'like', `%${likeEscape(text)}%`), eb('id', 'in', byIdentity)]))
    .orderBy('name')
    .orderBy('id')
    .limit(q.limit)
    .execute();
  return summaries(
    db,
    actor.siteId,
    rows.map((r) => r.id),
  );
}
