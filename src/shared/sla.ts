/**
 * Response-time targets (SLA) of a conversation: the first answer to a
 * customer, and every next answer after the customer writes again. Pure and
 * clock-injected: the hub computes the due times it sends in the inbox list,
 * the desk recomputes them as live messages arrive and draws the countdown.
 */
import { z } from 'zod';
import type { Channel, ConversationStatus } from './domain';

export const SlaTargets = z.object({
  /** Seconds from the customer's first unanswered message to the agent's first reply. */
  firstResponseSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400),
  /** Seconds from a customer's message (after the first reply) to the next reply. */
  nextResponseSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400),
});
export type SlaTargets = z.infer<typeof SlaTargets>;

/** What a queue may set in `routing.sla`; a missing value falls back to the channel's default. */
export const QueueSla = SlaTargets.partial();
export type QueueSla = z.infer<typeof QueueSla>;

/**
 * Defaults by channel, from common contact-center practice: live channels are
 * answered in a minute or two, SMS and messenger in minutes, email in hours.
 */
export const DEFAULT_SLA_TARGETS: Readonly<Record<Channel, SlaTargets>> = {
  voice: { firstResponseSeconds: 60, nextResponseSeconds: 120 },
  webchat: { firstResponseSeconds: 120, nextResponseSeconds: 180 },
  messenger: { firstResponseSeconds: 300, nextResponseSeconds: 600 },
  sms: { firstResponseSeconds: 900, nextResponseSeconds: 1800 },
  email: { firstResponseSeconds: 4 * 3600, nextResponseSeconds: 8 * 3600 },
};

export function resolveSlaTargets(channel: Channel, queueSla?: QueueSla | null): SlaTargets {
  const base = DEFAULT_SLA_TARGETS[channel];
  return {
    firstResponseSeconds: queueSla?.firstResponseSeconds ?? base.firstResponseSeconds,
    nextResponseSeconds: queueSla?.nextResponseSeconds ?? base.nextResponseSeconds,
  };
}

/** The facts the clock needs, as epoch milliseconds. */
export interface SlaClock {
  status: ConversationStatus;
  /** When the customer started waiting for an answer; null when nobody waits. */
  waitingSince: number | null;
  /** The agent's first reply to the customer; null before it. */
  firstResponseAt: number | null;
}

export interface SlaDue {
  firstResponseDueAt: number | null;
  nextResponseDueAt: number | null;
}

/**
 * When the next answer is due. Nothing is due while nobody waits, for a
 * resolved conversation, or a snoozed one (the agent parked it on purpose).
 */
export function slaDue(clock: SlaClock, targets: SlaTargets): SlaDue {
  const none = { firstResponseDueAt: null, nextResponseDueAt: null };
  if (clock.waitingSince === null || clock.status === 'resolved' || clock.status === 'snoozed') return none;
  if (clock.firstResponseAt === null)
    return { ...none, firstResponseDueAt: clock.waitingSince + targets.firstResponseSeconds * 1000 };
  return { ...none, nextResponseDueAt: clock.waitingSince + targets.nextResponseSeconds * 1000 };
}

export type SlaLevel = 'ok' | 'warning' | 'breached';

/** Below this share of the target left, the timer turns amber. */
export const SLA_WARNING_SHARE = 0.25;

export interface SlaState {
  kind: 'first' | 'next';
  dueAt: number;
  /** Negative once overdue. */
  remainingMs: number;
  level: SlaLevel;
}

/** The running timer of a conversation at `now`, or null when nothing is due. */
export function slaState(due: SlaDue, targets: SlaTargets, now: number): SlaState | null {
  const kind = due.firstResponseDueAt !== null ? 'first' : due.nextResponseDueAt !== null ? 'next' : null;
  if (kind === null) return null;
  const dueAt = (kind === 'first' ? due.firstResponseDueAt : due.nextResponseDueAt)!;
  const targetMs = (kind === 'first' ? targets.firstResponseSeconds : targets.nextResponseSeconds) * 1000;
  const remainingMs = dueAt - now;
  const level: SlaLevel =
    remainingMs < 0 ? 'breached' : remainingMs < targetMs * SLA_WARNING_SHARE ? 'warning' : 'ok';
  return { kind, dueAt, remainingMs, level };
}

/** `m:ss`, or `h:mm:ss` past an hour; a leading minus once overdue. */
export function formatSlaRemaining(remainingMs: number): string {
  const sign = remainingMs < 0 ? '-' : '';
  const total = Math.floor(Math.abs(remainingMs) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${s}` : `${sign}${m}:${s}`;
}
