/**
 * Who is this? Given what a channel knows (a phone number, an email address,
 * a web chat visitor id, a messenger user key, a name), finds the customer. Links only on exact
 * matches of normalized handles (E.164, lower-cased email, the visitor id, the messenger key);
 * a weak match — the same name, or handles that point at two different
 * records — is returned as candidates and never merged: an agent confirms
 * by merging (`POST /customers/:id/merge`).
 *
 * Runs on the connection or transaction it is given, so a channel can
 * resolve and create its conversation in one transaction.
 */
import type { Channel } from '@shared/domain';
import type { ConsentKind, IdentityHints, IdentityResolution } from '@shared/customers';
import { normalizePhoneNumber } from '@shared/phone-number';
import type { Db } from '../storage/database';
import { newId } from '../storage/ids';
import { customersDb } from './customer-tables';
import { parseConsents, summaries } from './customer-profile';

export interface ResolveOptions {
  /** Consents given with this contact (e.g. the web chat pre-chat form), recorded on the customer. */
  consents?: Partial<Record<ConsentKind, boolean>>;
  /** Create a customer when nothing matched exactly and a name is known (default true). */
  create?: boolean;
  /** Look for weak candidates (default true); a channel storing an inbound message does not show them. */
  candidates?: boolean;
  now?: number;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function normalizeEmail(input: string): string | null {
  const e = input.trim().toLowerCase();
  return EMAIL.test(e) && e.length <= 320 ? e : null;
}

/** The handles worth matching, strongest first. */
function handlesOf(hints: IdentityHints): { channel: Channel; handle: string }[] {
  const out: { channel: Channel; handle: string }[] = [];
  const visitor = hints.visitorId?.trim();
  if (visitor) out.push({ channel: 'webchat', handle: visitor });
  const messenger = hints.messengerKey?.trim();
  if (messenger) out.push({ channel: 'messenger', handle: messenger });
  const phone = hints.phone ? normalizePhoneNumber(hints.phone) : null;
  if (phone) out.push({ channel: 'voice', handle: phone });
  const email = hints.email ? normalizeEmail(hints.email) : null;
  if (email) out.push({ channel: 'email', handle: email });
  return out;
}

export async function resolveIdentity(
  db: Db,
  siteId: string,
  hints: IdentityHints,
  opts: ResolveOptions = {},
): Promise<IdentityResolution> {
  const cdb = customersDb(db);
  const now = opts.now ?? Date.now();
  const handles = handlesOf(hints);
  const owners = new Map<string, string>(); // "channel handle" → customer id
  for (const h of handles) {
    const row = await cdb
      .selectFrom('identities as i')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .select(['c.id', 'c.merged_into'])
      .where('i.site_id', '=', siteId)
      .where('i.channel', '=', h.channel)
      .where('i.handle', '=', h.handle)
      .executeTakeFirst();
    if (row) owners.set(`${h.channel} ${h.handle}`, row.merged_into ?? row.id);
  }
  const matched = [...new Set(owners.values())];
  let customerId: string | null = matched[0] ?? null;
  let created = false;
  const name = hints.name?.trim();

  if (!customerId && name && opts.create !== false) {
    customerId = newId();
    created = true;
    await cdb
      .insertInto('customers')
      .values({
        id: customerId,
        site_id: siteId,
        name: name.slice(0, 100),
        segment: null,
        created_at: now,
        lifetime_value: 0,
        consent_json: '{}',
        tags_json: '[]',
        merged_into: null,
      })
      .execute();
  }

  const linked: Channel[] = [];
  if (customerId) {
    // Attach the handles nobody has yet; a handle owned by another record stays there.
    for (const h of handles) {
      if (owners.has(`${h.channel} ${h.handle}`)) continue;
      await cdb
        .insertInto('identities')
        .values({
          id: newId(),
          site_id: siteId,
          customer_id: customerId,
          channel: h.channel,
          handle: h.handle,
        })
        .execute();
      linked.push(h.channel);
    }
    if (opts.consents && Object.keys(opts.consents).length > 0) {
      const row = await cdb
        .selectFrom('customers')
        .select('consent_json')
        .where('id', '=', customerId)
        .executeTakeFirstOrThrow();
      const consents = parseConsents(row.consent_json);
      for (const [kind, granted] of Object.entries(opts.consents)) {
        if (typeof granted === 'boolean') consents[kind as ConsentKind] = { granted, at: now };
      }
      await cdb
        .updateTable('customers')
        .set({ consent_json: JSON.stringify(consents) })
        .where('id', '=', customerId)
        .execute();
    }
  }

  // Weak matches: other records the exact handles point to, then the same name.
  const candidateIds = matched.filter((id) => id !== customerId);
  if (opts.candidates === false) return { customerId, created, linked, candidates: [] };
  if (name) {
    const sameName = await cdb
      .selectFrom('customers')
      .select('id')
      .where('site_id', '=', siteId)
      .where('name', '=', name)
      .where('merged_into', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(6)
      .execute();
    for (const r of sameName) {
      if (r.id !== customerId && !candidateIds.includes(r.id)) candidateIds.push(r.id);
    }
  }
  return {
    customerId,
    created,
    linked,
    candidates: await summaries(db, siteId, candidateIds.slice(0, 5)),
  };
}
