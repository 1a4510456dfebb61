/** The PII detectors: what is masked, how, and the digit runs that must stay readable. */
import { describe, expect, it } from 'vitest';
import { containsPii, findPii, luhnValid, maskPii } from '../../../server/pii/pii-detectors';

describe('resident registration numbers', () => {
  it('masks all but the birth date and the 7th digit', () => {
    expect(maskPii('주민번호는 900101-1234567 입니다')).toBe('주민번호는 900101-1****** 입니다');
    expect(maskPii('900101 2234567')).toBe('900101 2******');
    expect(maskPii('9001012234567')).toBe('9001012******');
  });

  it('finds a number written right against Hangul', () => {
    expect(maskPii('주민번호900101-1234567입니다')).toBe('주민번호900101-1******입니다');
  });

  it('accepts foreigners (5–8) and rejects impossible dates and 7th digits', () => {
    expect(findPii('850230-1234567')).toEqual([]); // 30 February
    expect(findPii('901301-1234567')).toEqual([]); // month 13
    expect(findPii('900101-9234567')).toEqual([]); // 9 is no current 7th digit
    expect(findPii('900101-0234567')).toEqual([]);
    expect(findPii('000229-5234567')[0]?.kind).toBe('rrn');
  });

  it('is not part of a longer digit run', () => {
    expect(findPii('1900101-1234567')).toEqual([]);
    expect(findPii('900101-12345678')).toEqual([]);
  });
});

describe('card numbers', () => {
  it('masks Luhn-valid numbers, keeping the first and last four digits and the separators', () => {
    // A Korean domestic card (9…).
    expect(maskPii('카드 9430-1234-5678-9016 로 결제')).toBe('카드 9430-****-****-9016 로 결제');
    expect(maskPii('4111 1111 1111 1111')).toBe('4111 **** **** 1111');
    expect(maskPii('4111111111111111')).toBe('4111********1111');
    // Amex, 15 digits in 4-6-5 groups.
    expect(maskPii('3782-822463-10005')).toBe('3782-******-*0005');
    // 19 digits is the longest card number; 20 digits in a row is something else.
    expect(maskPii('6011000990139424009')).toBe('6011***********4009');
    expect(findPii('60110009901394240008')).toEqual([]);
  });

  it('leaves Luhn-invalid digit runs alone', () => {
    expect(luhnValid('1234567890123456')).toBe(false);
    expect(maskPii('1234-5678-9012-3456')).toBe('1234-5678-9012-3456');
    expect(maskPii('송장번호 6091234567890')).toBe('송장번호 6091234567890');
  });

  it('never masks order numbers, phone numbers or short numbers', () => {
    for (const text of [
      '주문번호 A20261234 확인 부탁드립니다',
      '주문번호 A4111111111111111', // Luhn-valid digits, but part of an order number
      '연락처 010-1234-5678 로 전화 주세요',
      '+82 10-1234-5678',
      '02-123-4567, 1588-1234',
      '금액 1,250,000원',
      '2026-01-15 14:30 방문 예약',
      '010-1234-5678 010-9876-5432',
      // Luhn-valid, but no issuer starts a card with 1 or makes a 13-digit one outside Visa:
      // epoch-millisecond timestamps stay readable.
      '오프라인 답장 1795000000004',
      '1234-5678-9012-3452',
    ]) {
      expect(containsPii(text), text).toBe(false);
      expect(maskPii(text)).toBe(text);
    }
  });

  it('does not mix separators', () => {
    expect(findPii('4111-1111 1111-1111')).toEqual([]);
  });
});

describe('several numbers in one message', () => {
  it('masks each, in place', () => {
    const text = '주민 900101-1234567, 카드 4111-1111-1111-1111, 주문 A20261234';
    expect(maskPii(text)).toBe('주민 900101-1******, 카드 4111-****-****-1111, 주문 A20261234');
    expect(findPii(text).map((m) => m.kind)).toEqual(['rrn', 'card']);
  });
});
