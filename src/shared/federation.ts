/**
 * The hub-to-hub protocol: a site hub enrolls with HQ once, then replicates
 * its event log in signed, gzip-compressed batches. Apply is idempotent by
 * (siteId, seq), so a batch sent twice changes nothing. See docs/multi-site.md.
 */
import { z } from 'zod';
import { Channel, ConversationStatus, Id, Role } from './domain';
import { Kpis } from './kpis';
import { SurveyQuestions } from './surveys';

export const FEDERATION_PREFIX = '/api/v1/federation';
/** Events per replication batch (before compression). */
export const REPLICATION_BATCH = 1000;

export const EnrollRequest = z
  .object({
    token: z.string().min(16).max(200),
    name: z.string().min(1).max(100),
    sites: z
      .array(
        z.object({
          id: Id,
          code: z.string().min(1).max(50),
          name: z.string().min(1).max(100),
          timezone: z.string().min(1).max(64),
        }),
      )
      .min(1)
      .max(100),
  })
  .strict();
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({ memberId: Id, key: z.string() });
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const ReplicatedEvent = z
  .object({
    seq: z.number().int().positive(),
    type: z.string().min(1).max(100),
    /** The event's payload as the site stored it (JSON text). */
    payload: z.string().max(1_000_000),
    /** Milliseconds since the epoch, on the site's clock. */
    at: z.number().int().nonnegative(),
  })
  .strict();
export type ReplicatedEvent = z.infer<typeof ReplicatedEvent>;

export const ReplicationBatch = z
  .object({
    siteId: Id,
    /** The site's newest seq when the batch was cut: HQ shows the lag from it. */
    headSeq: z.number().int().nonnegative(),
    events: z.array(ReplicatedEvent).max(5000),
  })
  .strict();
export type ReplicationBatch = z.infer<typeof ReplicationBatch>;

export const ReplicationAck = z.object({ siteId: Id, ackedSeq: z.number().int().nonnegative() });
export type ReplicationAck = z.infer<typeof ReplicationAck>;

/** A center's people as HQ needs them for the wallboard: names and roles, no credentials. */
export const DirectorySync = z
  .object({
    siteId: Id,
    users: z
      .array(
        z.object({
          id: Id,
          displayName: z.string().min(1).max(100),
          role: z.string().min(1).max(32),
          active: z.boolean(),
        }),
      )
      .max(50_000),
  })
  .strict();
export type DirectorySync = z.infer<typeof DirectorySync>;

/** What HQ shows per site: how far behind it is and when it was last heard from (HQ's clock). */
export const FederatedSiteView = z.object({
  siteId: Id,
  code: z.string(),
  name: z.string(),
  memberId: Id,
  memberName: z.string(),
  lastSeq: z.number(),
  headSeq: z.number(),
  lagEvents: z.number(),
  lastContactAt: z.string().nullable(),
  lastEventAt: z.string().nullable(),
  revoked: z.boolean(),
});
export type FederatedSiteView = z.infer<typeof FederatedSiteView>;

/** A site hub's own view of its link. */
export const FederationStatus = z.object({
  hqUrl: z.string().nullable(),
  enrolled: z.boolean(),
  memberId: z.string().nullable(),
  sites: z.array(z.object({ siteId: Id, ackedSeq: z.number(), headSeq: z.number() })),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  clockOffsetMs: z.number(),
});
export type FederationStatus = z.infer<typeof FederationStatus>;

/** Per-site totals of the event log, computed the same way at the site and at HQ. */
export const EventTotals = z.object({
  siteId: Id,
  lastSeq: z.number(),
  events: z.number(),
  byType: z.record(z.string(), z.number()),
});
export type EventTotals = z.infer<typeof EventTotals>;

/** HQ's group wallboard: each center side by side and the group total. */
export const HqBoard = z.object({
  at: z.string(),
  sites: z.array(
    z.object({
      site: FederatedSiteView,
      agents: z.array(
        z.object({
          userId: z.string(),
          displayName: z.string().nullable(),
          state: z.string(),
          since: z.string(),
        }),
      ),
      byState: z.record(z.string(), z.number()),
      kpis: Kpis,
    }),
  ),
  total: z.object({ byState: z.record(z.string(), z.number()), kpis: Kpis }),
});
export type HqBoard = z.infer<typeof HqBoard>;

/**
 * Group-wide configuration HQ owns and every center applies: its kinds and
 * what each item carries (the key is the code, shortcut or name).
 */
