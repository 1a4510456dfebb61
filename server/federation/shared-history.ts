/**
 * Cross-site customer history, only where the customer allows it.
 *
 * A site shares with HQ the consultations of customers who gave `group_share`
 * consent, and nothing of anyone else: per customer the consultations (no
 * message text; the subject with PII masked) and SHA-256 keys of their
 * normalised phone numbers and emails, so HQ can match the same person at
 * another center without holding their handles. What changed is found from
 * the site's event log after a cursor; a withdrawn consent makes HQ forget
 * the customer. A site asking about its customer gets only the other centers'
 * shared consultations, and only when that customer consented there too.
 */
import { createHash } from 'node:crypto';
import type { Channel, ConversationStatus } from '@shared/domain';
import type {
  HistoryLookup,
  HistoryLookupAnswer,
  SharedConsultation,
  SharedCustomer,
  SharedHistorySync,
} from '@shared/federation';
import type { HubContext } from '../context';
import { forbidden } from '../errors';
import { customersDb } from '../customers/customer-tables';
import { parseConsents } from '../customers/customer-profile';
import { maskPii } from '../pii/pii-detectors';
import type { Db } from '../storage/database';

/** Consultations shared per customer, newest first. */
const MAX_ENTRIES = 50;
/** Events read per round when looking for customers whose history changed. */
const SCAN_EVENTS = 2000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** HQ never needs contact details: emails and phone numbers in free text are masked too. */
export function maskContacts(text: string): string {
  return maskPii(text)
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => `${m[0]}***@***`)
    .replace(/\+?\d[\d -]{7,}\d/g, (m) => m.replace(/\d(?=(?:\D*\d){4})/g, '*'));
}

/** A handle as a match key: E.164 numbers and email addresses only (visitor ids are per site). */
export function matchKey(handle: string): string | null {
  if (/^\+\d{6,15}$/.test(handle)) return sha256(`phone:${handle}`);
  if (handle.includes('@')) return sha256(`email:${handle.trim().toLowerCase()}`);
  return null;
}

