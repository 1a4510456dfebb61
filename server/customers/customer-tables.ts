/**
 * The tables and columns migration 0008_customers adds, typed next to the
 * services that use them (as call-log.ts does for `calls`), so the shared
 * schema file stays as it is.
 */
import type { Kysely } from 'kysely';
import type { CallsTable } from '../telephony/call-log';
import type { Db } from '../storage/database';
import type { Schema } from '../storage/schema';

export interface CustomerColumns0008 {
  /** Won, whole. */
  lifetime_value: number;
  /** `{ [kind]: { granted, at } }` — see `ConsentFlag`. */
  consent_json: string;
  /** JSON array of tag strings. */
  tags_json: string;
  /** Set while this record is merged into another one. */
  merged_into: string | null;
}

export interface CustomerNotesTable {
  id: string;
  site_id: string;
  customer_id: string;
  author_id: string | null;
  body: string;
  created_at: number;
}

export interface CustomerMergesTable {
  id: string;
  site_id: string;
  survivor_id: string;
  merged_id: string;
  actor_id: string | null;
  /** Ids moved to the survivor, per table (`MovedIds`). */
  moved_json: string;
  /** The survivor's own fields before the merge (`SurvivorBefore`). */
  survivor_before_json: string;
  created_at: number;
  undone_at: number | null;
  undone_by: string | null;
}

export type CustomersSchema = Omit<Schema, 'customers'> & {
  customers: Schema['customers'] & CustomerColumns0008;
  customer_notes: CustomerNotesTable;
  customer_merges: CustomerMergesTable;
  calls: CallsTable;
};

export type CustomersDb = Kysely<CustomersSchema>;

/** The same connection (or transaction), typed with the customer tables. */
export const customersDb = (db: Db): CustomersDb => db as unknown as CustomersDb;
