/**
 * Signed requests between a site hub and HQ.
 *
 * After enrollment each side holds the same 256-bit key. Every site → HQ
 * request carries its member id, a timestamp, a random nonce, and an
 * HMAC-SHA256 over `METHOD \n PATH \n TIME \n NONCE \n sha256(body)`. HQ accepts
 * a request only if the signature matches, the timestamp is within the allowed
 * skew of its own clock, and the nonce has not been seen within that window, so
 * a captured request can be neither altered nor replayed. Chosen over mutual
 * TLS because it needs no PKI at the sites and works through any proxy; TLS
 * (https) still protects confidentiality on the wire.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  member: 'x-ieum-member',
  time: 'x-ieum-time',
  nonce: 'x-ieum-nonce',
  signature: 'x-ieum-signature',
} as const;

export const newKey = (): string => randomBytes(32).toString('base64url');

function mac(key: string, method: string, path: string, time: string, nonce: string, body: Buffer) {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', Buffer.from(key, 'base64url'))
    .update(`${method.toUpperCase()}\n${path}\n${time}\n${nonce}\n${bodyHash}`)
    .digest();
}

/** The headers for one request, signed at `now` (the site's clock corrected by its known offset). */
export function signRequest(
  key: string,
  memberId: string,
  method: string,
  path: string,
  body: Buffer,
  now: number,
): Record<string, string> {
  const time = String(Math.round(now));
  const nonce = randomBytes(16).toString('base64url');
  return {
    [SIGNATURE_HEADERS.member]: memberId,
    [SIGNATURE_HEADERS.time]: time,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: mac(key, method, path, time, nonce, body).toString('base64url'),
  };
}

export type VerifyFailure = 'malformed' | 'bad_signature' | 'clock_skew' | 'replayed';

/**
 * Remembers nonces for as long as their timestamps are acceptable; a nonce
 * older than the window cannot be replayed anyway because its time is refused.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True the first time a nonce is offered within the window. */
  remember(nonce: string, now: number): boolean {
    if (this.seen.size > 10_000) {
      for (const [n, at] of this.seen) if (at < now - 2 * this.windowMs) this.seen.delete(n);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now);
    return true;
  }
}

export interface SignedParts {
  memberId: string;
  time: number;
  nonce: string;
  signature: string;
}

export function readSignedParts(headers: Record<string, unknown>): SignedParts | undefined {
  const h = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' && v.length > 0 && v.length < 200 ? v : undefined;
  };
  const memberId = h(SIGNATURE_HEADERS.member);
  const time = Number(h(SIGNATURE_HEADERS.time));
  const nonce = h(SIGNATURE_HEADERS.nonce);
  const signature = h(SIGNATURE_HEADERS.signature);
  if (!memberId || !Number.isFinite(time) || !nonce || !signature) return undefined;
  return { memberId, time, nonce, signature };
}

/** Checks a request's signature, clock and nonce; `undefined` means it is good. */
export function verifyRequest(
  key: string,
  parts: SignedParts,
  method: string,
  path: string,
  body: Buffer,
  now: number,
  skewMs: number,
  nonces: NonceCache,
): VerifyFailure | undefined {
  const expected = mac(key, method, path, String(parts.time), parts.nonce, body);
  const given = Buffer.from(parts.signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  if (Math.abs(now - parts.time) > skewMs) return 'clock_skew';
  if (!nonces.remember(parts.nonce, now)) return 'replayed';
  return undefined;
}