/** The customer as this site shares it: consent, keys and consultations (consentAt null: not shared). */
export async function sharedRecord(db: Db, siteId: string, customerId: string): Promise<SharedCustomer> {
  const cdb = customersDb(db);
  const row = await cdb
    .selectFrom('customers')
    .select(['consent_json'])
    .where('id', '=', customerId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  const consent = row ? parseConsents(row.consent_json).group_share : undefined;
  if (!consent?.granted) return { customerRef: customerId, consentAt: null, keys: [], entries: [] };
  const handles = await cdb
    .selectFrom('identities')
    .select('handle')
    .where('customer_id', '=', customerId)
    .execute();
  const keys = [...new Set(handles.map((h) => matchKey(h.handle)).filter((k): k is string => k !== null))];
  const convs = await cdb
    .selectFrom('conversations as c')
    .select((eb) => [
      'c.id',
      'c.channel',
      'c.status',
      'c.subject',
      'c.created_at',
      eb.fn.coalesce('c.last_message_at', 'c.created_at').as('at'),
      eb
        .selectFrom('messages as m')
        .select((m) => m.fn.countAll().as('n'))
        .whereRef('m.conversation_id', '=', 'c.id')
        .as('messages'),
    ])
    .where('c.customer_id', '=', customerId)
    .where('c.site_id', '=', siteId)
    .orderBy('at', 'desc')
    .limit(MAX_ENTRIES)
    .execute();
  const entries: SharedConsultation[] = convs.map((c) => ({
    id: c.id,
    channel: c.channel as Channel,
    status: c.status as ConversationStatus,
    subject: c.subject === null ? null : maskContacts(c.subject).slice(0, 500),
    messageCount: Number(c.messages ?? 0),
    createdAt: Number(c.created_at),
    at: Number(c.at),
  }));
  return { customerRef: customerId, consentAt: consent.at, keys, entries };
}

/**
 * Customers of a site whose shareable history may have changed after `afterSeq`:
 * named by the events (a consent, a conversation, a message). Returns the
 * customers and the seq read up to.
 */
export async function touchedCustomers(
  db: Db,
  siteId: string,
  afterSeq: number,
): Promise<{ customerIds: string[]; consentChanged: Set<string>; lastSeq: number }> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'type', 'payload'])
    .where('site_id', '=', siteId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(SCAN_EVENTS)
    .execute();
  const customers = new Set<string>();
  const consentChanged = new Set<string>();
  const conversations = new Set<string>();
  for (const r of rows) {
    if (!/^(customer|conversation|message)\./.test(r.type)) continue;
    const p = JSON.parse(r.payload) as Record<string, unknown>;
    if (r.type === 'customer.consent_changed' && typeof p.customerId === 'string') {
      consentChanged.add(p.customerId);
    }
    if (typeof p.customerId === 'string') customers.add(p.customerId);
    else if (typeof p.conversationId === 'string') conversations.add(p.conversationId);
    else if (r.type.startsWith('conversation.') && typeof p.id === 'string') conversations.add(p.id);
  }
  const ids = [...conversations];
  for (let i = 0; i < ids.length; i += 500) {
    const owners = await db
      .selectFrom('conversations')
      .select('customer_id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const o of owners) customers.add(o.customer_id);
  }
  return {
    customerIds: [...customers],
    consentChanged,
    lastSeq: rows.length ? Number(rows.at(-1)!.seq) : afterSeq,
  };
}

/**
 * The records to send for the touched customers: the consenting ones, and a
 * "forget" for those whose consent changed and is not given now. Customers
 * who never consented are not mentioned to HQ at all.
 */
export async function changedRecords(
  db: Db,
  siteId: string,
  customerIds: string[],
  consentChanged: Set<string>,
): Promise<SharedCustomer[]> {
  const out: SharedCustomer[] = [];
  for (const id of customerIds) {
    const record = await sharedRecord(db, siteId, id);
    if (record.consentAt !== null || consentChanged.has(id)) out.push(record);
  }
  return out;
}

// ── HQ ────────────────────────────────────────────────────────────────────

async function ownSites(ctx: HubContext, memberId: string): Promise<Set<string>> {
  const rows = await ctx.db
    .selectFrom('hq_sites')
    .select('site_id')
    .where('member_id', '=', memberId)
    .execute();
  return new Set(rows.map((r) => r.site_id));
}

async function upsertShared(trx: Db, siteId: string, c: SharedCustomer, now: number): Promise<void> {
  await trx
    .deleteFrom('hq_shared_keys')
    .where('site_id', '=', siteId)
    .where('customer_ref', '=', c.customerRef)
    .execute();
  if (c.consentAt === null) {
    await trx
      .deleteFrom('hq_shared_customers')
      .where('site_id', '=', siteId)
      .where('customer_ref', '=', c.customerRef)
      .execute();
    return;
  }
  // HQ masks again what it stores: a site on an older version may have sent a raw subject.
  const entries = c.entries.map((e) => ({
    ...e,
    subject: e.subject === null ? null : maskContacts(e.subject),
  }));
  await trx
    .insertInto('hq_shared_customers')
    .values({
      site_id: siteId,
      customer_ref: c.customerRef,
      consent_at: c.consentAt,
      entries_json: JSON.stringify(entries),
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['site_id', 'customer_ref']).doUpdateSet({
        consent_at: c.consentAt!,
        entries_json: JSON.stringify(entries),
        updated_at: now,
      }),
    )
    .execute();
  if (c.keys.length > 0) {
    await trx
      .insertInto('hq_shared_keys')
      .values(c.keys.map((k) => ({ key_hash: k, site_id: siteId, customer_ref: c.customerRef })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** A site's changed customers: replaced whole per customer (idempotent), forgotten without consent. */
export async function applySharedHistory(
  ctx: HubContext,
  memberId: string,
  sync: SharedHistorySync,
): Promise<void> {
  if (!(await ownSites(ctx, memberId)).has(sync.siteId))
    throw forbidden('this site does not belong to your hub');
  const now = Date.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const c of sync.customers) await upsertShared(trx, sync.siteId, c, now);
  });
}

/**
 * A site asks about its customer: refreshes that customer's own shared
 * record, then answers the other centers' consultations of the same person
 * (matched by key). Without consent at the asking site nothing is answered,
 * and a center shares only customers who consented there.
 */
export async function lookupSharedHistory(
  ctx: HubContext,
  memberId: string,
  req: HistoryLookup,
): Promise<HistoryLookupAnswer> {
  const own = await ownSites(ctx, memberId);
  if (!own.has(req.siteId)) throw forbidden('this site does not belong to your hub');
  await ctx.db.transaction().execute((trx) => upsertShared(trx, req.siteId, req.customer, Date.now()));
  if (req.customer.consentAt === null || req.customer.keys.length === 0) return { items: [] };
  const rows = await ctx.db
    .selectFrom('hq_shared_keys as k')
    .innerJoin('hq_shared_customers as c', (j) =>
      j.onRef('c.site_id', '=', 'k.site_id').onRef('c.customer_ref', '=', 'k.customer_ref'),
    )
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .select(['c.site_id', 'c.customer_ref', 'c.entries_json', 's.code', 's.name'])
    .where('k.key_hash', 'in', req.customer.keys)
    .where('c.site_id', 'not in', [...own])
    .execute();
  const seen = new Set<string>();
  const items: HistoryLookupAnswer['items'] = [];
  for (const r of rows) {
    if (seen.has(`${r.site_id} ${r.customer_ref}`)) continue;
    seen.add(`${r.site_id} ${r.customer_ref}`);
    for (const e of JSON.parse(r.entries_json) as SharedConsultation[]) {
      items.push({ ...e, siteCode: r.code, siteName: r.name });
    }
  }
  items.sort((a, b) => b.at - a.at);
  return { items: items.slice(0, 200) };
}
