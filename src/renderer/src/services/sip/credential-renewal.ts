/**
 * When to fetch new SIP credentials: they expire (auth_ephemeral), and an
 * expired username makes the next re-REGISTER fail. The desk renews ahead of
 * time — a tenth of the lifetime before, at least a minute, at most ten — and
 * never in the middle of a call (it waits for the call to end).
 */
const MIN_MARGIN_MS = 60_000;
const MAX_MARGIN_MS = 10 * 60_000;

export function renewalDelayMs(expiresAt: string, ttlSeconds: number, now: number): number {
  const expiry = Date.parse(expiresAt);
  if (!Number.isFinite(expiry)) return MIN_MARGIN_MS;
  const margin = Math.min(MAX_MARGIN_MS, Math.max(MIN_MARGIN_MS, (ttlSeconds * 1000) / 10));
  return Math.max(0, expiry - margin - now);
}
