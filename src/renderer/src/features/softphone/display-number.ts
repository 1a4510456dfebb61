import { formatKoreanPhone, normalizePhoneNumber } from '@shared/phone-number';

/** A phone number the way Korean agents read it (010-1234-5678); extensions as they are. */
export function displayNumber(remote: string): string {
  const e164 = normalizePhoneNumber(remote);
  return e164 ? formatKoreanPhone(e164) : remote;
}
