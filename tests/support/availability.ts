/** Whether a real component a test needs (Kamailio, Postfix/Dovecot) can run here, and if not why. */
export type Availability = { ok: true } | { ok: false; reason: string };

/**
 * Where a component is missing, its tests skip with the reason — except on CI
 * (`CI` set), which installs every component through scripts/system-deps.sh:
 * there a missing one fails the run, so a broken setup can never pass as green.
 */
export function requireOnCi(availability: Availability, what: string): Availability {
  const ci = process.env.CI && process.env.CI !== 'false';
  if (!availability.ok && ci) throw new Error(`CI must run the ${what} tests: ${availability.reason}`);
  return availability;
}
