/**
 * Kysely table types. Column names are snake_case in SQL; the services map rows
 * to the camelCase domain types of src/shared. Times are epoch milliseconds
 * (bigint), booleans are 0/1 and lists are JSON text, so the same SQL runs on
 * SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface SitesTable {
  id: string;
  code: string;
  name: string;
  timezone: string;
  created_at: number;
  /** SiteRouting as JSON ('{}' = defaults). */
  routing_json: Generated<string>;
}
export interface TeamsTable {
  id: string;
  site_id: string;
  name: string;
}
export interface SkillsTable {
  id: string;
  site_id: string;
  name: string;
}
export interface UsersTable {
  id: string;
  site_id: string;
  username: string;
  display_name: string;
  role: string;
  team_id: string | null;
  skills_json: string;
  password_hash: string;
  active: number;
  created_at: number;
}
export interface QueuesTable {
  id: string;
  site_id: string;
  name: string;
  channels_json: string;
  skills_json: string;
  priority: number;
  sla_seconds: number;
  sla_target_pct: number;
  /** QueueRouting as JSON ('{}' = defaults). */
  routing_json: Generated<string>;
}
export interface ReasonCodesTable {
  id: string;
  site_id: string;
  code: string;
  label: string;
  kind: string;
}
export interface DispositionsTable {
  id: string;
  site_id: string;
  code: string;
  label: string;
}
export interface CannedResponsesTable {
  id: string;
  site_id: string;
  shortcut: string;
  title: string;
  body: string;
}
export interface CustomersTable {
  id: string;
  site_id: string;
  name: string;
  segment: string | null;
  created_at: number;
}
export interface IdentitiesTable {
  id: string;
  site_id: string;
  customer_id: string;
  channel: string;
  handle: string;
}
export interface ConversationsTable {
  id: string;
  site_id: string;
  customer_id: string;
  channel: string;
  queue_id: string | null;
  status: string;
  priority: number;
  assignee_id: string | null;
  subject: string | null;
  waiting_since: number | null;
  created_at: number;
  last_message_at: number | null;
  /** 0012: while `snoozed`, when it wakes up back to its assignee. */
  snoozed_until: Generated<number | null>;
  /** 0012: set when merged into another conversation of the same customer. */
  merged_into: Generated<string | null>;
}
export interface MessagesTable {
  id: string;
  site_id: string;
  conversation_id: string;
  direction: string;
  author_id: string | null;
  body: string;
  client_id: string | null;
  created_at: number;
  /** 0013: the channel it went by (null: the conversation's own). */
  channel: Generated<string | null>;
  /** 0013: the provider's id of an inbound message; unique per site and channel. */
  provider_message_id: Generated<string | null>;
}
/** 0013: where an outbound message on an adapter channel stands (`MessageDelivery`). */
export interface MessageDeliveriesTable {
  message_id: string;
  site_id: string;
  conversation_id: string;
  channel: string;
  /** The handle sent to: E.164 phone, messenger user key, email address. */
  recipient: string;
  /** queued | sent | delivered | failed */
  status: string;
  kind: string | null;
  attempts: number;
  /** When the dispatcher tries (again); null once sent or failed. */
  next_attempt_at: number | null;
  provider_message_id: string | null;
  reason: string | null;
  detail: string | null;
  /** What the adapter needs besides the body (attachment, buttons, template), as JSON. */
  request_json: string;
  created_at: number;
  updated_at: number;
}
/** 0013: nonces (provider message / report ids) of signed webhooks seen within the timestamp window. */
export interface WebhookNoncesTable {
  channel: string;
  nonce: string;
  received_at: number;
}
/** 0013: a messenger consultation session: the user key may be answered until `expires_at`. */
export interface ChannelSessionsTable {
  id: string;
  site_id: string;
  channel: string;
  handle: string;
  conversation_id: string;
  opened_at: number;
  last_inbound_at: number;
  expires_at: number;
  ended_at: number | null;
}
/** 0015: one mail, in or out, beside its row in `messages` (same id). */
export interface EmailMessagesTable {
  message_id: string;
  site_id: string;
  conversation_id: string;
  direction: string;
  /** The Message-ID header, with angle brackets. */
  header_message_id: string;
  in_reply_to: string | null;
  /** References header ids, space-separated, oldest first. */
  references_text: string;
  subject: string;
  /** Subject without Re:/Fwd:/회신:, lower-cased: threading's last resort. */
  thread_subject: string;
  from_address: string;
  from_name: string;
  to_json: string;
  cc_json: string;
  /** Sanitised HTML of what was written now (never the raw HTML). */
  html: string | null;
  quoted_html: string | null;
  quoted_text: string | null;
  /** Why an inbound mail is machine-made and got no reply (email-loops.ts), or null. */
  auto_reason: string | null;
  /** Why the MIME was broken (stored as best effort), or null. */
  malformed: string | null;
  /** in: received | auto | bounce; out: queued | sent | failed. */
  status: string;
  status_detail: string | null;
  created_at: number;
  updated_at: number;
}
/** 0015: a mail's attachment; the bytes are in dataDir/email/attachments/<site>/<id> when `stored`. */
export interface EmailAttachmentsTable {
  id: string;
  site_id: string;
  conversation_id: string;
  message_id: string;
  name: string;
  content_type: string;
  size: number;
  content_id: string | null;
  /** 0: over the size limit, kept by name and size only. */
  stored: number;
  created_at: number;
}
/** 0015: how far the hub has read a mailbox (IMAP UIDVALIDITY and the last UID stored). */
export interface EmailCursorsTable {
  mailbox: string;
  uid_validity: string;
  last_uid: number;
  updated_at: number;
}
export interface ConversationTagsTable {
  site_id: string;
  conversation_id: string;
  tag: string;
  created_at: number;
}
export interface AgentStatusTable {
  user_id: string;
  site_id: string;
  state: string;
  reason_code_id: string | null;
  since: number;
}
export interface AgentStateHistoryTable {
  id: Generated<number>;
  site_id: string;
  user_id: string;
  state: string;
  reason_code_id: string | null;
  started_at: number;
  ended_at: number | null;
}
/** The append-only event log of a site (DESIGN principle 1). */
export interface EventsTable {
  site_id: string;
  seq: number;
  type: string;
  payload: string;
  at: number;
}
export interface SiteCountersTable {
  site_id: string;
  last_seq: number;
}
/** Per-user fan-out of the event log: the desk's `seq` is this table's `seq`. */
export interface UserFeedTable {
  user_id: string;
  seq: number;
  site_id: string;
  event_seq: number;
}
export interface UserCursorsTable {
  user_id: string;
  last_seq: number;
}
/** Results of commands already executed, by idempotency key. */
export interface CommandsTable {
  user_id: string;
  command_id: string;
  name: string;
  result: string;
  at: number;
}
export interface AuditLogTable {
  id: Generated<number>;
  site_id: string | null;
  actor_id: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
  at: number;
}

