/** SMS length as Korean carriers count it: EUC-KR bytes, Hangul 2, ASCII 1; SMS ≤ 90, LMS ≤ 2,000. */
import { describe, expect, it } from 'vitest';
import { smsByteLength, smsKindOf, truncateToBytes } from '@shared/sms-length';

describe('sms length', () => {
  it('counts Hangul as 2 bytes and ASCII as 1', () => {
    expect(smsByteLength('안녕하세요')).toBe(10);
    expect(smsByteLength('abc 123')).toBe(7);
    expect(smsByteLength('주문 #42 확인')).toBe(13);
    expect(smsByteLength('')).toBe(0);
  });

  it('flags SMS up to 90 bytes, LMS up to 2,000 and nothing beyond', () => {
    expect(smsKindOf('가'.repeat(45))).toBe('sms');
    expect(smsKindOf('가'.repeat(45) + 'a')).toBe('lms');
    expect(smsKindOf('a'.repeat(90))).toBe('sms');
    expect(smsKindOf('a'.repeat(91))).toBe('lms');
    expect(smsKindOf('가'.repeat(1000))).toBe('lms');
    expect(smsKindOf('가'.repeat(1000) + 'a')).toBeNull();
  });

  it('truncates to a byte budget without cutting a character', () => {
    expect(truncateToBytes('가나다라', 5)).toBe('가나');
    expect(truncateToBytes('ab가', 3)).toBe('ab');
    expect(truncateToBytes('ab가', 4)).toBe('ab가');
  });
});
