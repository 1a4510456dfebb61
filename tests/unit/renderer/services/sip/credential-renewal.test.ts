import { describe, expect, it } from 'vitest';
import { renewalDelayMs } from '@renderer/services/sip/credential-renewal';

const now = Date.parse('2026-11-23T09:00:00Z');
const at = (iso: string) => new Date(iso).toISOString();

describe('renewalDelayMs', () => {
  it('renews ten minutes before a 12-hour credential expires', () => {
    expect(renewalDelayMs(at('2026-11-23T21:00:00Z'), 43_200, now)).toBe(12 * 3600_000 - 10 * 60_000);
  });

  it('keeps at least a minute for short lifetimes, a tenth in between', () => {
    expect(renewalDelayMs(at('2026-11-23T09:01:00Z'), 60, now)).toBe(0);
    expect(renewalDelayMs(at('2026-11-23T10:00:00Z'), 3600, now)).toBe(3600_000 - 6 * 60_000);
  });

  it('renews at once when already due or the expiry is unreadable', () => {
    expect(renewalDelayMs(at('2026-11-23T08:00:00Z'), 3600, now)).toBe(0);
    expect(renewalDelayMs('not a date', 3600, now)).toBe(60_000);
  });
});
