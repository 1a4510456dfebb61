import { describe, expect, it } from 'vitest';
import { maskContacts, matchKey } from '../../../server/federation/shared-history';

describe('what a center shares with HQ about a consenting customer', () => {
  it('masks phone numbers, emails and card numbers in free text, keeping the words', () => {
    const masked = maskContacts('환불 문의 010-7777-0001, kim@example.com 카드 4111 1111 1111 1111');
    expect(masked).toContain('환불 문의');
    expect(masked).not.toContain('7777-0001');
    expect(masked).not.toContain('kim@example.com');
    expect(masked).not.toContain('1111 1111 1111');
    expect(maskContacts('배송 지연 문의')).toBe('배송 지연 문의');
  });

  it('matches the same phone or email by a hash, and never a per-site visitor id', () => {
    expect(matchKey('+821077770001')).toMatch(/^[0-9a-f]{64}$/);
    expect(matchKey('+821077770001')).toBe(matchKey('+821077770001'));
    expect(matchKey('Kim@Example.com')).toBe(matchKey('kim@example.com'));
    expect(matchKey('+821077770001')).not.toBe(matchKey('+821077770002'));
    expect(matchKey('visitor-3f2a')).toBeNull();
  });
});
