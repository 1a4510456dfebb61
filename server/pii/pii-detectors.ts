/**
 * Finds personal identifiers in free text: Korean resident registration
 * numbers (주민등록번호) and payment card numbers. Deliberately narrow so that
 * order numbers, phone numbers and other digit runs stay readable: an RRN
 * needs a real birth date and a valid 7th digit, a card number 13–19 digits
 * with a plausible issuer prefix that pass the Luhn check, and neither may continue a longer digit run or
 * follow a Latin letter (as in an order number like `A20261234…`). Hangul
 * right next to the number is fine: Korean writes `카드번호4111…입니다`.
 */

export type PiiKind = 'rrn' | 'card';

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
  /** The text as written, separators included. */
  text: string;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// YYMMDD, an optional dash or space, then the 7th digit (1–8: century and sex,
// 5–8 for registered foreigners) and six more digits.
const RRN = /(?<![A-Za-z\d-])(\d{2})(\d{2})(\d{2})([- ]?)([1-8])\d{6}(?![\d-]?\d)/gu;

// 13–19 digits, single spaces or dashes allowed between them.
const CARD = /(?<![A-Za-z\d-])\d(?:[ -]?\d){12,18}(?![\d-]?\d)/gu;

/** True when the digits pass the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

function validBirthDate(mm: string, dd: string): boolean {
  const month = Number(mm);
  const day = Number(dd);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

/**
 * Could an issuer have made this number? Cards start with 2–6 (the
 * international schemes) or 9 (Korean domestic cards); 13, 14 and 15 digits
 * only for the schemes that use them (Visa, Diners, Amex). This keeps
 * epoch-millisecond timestamps, tracking and account numbers that happen to
 * pass the Luhn check (one in ten do) from being masked.
 */
function plausibleIssuer(digits: string): boolean {
  if ('0178'.includes(digits[0]!)) return false;
  if (digits.length === 13) return digits.startsWith('4');
  if (digits.length === 14) return /^3[068]/.test(digits);
  if (digits.length === 15) return /^3[47]/.test(digits);
  return true;
}

/** Every RRN and card number in `text`, in order, never overlapping. */
export function findPii(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const m of text.matchAll(RRN)) {
    if (!validBirthDate(m[2]!, m[3]!)) continue;
    found.push({ kind: 'rrn', start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  const overlaps = (start: number, end: number) => found.some((f) => start < f.end && f.start < end);
  for (const m of text.matchAll(CARD)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlaps(start, end)) continue;
    // Separators must be consistent ("1234 5678 9012 3456"), not a dash here and a space there.
    if (/ /.test(m[0]) && /-/.test(m[0])) continue;
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19 || !plausibleIssuer(digits) || !luhnValid(digits)) continue;
    found.push({ kind: 'card', start, end, text: m[0] });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** RRN: keep the birth date and the 7th digit (`900101-1******`). */
function maskRrn(text: string): string {
  let kept = 0;
  return text.replace(/\d/g, (d) => (++kept <= 7 ? d : '*'));
}

/** Card: keep the first four and last four digits, separators as written (`1234-****-****-5678`). */
function maskCard(text: string): string {
  const total = text.replace(/\D/g, '').length;
  let seen = 0;
  return text.replace(/\d/g, (d) => {
    seen++;
    return seen <= 4 || seen > total - 4 ? d : '*';
  });
}

/** The text with every RRN and card number masked; other text is unchanged. */
export function maskPii(text: string): string {
  const found = findPii(text);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + (f.kind === 'rrn' ? maskRrn(f.text) : maskCard(f.text));
    at = f.end;
  }
  return out + text.slice(at);
}

export const containsPii = (text: string): boolean => findPii(text).length > 0;
