/**
 * Customer 360 contract (`/api/v1/customers`): the profile, one timeline of
 * every interaction across channels, notes, tags, merge and its undo, and
 * the identity resolution answer. Pure TypeScript; the hub registers its
 * routes with these schemas and the desk uses the inferred types.
 */
import { z } from 'zod';
import { CallRecord } from './telephony';
import { Channel, ConversationStatus, Id, Identity, Message, Timestamp } from './domain';

/** Consents a customer gives (개인정보 수집·이용, 마케팅 수신, …). */
export const CONSENT_KINDS = ['privacy', 'marketing', 'third_party'] as const;
export const ConsentKind = z.enum(CONSENT_KINDS);
export type ConsentKind = z.infer<typeof ConsentKind>;

export const ConsentFlag = z.object({
  kind: ConsentKind,
  granted: z.boolean(),
  /** When the customer gave (or withdrew) it; null when never asked. */
  at: Timestamp.nullable(),
});
export type ConsentFlag = z.infer<typeof ConsentFlag>;

export const CustomerNote = z.object({
  id: Id,
  customerId: Id,
  authorId: Id.nullable(),
  authorName: z.string().nullable(),
  /** PII masked, as for messages. */
  body: z.string(),
  createdAt: Timestamp,
});
export type CustomerNote = z.infer<typeof CustomerNote>;

export const MAX_NOTE_LENGTH = 2000;
export const MAX_TAGS = 20;
export const Tag = z.string().trim().min(1).max(32);

export const CustomerProfile = z.object({
  id: Id,
  siteId: Id,
  name: z.string(),
  segment: z.string().nullable(),
  /** Won. */
  lifetimeValue: z.number(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  identities: z.array(Identity),
  consents: z.array(ConsentFlag),
  tags: z.array(z.string()),
  /** Newest first. */
  notes: z.array(CustomerNote),
  createdAt: Timestamp,
  /** Set while this record is merged into another: the desk shows that one instead. */
  mergedInto: Id.nullable(),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

/** A search hit, a resolution candidate. */
export const CustomerSummary = z.object({
  id: Id,
  name: z.string(),
  segment: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const CustomerSearchQuery = z.object({
  query: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const TimelineBase = z.object({ id: z.string(), at: Timestamp });

export const TimelineConversation = TimelineBase.extend({
  kind: z.literal('conversation'),
  channel: Channel,
  subject: z.string().nullable(),
  status: ConversationStatus,
  assigneeName: z.string().nullable(),
  createdAt: Timestamp,
  messageCount: z.number().int(),
  /** The last few messages, oldest first, PII masked. */
  lastMessages: z.array(Message),
});

export const TimelineCall = TimelineBase.extend({
  kind: z.literal('call'),
  direction: CallRecord.shape.direction,
  remote: z.string(),
  agentName: z.string().nullable(),
  state: CallRecord.shape.state,
  endReason: z.string().nullable(),
  talkSeconds: z.number().nullable(),
  holdSeconds: z.number(),
  disposition: z.object({ code: z.string(), label: z.string() }).nullable(),
  note: z.string().nullable(),
});

export const TimelineSurvey = TimelineBase.extend({
  kind: z.literal('survey'),
  conversationId: z.string().nullable(),
  csat: z.number().nullable(),
  nps: z.number().nullable(),
  ces: z.number().nullable(),
});

export const TimelineNote = TimelineBase.extend({
  kind: z.literal('note'),
  body: z.string(),
  authorName: z.string().nullable(),
});

export const TimelineItem = z.discriminatedUnion('kind', [
  TimelineConversation,
  TimelineCall,
  TimelineSurvey,
  TimelineNote,
]);
export type TimelineItem = z.infer<typeof TimelineItem>;
export type TimelineKind = TimelineItem['kind'];

export const TimelineQuery = z.object({
  /** The `nextCursor` of the previous page. */
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const TimelinePage = z.object({
  /** Newest first. */
  items: z.array(TimelineItem),
  nextCursor: z.string().nullable(),
});
export type TimelinePage = z.infer<typeof TimelinePage>;

export const AddNoteRequest = z.object({ body: z.string().trim().min(1).max(MAX_NOTE_LENGTH) });
export const PutTagsRequest = z.object({ tags: z.array(Tag).max(MAX_TAGS) });
export const MergeRequest = z.object({ otherId: Id });

export const MergeResult = z.object({
  mergeId: Id,
  survivor: CustomerProfile,
  mergedId: Id,
});
export type MergeResult = z.infer<typeof MergeResult>;

export const UndoMergeResult = z.object({
  survivor: CustomerProfile,
  restored: CustomerProfile,
});
export type UndoMergeResult = z.infer<typeof UndoMergeResult>;

/** `POST /api/v1/messages/:id/reveal`: the raw body, for roles that may see it. Audited. */
export const RevealedMessage = z.object({ id: Id, body: z.string() });
export type RevealedMessage = z.infer<typeof RevealedMessage>;

/** What a channel knows about who is writing or calling. */
export const IdentityHints = z.object({
  phone: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
  visitorId: z.string().max(200).optional(),
  /** A messenger (상담톡) user key: the provider's stable id of the customer on that channel. */
  messengerKey: z.string().max(200).optional(),
  /** Used only to create a customer and to suggest weak candidates; never to link. */
  name: z.string().max(100).optional(),
});
export type IdentityHints = z.infer<typeof IdentityHints>;

export const IdentityResolution = z.object({
  /** The customer the exact matches point to (or the one just created); null when nothing matched and no name was given. */
  customerId: Id.nullable(),
  created: z.boolean(),
  /** Channels whose handle was newly attached to `customerId`. */
  linked: z.array(Channel),
  /** Other records that look like the same person (same name, or a handle that points elsewhere). An agent confirms by merging. */
  candidates: z.array(CustomerSummary),
});
export type IdentityResolution = z.infer<typeof IdentityResolution>;
