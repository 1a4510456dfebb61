/**
 * Korean phone numbers as callers present them — `010-1234-5678`,
 * `+82 10-1234-5678`, `0082…`, `02-123-4567`, `(031) 123-4567`, `1588-1234` —
 * reduced to one E.164 form (`+821012345678`) so a caller is found whatever
 * format the trunk or the agent used. Customer identities on the voice channel
 * are stored in this form.
 */

/** Korean representative numbers (대표번호): 15xx/16xx/18xx-xxxx, 8 digits, no area code. */
const REPRESENTATIVE = /^1[568]\d{6}$/;

/**
 * E.164 for a phone number, or null for something that is not one (an
 * extension such as `agent2` or `1004`, an empty string, letters).
 */
export function normalizePhoneNumber(input: string): string | null {
  let s = input.trim();
  if (!s) return null;
  // A SIP or tel URI: take its user part.
  const uri = /^(?:sips?|tel):([^@;>]+)/i.exec(s);
  if (uri) s = decodeURIComponent(uri[1]!);
  if (!/^[+\d\s().-]+$/.test(s)) return null;
  let digits = s.replace(/[\s().-]/g, '');
  if (digits.startsWith('+')) {
    digits = digits.slice(1);
    if (!/^\d{6,15}$/.test(digits)) return null;
    // "+82 010…" is a common mix of international and national forms.
    if (digits.startsWith('820')) digits = `82${digits.slice(3)}`;
    return `+${digits}`;
  }
  if (!/^\d+$/.test(digits)) return null;
  if (digits.startsWith('00')) {
    // 00 (and the carriers' 001/002/00700…) as international prefix, for Korea only.
    const rest = digits.replace(/^00(?:1|2|5|6|8|700)?(?=82)/, '');
    if (rest.startsWith('82') && rest.length >= 10) return normalizePhoneNumber(`+${rest}`);
    return null;
  }
  if (digits.startsWith('0')) {
    // National form: 0 + area or mobile code (02, 031…064, 010…019, 070, 050x).
    if (digits.length < 9 || digits.length > 12) return null;
    return `+82${digits.slice(1)}`;
  }
  if (REPRESENTATIVE.test(digits)) return `+82${digits}`;
  if (digits.startsWith('82') && digits.length >= 11 && digits.length <= 13) return `+${digits}`;
  return null;
}

/** `+821012345678` → `010-1234-5678`, `+8221234567` → `02-123-4567`; other numbers as given. */
export function formatKoreanPhone(e164: string): string {
  if (!e164.startsWith('+82')) return e164;
  const n = `0${e164.slice(3)}`;
  if (REPRESENTATIVE.test(n.slice(1))) return `${n.slice(1, 5)}-${n.slice(5)}`;
  if (n.startsWith('02')) {
    const rest = n.slice(2);
    const cut = rest.length === 8 ? 4 : 3;
    return `02-${rest.slice(0, cut)}-${rest.slice(cut)}`;
  }
  const area = n.slice(0, 3);
  const rest = n.slice(3);
  const cut = rest.length === 8 ? 4 : 3;
  return `${area}-${rest.slice(0, cut)}-${rest.slice(cut)}`;
}
