/**
 * `tel:` and `sip:` links as dial requests for the softphone. The raw link
 * comes from another application, so only what a dialer can use survives:
 * digits, `+`, `*`, `#` for tel:; `user@host` for sip:.
 */
import type { DialRequest } from '@shared/host-api';
import { isDeepLink } from './trust';

export function parseDialTarget(url: string): DialRequest | null {
  if (!isDeepLink(url)) return null;
  const colon = url.indexOf(':');
  const scheme = url.slice(0, colon).toLowerCase();
  let rest: string;
  try {
    rest = decodeURIComponent(url.slice(colon + 1)).replace(/^\/\//, '');
  } catch {
    return null;
  }
  // Parameters (`;phone-context=…`, `;transport=tcp`) and headers (`?…`) are not part of the number.
  rest = rest.split(/[;?]/)[0] ?? '';
  if (scheme === 'tel') {
    const number = rest.replace(/[\s().\-/]/g, '');
    return /^\+?[\d*#]{1,40}$/.test(number) ? { number } : null;
  }
  return /^[\w.+\-*#%]{1,64}@[\w.-]{1,190}(:\d{1,5})?$/.test(rest) || /^\+?[\d*#]{1,40}$/.test(rest)
    ? { number: rest }
    : null;
}
