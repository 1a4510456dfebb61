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

/**
 * Where this hub's desks reach their SIP server (`GET /api/v1/sip/server`,
 * public: the address is no secret). The Electron desk's main process asks
 * before loading the desk, so its Content-Security-Policy can name a SIP
 * server on another host than the hub (IT's own PBX).
 */
export const SipServerInfo = z.object({ wsUrl: z.string().nullable() });
export type SipServerInfo = z.infer<typeof SipServerInfo>;

/** Details of the UNAVAILABLE error when the hub has no SIP server configured. */
export const SIP_NOT_CONFIGURED = 'sip_not_configured';

/** What the desk reports about a call, one step at a time (`POST /api/v1/calls/events`). */
export const CALL_EVENT_TYPES = [
  'offered',
  'dialed',
  'answered',
  'held',
  'resumed',
  'transferred',
  'ended',
] as const;
export const CallEventInput = z.object({
  /** The desk's id for the call (sip.js session id); unique per agent. */
  callId: z.string().min(1).max(200),
  type: z.enum(CALL_EVENT_TYPES),
  /** Epoch ms on the desk's clock; durations are differences on that one clock. */
  at: z.number().int().positive(),
  /** With `offered` / `dialed`: the other party as SIP presented it. */
  remote: z.string().max(200).optional(),
  remoteName: z.string().max(200).nullable().optional(),
  /** With `ended`: completed | not_answered | rejected | failed. With `transferred`: the target. */
  reason: z.string().max(40).optional(),
  /**
   * With `offered`: the routed work behind a call to a queue number (the
   * `X-Ieum-Item` header Kamailio adds), so hanging up and wrapping up
   * finish that work in the hub's routing.
   */
  workItemId: z.string().min(1).max(64).optional(),
  /**
   * With `dialed`: the desk's id of the call this one consults for (the
   * customer waiting on hold during an attended transfer). The hub records the
   * consultation as a call of its own, tied to that call.
   */
  consultFor: z.string().min(1).max(200).optional(),
});
export type CallEventInput = z.infer<typeof CallEventInput>;

/** One call as the hub stored it, with its durations. */
export const CallRecord = z.object({
  id: z.string(),
  callId: z.string(),
  agentId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  /** E.164 for phone numbers, else the SIP user (an extension). */
  remote: z.string(),
  remoteName: z.string().nullable(),
  customerId: z.string().nullable(),
  state: z.enum(['ringing', 'answered', 'held', 'ended']),
  offeredAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endReason: z.string().nullable(),
  ringMs: z.number().nullable(),
  talkMs: z.number().nullable(),
  holdMs: z.number(),
  wrapUpMs: z.number().nullable(),
  dispositionId: z.string().nullable(),
  note: z.string().nullable(),
  /** The routed work item, for a call that came through a queue number. */
  workItemId: z.string().nullable(),
  /**
   * For a consultation call: the hub's id of the call it consulted for.
   * Absent in records cached by or received from an older hub: null.
   */
  consultOf: z.string().nullable().default(null),
});
export type CallRecord = z.infer<typeof CallRecord>;

export const WrapUpInput = z.object({
  dispositionId: z.string().min(1).max(64),
  note: z.string().max(2000).optional(),
  /** Epoch ms on the desk's clock when the agent finished wrap-up. */
  at: z.number().int().positive(),
});
export type WrapUpInput = z.infer<typeof WrapUpInput>;

/** The screen pop: who is calling (`GET /api/v1/calls/caller?number=`). */
export const CallerLookup = z.object({
  number: z.string(),
  normalized: z.string().nullable(),
  customer: z.object({ id: z.string(), name: z.string(), segment: z.string().nullable() }).nullable(),
});
export type CallerLookup = z.infer<typeof CallerLookup>;