export interface FederationLinkTable {
  id: string;
  hq_url: string;
  member_id: string;
  key: string;
  enrolled_at: number;
}
export interface FederationCursorsTable {
  site_id: string;
  acked_seq: number;
  acked_at: number;
}
export interface HqEnrollmentsTable {
  token_hash: string;
  name: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  member_id: string | null;
}
export interface HqMembersTable {
  id: string;
  name: string;
  key: string;
  enrolled_at: number;
  revoked_at: number | null;
}
export interface HqSitesTable {
  site_id: string;
  member_id: string;
  last_seq: number;
  head_seq: number;
  last_contact_at: number | null;
  last_event_at: number | null;
}

/** One routed piece of work (a chat, a call, an email) and where it stands. */
export interface WorkItemsTable {
  id: string;
  site_id: string;
  /** Enqueue order, for FIFO across restarts. */
  seq: number;
  conversation_id: string | null;
  channel: string;
  /** The queue it waits in now (changes on overflow). */
  queue_id: string;
  original_queue_id: string;
  priority: number;
  vip: number;
  complexity: string | null;
  customer_id: string | null;
  last_agent_id: string | null;
  enqueued_at: number;
  queue_entered_at: number;
  /** scheduled | waiting | offered | active | wrap_up | done | abandoned | expired */
  status: string;
  agent_id: string | null;
  offer_expires_at: number | null;
  accepted_at: number | null;
  wrap_up_until: number | null;
  /** For `scheduled` (an out-of-hours callback or voicemail): when it joins the queue. */
  due_at: number | null;
  wait_ms: number | null;
  ended_at: number | null;
}
/** A number callers dial that rings a queue (Kamailio asks the hub, see server/telephony/queue-calls.ts). */
export interface QueueNumbersTable {
  /** The dialled user part as Kamailio sees it (`1588`, `+8215881234`). */
  number: string;
  site_id: string;
  queue_id: string;
}
/** A call to a queue number: the voice work item behind it and whose desk rings now. */
export interface QueueCallsTable {
  item_id: string;
  site_id: string;
  sip_call_id: string;
  number: string;
  caller: string;
  agent_id: string | null;
  /** Agents rung so far. */
  attempts: number;
  created_at: number;
}
/** Today's queue counters per site (service level, abandoned…), so a restart keeps them. */
export interface RoutingCountersTable {
  site_id: string;
  day: string;
  counters_json: string;
}

export interface HqSiteUsersTable {
  user_id: string;
  site_id: string;
  display_name: string;
  role: string;
  active: number;
}

export interface HqConfigTable {
  kind: string;
  key: string;
  version: number;
  /** JSON; null once deleted at HQ (a tombstone the centers apply). */
  payload: string | null;
  updated_at: number;
}
export interface HqConfigOverridesTable {
  site_id: string;
  kind: string;
  key: string;
  reported_at: number;
}
export interface GroupConfigAppliedTable {
  site_id: string;
  kind: string;
  key: string;
  version: number;
  local_id: string;
  overridden: Generated<number>;
}

