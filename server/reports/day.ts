/**
 * "Today" for reports and the ACD's daily counters: the Korean calendar day
 * (KST, UTC+9, no daylight saving), whatever the server's own timezone.
 */
const KST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** Epoch ms of 00:00 KST of the day `now` falls in. */
export const koreanDayStart = (now: number): number =>
  Math.floor((now + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;

/** The KST date of `now`, YYYY-MM-DD. */
export const koreanDate = (now: number): string => new Date(now + KST_OFFSET_MS).toISOString().slice(0, 10);
