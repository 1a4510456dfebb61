import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_TARGETS, formatSlaRemaining, resolveSlaTargets, slaDue, slaState } from '@shared/sla';

const targets = { firstResponseSeconds: 120, nextResponseSeconds: 300 };
const T0 = Date.parse('2026-11-23T09:00:00Z');

describe('SLA due times', () => {
  it('runs the first-response clock from the customer’s wait until the first reply', () => {
    expect(slaDue({ status: 'open', waitingSince: T0, firstResponseAt: null }, targets)).toEqual({
      firstResponseDueAt: T0 + 120_000,
      nextResponseDueAt: null,
    });
  });

  it('after the first reply, a new customer message starts the next-response clock', () => {
    expect(slaDue({ status: 'open', waitingSince: T0, firstResponseAt: T0 - 60_000 }, targets)).toEqual({
      firstResponseDueAt: null,
      nextResponseDueAt: T0 + 300_000,
    });
  });

  it('nothing is due while nobody waits, once resolved, or while snoozed', () => {
    const none = { firstResponseDueAt: null, nextResponseDueAt: null };
    expect(slaDue({ status: 'open', waitingSince: null, firstResponseAt: null }, targets)).toEqual(none);
    expect(slaDue({ status: 'resolved', waitingSince: T0, firstResponseAt: null }, targets)).toEqual(none);
    expect(slaDue({ status: 'snoozed', waitingSince: T0, firstResponseAt: T0 }, targets)).toEqual(none);
    // Pending (waiting in a queue) still counts: the customer is waiting all the same.
    expect(
      slaDue({ status: 'pending', waitingSince: T0, firstResponseAt: null }, targets).firstResponseDueAt,
    ).toBe(T0 + 120_000);
  });

  it('queue settings override the channel defaults one value at a time', () => {
    expect(resolveSlaTargets('email')).toEqual(DEFAULT_SLA_TARGETS.email);
    expect(resolveSlaTargets('webchat', { firstResponseSeconds: 30 })).toEqual({
      firstResponseSeconds: 30,
      nextResponseSeconds: DEFAULT_SLA_TARGETS.webchat.nextResponseSeconds,
    });
    expect(resolveSlaTargets('sms', null)).toEqual(DEFAULT_SLA_TARGETS.sms);
  });
});

describe('SLA timer levels (clock injected)', () => {
  const due = { firstResponseDueAt: T0 + 120_000, nextResponseDueAt: null };

  it('is ok with more than a quarter of the target left, amber below it, red once overdue', () => {
    expect(slaState(due, targets, T0)).toMatchObject({ kind: 'first', level: 'ok', remainingMs: 120_000 });
    expect(slaState(due, targets, T0 + 90_000)).toMatchObject({ level: 'ok', remainingMs: 30_000 }); // exactly 25 %
    expect(slaState(due, targets, T0 + 90_001)).toMatchObject({ level: 'warning' });
    expect(slaState(due, targets, T0 + 120_000)).toMatchObject({ level: 'warning', remainingMs: 0 });
    expect(slaState(due, targets, T0 + 120_001)).toMatchObject({ level: 'breached', remainingMs: -1 });
  });

  it('measures the next-response quarter against the next-response target', () => {
    const next = { firstResponseDueAt: null, nextResponseDueAt: T0 + 300_000 };
    expect(slaState(next, targets, T0 + 224_000)).toMatchObject({ kind: 'next', level: 'ok' });
    expect(slaState(next, targets, T0 + 226_000)).toMatchObject({ kind: 'next', level: 'warning' });
  });

  it('has no timer when nothing is due', () => {
    expect(slaState({ firstResponseDueAt: null, nextResponseDueAt: null }, targets, T0)).toBeNull();
  });

  it('formats the countdown, with a minus once overdue', () => {
    expect(formatSlaRemaining(65_000)).toBe('1:05');
    expect(formatSlaRemaining(999)).toBe('0:00');
    expect(formatSlaRemaining(-5_500)).toBe('-0:05');
    expect(formatSlaRemaining(3_725_000)).toBe('1:02:05');
  });
});