/** A web chat visitor's session: one browser, one conversation (issue 4). */
export interface WebchatSessionsTable {
  id: string;
  site_id: string;
  customer_id: string;
  conversation_id: string;
  queue_id: string;
  work_item_id: string | null;
  lang: string;
  /** When the customer consented to the collection of personal data, and to which text. */
  consent_at: number;
  consent_version: string;
  /** Agent has read the visitor's feed up to this seq; the visitor has read up to visitor_read_seq. */
  agent_read_seq: number;
  visitor_read_seq: number;
  resolved_at: number | null;
  created_at: number;
}
/** What the visitor of a conversation receives, with its own seq (resume after the last one). */
export interface WebchatFeedTable {
  conversation_id: string;
  seq: number;
  type: string;
  payload: string;
  /** The message id for message events, so a message is in the feed once. */
  ref: string | null;
  at: number;
}
export interface WebchatAttachmentsTable {
  id: string;
  site_id: string;
  conversation_id: string;
  message_id: string;
  name: string;
  content_type: string;
  size: number;
  created_at: number;
}
/** 0012: a file a canned response carries; bytes under `<dataDir>/canned/<siteId>/<id>`. */
export interface CannedAttachmentsTable {
  id: string;
  site_id: string;
  canned_id: string;
  name: string;
  content_type: string;
  size: number;
  created_at: number;
}
export interface SurveysTable {
  id: string;
  site_id: string;
  conversation_id: string;
  customer_id: string;
  csat: number;
  nps: number | null;
  ces: number | null;
  answered_at: number;
}

/** A site's survey template (migration 0016_multisite): questions as `SurveyQuestions` JSON. */
export interface SurveyTemplatesTable {
  id: string;
  site_id: string;
  name: string;
  questions_json: string;
}
/** HQ: a consenting customer's consultations at one site, shared with the group (PII masked). */
export interface HqSharedCustomersTable {
  site_id: string;
  /** The customer's id at that site. */
  customer_ref: string;
  consent_at: number;
  /** `SharedConsultation[]` as JSON. */
  entries_json: string;
  updated_at: number;
}
/** HQ: SHA-256 of a shared customer's normalised phone/email, to find them from another site. */
export interface HqSharedKeysTable {
  key_hash: string;
  site_id: string;
  customer_ref: string;
}
/** A site's side of an overflow between sites, in either direction; the id is the transfer id. */
export interface OverflowTransfersTable {
  id: string;
  site_id: string;
  /** out: work this site sent away; in: work it received. */
  direction: string;
  work_item_id: string | null;
  conversation_id: string | null;
  to_site_code: string;
  to_queue: string;
  /** out: committed | delivered | returned; in: received. */
  state: string;
  created_at: number;
  updated_at: number;
}
/** HQ: one overflow it relays, the single place its state is decided. */
export interface HqOverflowTable {
  transfer_id: string;
  from_site_id: string;
  to_site_id: string;
  to_queue: string;
  /** `OverflowPayload` JSON: the conversation with its history. */
  payload: string;
  /** committed | delivered | done | returned | refused */
  state: string;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface Schema {
  sites: SitesTable;
  teams: TeamsTable;
  skills: SkillsTable;
  users: UsersTable;
  queues: QueuesTable;
  reason_codes: ReasonCodesTable;
  dispositions: DispositionsTable;
  canned_responses: CannedResponsesTable;
  customers: CustomersTable;
  identities: IdentitiesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  message_deliveries: MessageDeliveriesTable;
  webhook_nonces: WebhookNoncesTable;
  channel_sessions: ChannelSessionsTable;
  conversation_tags: ConversationTagsTable;
  email_messages: EmailMessagesTable;
  email_attachments: EmailAttachmentsTable;
  email_cursors: EmailCursorsTable;
  agent_status: AgentStatusTable;
  agent_state_history: AgentStateHistoryTable;
  events: EventsTable;
  site_counters: SiteCountersTable;
  user_feed: UserFeedTable;
  user_cursors: UserCursorsTable;
  commands: CommandsTable;
  audit_log: AuditLogTable;
  federation_link: FederationLinkTable;
  federation_cursors: FederationCursorsTable;
  hq_enrollments: HqEnrollmentsTable;
  hq_members: HqMembersTable;
  hq_sites: HqSitesTable;
  work_items: WorkItemsTable;
  hq_site_users: HqSiteUsersTable;
  hq_config: HqConfigTable;
  hq_config_overrides: HqConfigOverridesTable;
  group_config_applied: GroupConfigAppliedTable;
  routing_counters: RoutingCountersTable;
  webchat_sessions: WebchatSessionsTable;
  webchat_feed: WebchatFeedTable;
  webchat_attachments: WebchatAttachmentsTable;
  surveys: SurveysTable;
  survey_templates: SurveyTemplatesTable;
  hq_shared_customers: HqSharedCustomersTable;
  hq_shared_keys: HqSharedKeysTable;
  overflow_transfers: OverflowTransfersTable;
  hq_overflow: HqOverflowTable;
  canned_attachments: CannedAttachmentsTable;
  queue_numbers: QueueNumbersTable;
  queue_calls: QueueCallsTable;
}
