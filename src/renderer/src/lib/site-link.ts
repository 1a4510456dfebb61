/**
 * How healthy a center's link to HQ looks on the group board: behind in
 * events, silent for too long, never heard from, or removed from the group.
 * Judged on HQ's clock (the board's `at`), never the desk's.
 */
import type { FederatedSiteView } from '@shared/federation';

/** A center that has not been heard from for longer than this is flagged. */
export const STALE_CONTACT_MS = 30_000;

export type SiteLinkWarning = 'revoked' | 'noContact' | 'stale' | 'lagging';

export interface SiteLinkStatus {
  warnings: SiteLinkWarning[];
  /** Seconds since HQ last heard from the center; null if never. */
  secondsSinceContact: number | null;
}

export function siteLinkStatus(
  site: Pick<FederatedSiteView, 'lagEvents' | 'lastContactAt' | 'revoked'>,
  hqNow: number,
): SiteLinkStatus {
  const warnings: SiteLinkWarning[] = [];
  if (site.revoked) warnings.push('revoked');
  const contact = site.lastContactAt === null ? Number.NaN : Date.parse(site.lastContactAt);
  const sinceMs = Number.isNaN(contact) ? null : Math.max(0, hqNow - contact);
  if (sinceMs === null) warnings.push('noContact');
  else if (sinceMs > STALE_CONTACT_MS) warnings.push('stale');
  if (site.lagEvents > 0) warnings.push('lagging');
  return { warnings, secondsSinceContact: sinceMs === null ? null : Math.floor(sinceMs / 1000) };
}

/** Seconds an agent has been in their state at HQ's `hqNow`; 0 if `since` is unreadable or ahead. */
export function secondsSince(since: string, hqNow: number): number {
  const at = Date.parse(since);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((hqNow - at) / 1000));
}