export const GROUP_CONFIG_KINDS = [
  'reason_code',
  'disposition',
  'canned_response',
  'skill',
  'user',
  'survey_template',
] as const;
export const GroupConfigKind = z.enum(GROUP_CONFIG_KINDS);
export type GroupConfigKind = z.infer<typeof GroupConfigKind>;

export const GROUP_CONFIG_PAYLOADS = {
  reason_code: z
    .object({ label: z.string().min(1).max(100), kind: z.enum(['not_ready', 'wrap_up']) })
    .strict(),
  disposition: z.object({ label: z.string().min(1).max(100) }).strict(),
  canned_response: z
    .object({ title: z.string().min(1).max(100), body: z.string().min(1).max(5000) })
    .strict(),
  skill: z.object({}).strict(),
  /** A group-level user (e.g. an HQ analyst or a group admin) who can sign in at every center. */
  user: z
    .object({
      displayName: z.string().min(1).max(100),
      role: Role,
      /** argon2id hash made at HQ; the password itself never travels. */
      passwordHash: z.string().startsWith('$argon2'),
    })
    .strict(),
  /** The end-of-chat survey's questions; the key is the template's name (`default`, or a queue's name). */
  survey_template: SurveyQuestions,
} as const;

export const GroupConfigKey = z.string().min(1).max(100);

export const GroupConfigItem = z.object({
  kind: GroupConfigKind,
  key: GroupConfigKey,
  version: z.number().int().positive(),
  /** null: deleted at HQ. */
  payload: z.record(z.string(), z.unknown()).nullable(),
});
export type GroupConfigItem = z.infer<typeof GroupConfigItem>;

/** A center asks for what changed since its version and reports where it overrides HQ. */
export const ConfigPull = z
  .object({
    since: z.number().int().min(0),
    overrides: z.array(z.object({ siteId: Id, kind: GroupConfigKind, key: GroupConfigKey })).max(10_000),
  })
  .strict();
export type ConfigPull = z.infer<typeof ConfigPull>;

export const ConfigPullResponse = z.object({
  version: z.number().int().min(0),
  items: z.array(GroupConfigItem),
});
export type ConfigPullResponse = z.infer<typeof ConfigPullResponse>;

/** HQ's list: each item with the centers that override it locally. */
export const GroupConfigView = z.array(
  GroupConfigItem.extend({
    updatedAt: z.string(),
    overriddenBy: z.array(z.object({ siteId: Id, code: z.string().nullable(), reportedAt: z.string() })),
  }),
);
export type GroupConfigView = z.infer<typeof GroupConfigView>;

// ── cross-site customer history (only with the customer's group_share consent) ──

/** A consultation as a site shares it with HQ: no message text, the subject PII-masked. */
export const SharedConsultation = z
  .object({
    id: z.string().min(1).max(64),
    channel: Channel,
    status: ConversationStatus,
    subject: z.string().max(500).nullable(),
    messageCount: z.number().int().min(0),
    createdAt: z.number().int().nonnegative(),
    at: z.number().int().nonnegative(),
  })
  .strict();
export type SharedConsultation = z.infer<typeof SharedConsultation>;

/** SHA-256 (hex) of `phone:<E.164>` or `email:<lower-case>`: HQ matches customers without holding their handles. */
export const MatchKey = z.string().regex(/^[0-9a-f]{64}$/);

export const SharedCustomer = z
  .object({
    customerRef: z.string().min(1).max(64),
    /** When the customer gave group_share consent; null: withdrawn (HQ forgets them). */
    consentAt: z.number().int().nonnegative().nullable(),
    keys: z.array(MatchKey).max(50),
    entries: z.array(SharedConsultation).max(200),
  })
  .strict();
export type SharedCustomer = z.infer<typeof SharedCustomer>;

/** `POST /api/v1/federation/shared-history` (signed): consented customers that changed at a site. */
export const SharedHistorySync = z
  .object({ siteId: Id, customers: z.array(SharedCustomer).max(1000) })
  .strict();
export type SharedHistorySync = z.infer<typeof SharedHistorySync>;

/**
 * `POST /api/v1/federation/shared-history/lookup` (signed): a site asks for
 * its consenting customer's consultations at the other centers. It carries
 * the customer's own shared record, so HQ answers only for a consenting customer.
 */
export const HistoryLookup = z.object({ siteId: Id, customer: SharedCustomer }).strict();
export type HistoryLookup = z.infer<typeof HistoryLookup>;

export const HistoryLookupAnswer = z.object({
  items: z.array(SharedConsultation.extend({ siteCode: z.string(), siteName: z.string() })),
});
export type HistoryLookupAnswer = z.infer<typeof HistoryLookupAnswer>;

