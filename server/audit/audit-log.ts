/**
 * The audit log: who did what, when, from where. Logins (and failures), admin
 * changes and PII reveals are written here in the same transaction as the
 * change they describe, so an audited change cannot exist without its record.
 */
import type { Db } from '../storage/database';

export interface AuditEntry {
  siteId: string | null;
  actorId: string | null;
  action: string;
  target?: string | null;
  detail?: unknown;
  ip?: string | null;
}

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      site_id: entry.siteId,
      actor_id: entry.actorId,
      action: entry.action,
      target: entry.target ?? null,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      ip: entry.ip ?? null,
      at: Date.now(),
    })
    .execute();
}
