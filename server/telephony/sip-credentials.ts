/**
 * Issues Kamailio auth_ephemeral credentials: the username is
 * `<expiry>:<sip user>` and the password base64(HMAC-SHA1(secret, username)),
 * so Kamailio checks them with the shared secret alone and no SIP password is
 * stored anywhere.
 */
import { createHmac } from 'node:crypto';
import type { SipCredentials } from '@shared/telephony';

export interface SipCredentialOptions {
  secret: string;
  wsUri: string;
  domain: string;
  ttlSeconds: number;
}

/** The SIP user of an agent: the username, restricted to characters safe in a SIP URI user part. */
export function sipUserFor(username: string): string {
  return username.toLowerCase().replace(/[^a-z0-9._-]/g, '_');
}

export function ephemeralPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function issueSipCredentials(
  username: string,
  opts: SipCredentialOptions,
  nowMs: number = Date.now(),
): SipCredentials {
  const extension = sipUserFor(username);
  const expiry = Math.floor(nowMs / 1000) + opts.ttlSeconds;
  const user = `${expiry}:${extension}`;
  return {
    username: user,
    password: ephemeralPassword(opts.secret, user),
    aor: `sip:${extension}@${opts.domain}`,
    extension,
    domain: opts.domain,
    wsUri: opts.wsUri,
    expiresAt: new Date(expiry * 1000).toISOString(),
    ttlSeconds: opts.ttlSeconds,
  };
}
