import { describe, expect, it } from 'vitest';
import { secondsSince, siteLinkStatus, STALE_CONTACT_MS } from '@renderer/lib/site-link';

const hqNow = Date.parse('2026-11-23T01:00:00.000Z');
const ago = (ms: number) => new Date(hqNow - ms).toISOString();

describe('site link status', () => {
  it('is clean when caught up and heard from within 30 s', () => {
    expect(siteLinkStatus({ lagEvents: 0, lastContactAt: ago(29_000), revoked: false }, hqNow)).toEqual({
      warnings: [],
      secondsSinceContact: 29,
    });
    expect(
      siteLinkStatus({ lagEvents: 0, lastContactAt: ago(STALE_CONTACT_MS), revoked: false }, hqNow).warnings,
    ).toEqual([]);
  });

  it('warns when events are behind, contact is older than 30 s, never happened, or the site was removed', () => {
    expect(
      siteLinkStatus({ lagEvents: 3, lastContactAt: ago(1_000), revoked: false }, hqNow).warnings,
    ).toEqual(['lagging']);
    expect(
      siteLinkStatus({ lagEvents: 0, lastContactAt: ago(STALE_CONTACT_MS + 1), revoked: false }, hqNow)
        .warnings,
    ).toEqual(['stale']);
    expect(siteLinkStatus({ lagEvents: 0, lastContactAt: null, revoked: false }, hqNow)).toEqual({
      warnings: ['noContact'],
      secondsSinceContact: null,
    });
    expect(
      siteLinkStatus({ lagEvents: 5, lastContactAt: ago(60_000), revoked: true }, hqNow).warnings,
    ).toEqual(['revoked', 'stale', 'lagging']);
  });

  it('counts time in state on HQ clock, never negative', () => {
    expect(secondsSince(ago(75_500), hqNow)).toBe(75);
    expect(secondsSince(ago(-5_000), hqNow)).toBe(0);
    expect(secondsSince('not a time', hqNow)).toBe(0);
  });
});
