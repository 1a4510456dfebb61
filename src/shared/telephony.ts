/**
 * Telephony contract: the SIP credentials the hub issues to a desk, and the
 * normalisation of phone numbers used to find a caller. Pure TypeScript.
 */
import { z } from 'zod';

/** `GET /api/v1/sip/credentials`: time-limited credentials for Kamailio's auth_ephemeral. */
export const SipCredentials = z.object({
  /** `<expiry unix seconds>:<sip user>` — the digest username. */
  username: z.string().min(3),
  /** base64(HMAC-SHA1(shared secret, username)). */
  password: z.string().min(1),
  /** The agent's address of record, e.g. `sip:agent1@ieum.local`. */
  aor: z.string().startsWith('sip:'),
  /** The agent's extension: the user part of the AOR, what other agents dial. */
  extension: z.string().min(1),
  domain: z.string().min(1),
  /** Kamailio's SIP-over-WebSocket address. */
  wsUri: z.string().regex(/^wss?:\/\//),
  /** When the credentials stop working (ISO-8601); the desk fetches new ones before. */
  expiresAt: z.string(),
  ttlSeconds: z.number().int().positive(),
});
export type SipCredentials = z.infer<typeof SipCredentials>;

/** Details of the UNAVAILABLE error when the hub has no SIP server configured. */
export const SIP_NOT_CONFIGURED = 'sip_not_configured';
