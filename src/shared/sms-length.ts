/**
 * How long a text message is as Korean carriers count it: bytes in EUC-KR
 * (CP949), where ASCII is 1 byte and Hangul — and any other character a
 * carrier accepts — is 2. Up to 90 bytes go as an SMS, up to 2,000 as an
 * LMS (a long message with a title); longer is refused before sending.
 */
import { LMS_MAX_BYTES, SMS_MAX_BYTES } from './channels';

/** Bytes of `text` in EUC-KR as carriers count them (CR LF counts as the two bytes it is). */
export function smsByteLength(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return n;
}

export type SmsKind = 'sms' | 'lms';

/** `sms` up to 90 bytes, `lms` up to 2,000, null beyond (too long for one message). */
export function smsKindOf(text: string): SmsKind | null {
  const bytes = smsByteLength(text);
  if (bytes <= SMS_MAX_BYTES) return 'sms';
  if (bytes <= LMS_MAX_BYTES) return 'lms';
  return null;
}

/** The longest prefix of `text` within `maxBytes` (an LMS title, a preview), never cutting a character. */
export function truncateToBytes(text: string, maxBytes: number): string {
  let n = 0;
  let out = '';
  for (const ch of text) {
    const b = ch.codePointAt(0)! < 0x80 ? 1 : 2;
    if (n + b > maxBytes) break;
    n += b;
    out += ch;
  }
  return out;
}
