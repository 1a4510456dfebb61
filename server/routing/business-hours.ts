/**
 * Is a queue open at a moment, and when does it open next? Hours are written
 * in the queue's own timezone (a Seoul queue opens at 09:00 Seoul time
 * whatever the server's zone), using Intl so no timezone table is bundled.
 */
import type { WEEKDAYS } from '@shared/domain';
import { type BusinessHours } from '@shared/domain';

interface LocalTime {
  date: string;
  weekday: (typeof WEEKDAYS)[number];
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(timezone: string, at: number): LocalTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as LocalTime['weekday'],
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `hours` is null (always open) or `at` falls in an opening interval on a non-holiday. */
export function isOpen(hours: BusinessHours | null, at: number): boolean {
  if (!hours) return true;
  const t = localTime(hours.timezone, at);
  if (hours.holidays.includes(t.date)) return false;
  return (hours.weekly[t.weekday] ?? []).some(([from, to]) => {
    const a = toMinutes(from);
    const b = toMinutes(to);
    return t.minutes >= a && t.minutes < b;
  });
}

/**
 * The first moment at or after `at` when the queue is open, to the minute;
 * null if it never opens within two weeks (no hours on any day).
 */
export function nextOpening(hours: BusinessHours | null, at: number): number | null {
  if (isOpen(hours, at)) return at;
  const minute = 60_000;
  let t = Math.ceil(at / minute) * minute;
  for (const end = at + 15 * 86_400_000; t < end; t += minute) {
    if (isOpen(hours, t)) return t;
  }
  return null;
}
