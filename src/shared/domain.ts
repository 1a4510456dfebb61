/**
 * Domain types of Ieum, defined once as zod schemas so the hub can validate what
 * it reads and every client gets the same TypeScript types (`z.infer`).
 * Words follow CONVENTIONS.md: Site, Team, Agent, Skill, Queue, Customer,
 * Identity, Conversation, Message, Call, Disposition, ReasonCode, Survey.
 */
import { z } from 'zod';

export const Id = z.string().min(1).max(64);
/** ISO-8601 timestamp with offset, as sent on the wire. */
export const Timestamp = z.string();

export const ROLES = ['agent', 'supervisor', 'site_manager', 'hq_analyst', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const CHANNELS = ['voice', 'webchat', 'email', 'sms', 'messenger'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const Site = z.object({
  id: Id,
  code: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
  name: z.string().min(1).max(100),
  timezone: z.string().min(1).max(64),
});
export type Site = z.infer<typeof Site>;

export const Team = z.object({ id: Id, siteId: Id, name: z.string().min(1).max(100) });
export type Team = z.infer<typeof Team>;

export const Skill = z.object({ id: Id, siteId: Id, name: z.string().min(1).max(100) });
export type Skill = z.infer<typeof Skill>;

export const SkillLevel = z.object({ skillId: Id, level: z.number().int().min(1).max(5) });
export type SkillLevel = z.infer<typeof SkillLevel>;

/** A person who logs in. An Agent is a User that takes work (role `agent` or a supervisor who also takes work). */
export const User = z.object({
  id: Id,
  siteId: Id,
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(100),
  role: Role,
  teamId: Id.nullable(),
  skills: z.array(SkillLevel),
  active: z.boolean(),
});
export type User = z.infer<typeof User>;

export const AGENT_STATES = ['offline', 'ready', 'not_ready', 'busy', 'wrap_up'] as const;
export const AgentStateName = z.enum(AGENT_STATES);
export type AgentStateName = z.infer<typeof AgentStateName>;

/** An agent's current state with the reason (for not_ready) and since when. */
export const AgentStatus = z.object({
  userId: Id,
  state: AgentStateName,
  reasonCodeId: Id.nullable(),
  since: Timestamp,
});
export type AgentStatus = z.infer<typeof AgentStatus>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Opening hours of a queue in its own timezone; no `hours` means always open. */
export const BusinessHours = z.object({
  timezone: z.string().min(1).max(64).default('Asia/Seoul'),
  /** Per weekday, opening intervals `[from, to)`; a missing day is closed. */
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(z.tuple([HHMM, HHMM])).max(6)),
  /** Closed all day on these dates (YYYY-MM-DD, in the queue's timezone). */
  holidays: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .max(400)
    .default([]),
});
export type BusinessHours = z.infer<typeof BusinessHours>;

export const OUT_OF_HOURS_ACTIONS = ['message', 'callback', 'voicemail'] as const;

/** How a queue routes: timers, overflow, hours. Every field has a safe default. */
export const QueueRouting = z.object({
  /** Waiting longer than this ends the wait as `expired` (null: wait forever). */
  maxWaitSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .nullable()
    .default(null),
  /** After this long in the queue, move to another queue of the same site. */
  overflow: z
    .object({ afterSeconds: z.number().int().min(1).max(86_400), toQueueId: Id })
    .nullable()
    .default(null),
  /** Forced wrap-up after each item, then the agent is ready again by themselves. */
  wrapUpSeconds: z.number().int().min(0).max(3600).default(0),
  /** An offer not accepted within this goes to the next agent; the first becomes not_ready(missed). */
  offerTimeoutSeconds: z.number().int().min(1).max(600).default(20),
  /** The customer's last agent gets the work first if they free up within this window. */
  stickyWindowSeconds: z.number().int().min(0).max(86_400).default(0),
  hours: BusinessHours.nullable().default(null),
  /** What a customer gets when the queue is closed. */
  outOfHours: z
    .object({ action: z.enum(OUT_OF_HOURS_ACTIONS), message: z.string().max(1000).default('') })
    .default({ action: 'message', message: '' }),
});
export type QueueRouting = z.infer<typeof QueueRouting>;
export const DEFAULT_QUEUE_ROUTING: QueueRouting = QueueRouting.parse({});

/** A site's routing settings: the capacity budget per channel and whether calls blend with other work. */
export const SiteRouting = z.object({
  capacityCost: z
    .object({
      voice: z.number().positive().max(1),
      webchat: z.number().positive().max(1),
      email: z.number().positive().max(1),
      sms: z.number().positive().max(1),
      messenger: z.number().positive().max(1),
    })
    .default({ voice: 1, webchat: 1 / 3, email: 1 / 10, sms: 1 / 5, messenger: 1 / 3 }),
  allowBlending: z.boolean().default(false),
  rejectCooldownSeconds: z.number().int().min(0).max(3600).default(60),
});
export type SiteRouting = z.infer<typeof SiteRouting>;

export const Queue = z.object({
  id: Id,
  siteId: Id,
  name: z.string().min(1).max(100),
  channels: z.array(Channel).min(1),
  skills: z.array(z.object({ skillId: Id, minLevel: z.number().int().min(1).max(5) })),
  priority: z.number().int().min(0).max(100),
  /** Service-level target: `slaTargetPct` % answered within `slaSeconds`. */
  slaSeconds: z.number().int().min(1).max(86_400),
  slaTargetPct: z.number().min(0).max(100),
  routing: QueueRouting.default(DEFAULT_QUEUE_ROUTING),
});
export type Queue = z.infer<typeof Queue>;

export const REASON_KINDS = ['not_ready', 'wrap_up'] as const;
export const ReasonCode = z.object({
  id: Id,
  siteId: Id,
  code: z.string().min(1).max(32),
  label: z.string().min(1).max(100),
  kind: z.enum(REASON_KINDS),
});
export type ReasonCode = z.infer<typeof ReasonCode>;

export const Disposition = z.object({
  id: Id,
  siteId: Id,
  code: z.string().min(1).max(32),
  label: z.string().min(1).max(100),
});
export type Disposition = z.infer<typeof Disposition>;

export const CannedResponse = z.object({
  id: Id,
  siteId: Id,
  shortcut: z.string().min(1).max(32),
  title: z.string().min(1).max(100),
  body: z.string().min(1).max(4000),
});
export type CannedResponse = z.infer<typeof CannedResponse>;

export const Customer = z.object({
  id: Id,
  siteId: Id,
  name: z.string().max(100),
  segment: z.string().max(32).nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  createdAt: Timestamp,
});
export type Customer = z.infer<typeof Customer>;

/** A customer's handle on one channel (phone number, email address, widget id, messenger key). */
export const Identity = z.object({
  id: Id,
  customerId: Id,
  channel: Channel,
  handle: z.string().min(1).max(320),
});
export type Identity = z.infer<typeof Identity>;

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const ConversationStatus = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const Conversation = z.object({
  id: Id,
  siteId: Id,
  customerId: Id,
  channel: Channel,
  queueId: Id.nullable(),
  status: ConversationStatus,
  priority: z.number().int().min(0).max(100),
  assigneeId: Id.nullable(),
  subject: z.string().max(200).nullable(),
  /** When the customer started waiting for an answer; null when nobody waits. */
  waitingSince: Timestamp.nullable(),
  createdAt: Timestamp,
  lastMessageAt: Timestamp.nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

export const MESSAGE_DIRECTIONS = ['in', 'out', 'note'] as const;
export const MessageDirection = z.enum(MESSAGE_DIRECTIONS);
export type MessageDirection = z.infer<typeof MessageDirection>;

/** Longest message body the hub accepts, in characters. */
export const MAX_MESSAGE_LENGTH = 10_000;

// Delivery of outbound messages on adapter channels (SMS, messenger, email); see channels.ts.
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'failed'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** How the message went out on its channel (an SMS too long for 90 bytes is an LMS, and so on). */
export const DELIVERY_KINDS = ['sms', 'lms', 'text', 'image', 'file', 'template', 'email'] as const;
export const DeliveryKind = z.enum(DELIVERY_KINDS);
export type DeliveryKind = z.infer<typeof DeliveryKind>;

/**
 * Why a message could not be sent or delivered. The desk shows a localised
 * text per reason (`channels.reason.<REASON>`); `detail` carries the
 * provider's own words for the log and the tooltip.
 */
export const DELIVERY_FAILURES = [
  /** The provider timed out or answered 5xx every time we tried. */
  'PROVIDER_UNAVAILABLE',
  /** The provider refused the message (4xx, a result code that is not success). */
  'PROVIDER_REJECTED',
  /** The carrier or the app reported that it did not reach the handset. */
  'NOT_DELIVERED',
  /** The messenger consultation session ended; only a notification template may be sent. */
  'SESSION_EXPIRED',
  /** The customer has no handle on this channel (no phone for SMS, no messenger key…). */
  'NO_RECIPIENT',
  /** The channel is not configured on this hub. */
  'CHANNEL_DISABLED',
] as const;
export const DeliveryFailure = z.enum(DELIVERY_FAILURES);
export type DeliveryFailure = z.infer<typeof DeliveryFailure>;

/** Where an outbound message stands; one per outbound message of an adapter channel. */
export const MessageDelivery = z.object({
  messageId: Id,
  conversationId: Id,
  channel: Channel,
  status: DeliveryStatus,
  kind: DeliveryKind.nullable(),
  /** Sends tried so far (a timeout or 5xx is tried again with backoff). */
  attempts: z.number().int().min(0),
  providerMessageId: z.string().max(200).nullable(),
  reason: DeliveryFailure.nullable(),
  /** The provider's words for a failure, for the log and the tooltip. */
  detail: z.string().max(500).nullable(),
  updatedAt: Timestamp,
});
export type MessageDelivery = z.infer<typeof MessageDelivery>;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  direction: MessageDirection,
  authorId: Id.nullable(),
  body: z.string().max(MAX_MESSAGE_LENGTH),
  /** The sender's idempotency key; a retried send with the same key is the same message. */
  clientId: Id.nullable(),
  createdAt: Timestamp,
  /** True when the hub masked personal numbers in `body`; permitted roles may reveal it. */
  masked: z.boolean().optional(),
  /** The channel the message went by when it is not the conversation's own (the agent switched channel). */
  channel: Channel.optional(),
  /** Outbound on an adapter channel: where its delivery stands. */
  delivery: MessageDelivery.nullable().optional(),
});
export type Message = z.infer<typeof Message>;

export const CALL_STATES = [
  'offered',
  'ringing',
  'answered',
  'held',
  'transferred',
  'ended',
  'abandoned',
] as const;
export const Call = z.object({
  id: Id,
  siteId: Id,
  conversationId: Id.nullable(),
  customerId: Id.nullable(),
  direction: z.enum(['inbound', 'outbound']),
  from: z.string().max(64),
  to: z.string().max(64),
  agentId: Id.nullable(),
  state: z.enum(CALL_STATES),
  startedAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  dispositionId: Id.nullable(),
});
export type Call = z.infer<typeof Call>;

export const Survey = z.object({
  id: Id,
  conversationId: Id,
  csat: z.number().int().min(1).max(5).nullable(),
  nps: z.number().int().min(0).max(10).nullable(),
  ces: z.number().int().min(1).max(7).nullable(),
  comment: z.string().max(2000).nullable(),
  createdAt: Timestamp,
});
export type Survey = z.infer<typeof Survey>;

/** One row of a site's append-only event log (DESIGN principle 1). */
export const LogEvent = z.object({
  siteId: Id,
  seq: z.number().int().positive(),
  type: z.string(),
  payload: z.unknown(),
  at: Timestamp,
});
export type LogEvent = z.infer<typeof LogEvent>;