// ── overflow between sites ──

/**
 * The channels whose work may overflow to another site: only those the
 * receiving site can answer through its own adapter, to the address that
 * travels in the payload. SMS qualifies: the customer's phone travels and the
 * other site's gateway sends to it (the customer's answer comes back to that
 * site's number). Everything else stays and routes at its own site:
 * - web chat: the visitor is connected to this site's widget; a reply from
 *   another hub would go nowhere;
 * - voice: the waiting call is held by this site's Kamailio; moving the work
 *   item does not move the call;
 * - messenger: the user key and the consultation session belong to this
 *   site's 상담톡 account; another site's account cannot answer in them;
 * - email: no hub has an email sending adapter yet, so no site could answer.
 * The origin filters by this list and the receiving site checks it again
 * (plus that it has the adapter), so a mismatch of versions is refused, not lost.
 */
export const REMOTE_OVERFLOW_CHANNELS: readonly Channel[] = ['sms'];

/** Whether work on this channel may be answered by another site (see REMOTE_OVERFLOW_CHANNELS). */
export const overflowsAcrossSites = (channel: Channel): boolean => REMOTE_OVERFLOW_CHANNELS.includes(channel);

/** The conversation as it travels to another site: its customer and its history. */
export const OverflowPayload = z
  .object({
    channel: Channel,
    subject: z.string().max(500).nullable(),
    priority: z.number().int().min(0).max(100),
    customer: z
      .object({
        name: z.string().min(1).max(100),
        phone: z.string().max(32).nullable(),
        email: z.string().max(320).nullable(),
      })
      .strict(),
    messages: z
      .array(
        z
          .object({
            direction: z.enum(['in', 'out', 'note']),
            body: z.string().max(20_000),
            author: z.string().max(100).nullable(),
            at: z.number().int().nonnegative(),
          })
          .strict(),
      )
      .max(500),
    from: z.object({ siteCode: z.string(), conversationId: z.string() }).strict(),
  })
  .strict();
export type OverflowPayload = z.infer<typeof OverflowPayload>;

/** The states HQ decides for one transfer. */
export const OVERFLOW_STATES = ['committed', 'delivered', 'done', 'returned', 'refused'] as const;
export const OverflowState = z.enum(OVERFLOW_STATES);
export type OverflowState = z.infer<typeof OverflowState>;

/** `POST /api/v1/federation/overflow` (signed): one operation on a transfer, answered with its state. */
export const OverflowRequest = z.discriminatedUnion('op', [
  /** Origin: may the named site take work now? (nothing is stored) */
  z.object({ op: z.literal('probe'), toSiteCode: z.string().min(1).max(50) }).strict(),
  /** Origin: the work has left our queue; relay it. Idempotent by transferId. */
  z
    .object({
      op: z.literal('commit'),
      transferId: Id,
      fromSiteId: Id,
      toSiteCode: z.string().min(1).max(50),
      toQueue: z.string().min(1).max(100),
      payload: OverflowPayload,
    })
    .strict(),
  /** Origin: where do my transfers stand? */
  z.object({ op: z.literal('status'), transferIds: z.array(Id).max(1000) }).strict(),
  /** Origin: nobody took it in time; give it back unless it was delivered. */
  z.object({ op: z.literal('return'), transferId: Id }).strict(),
  /** Target: transfers waiting for my sites. */
  z.object({ op: z.literal('inbox') }).strict(),
  /** Target: I take it (committed → delivered), or cannot (→ refused, with why). */
  z.object({ op: z.literal('claim'), transferId: Id }).strict(),
  z.object({ op: z.literal('refuse'), transferId: Id, reason: z.string().max(200) }).strict(),
  /** Target: it is in my queue now (delivered → done). */
  z.object({ op: z.literal('done'), transferId: Id }).strict(),
]);
export type OverflowRequest = z.infer<typeof OverflowRequest>;

export const OverflowTransferView = z.object({
  transferId: Id,
  fromSiteId: Id,
  toSiteId: Id,
  toQueue: z.string(),
  state: OverflowState,
  reason: z.string().nullable(),
  payload: OverflowPayload.optional(),
});
export type OverflowTransferView = z.infer<typeof OverflowTransferView>;

export const OverflowAnswer = z.object({
  reachable: z.boolean().optional(),
  transfers: z.array(OverflowTransferView),
});
export type OverflowAnswer = z.infer<typeof OverflowAnswer>;
