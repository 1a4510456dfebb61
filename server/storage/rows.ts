/** Row → domain mapping, in one place so every service returns the shared types. */
import type {
  AgentStatus,
  CannedResponse,
  Channel,
  Conversation,
  ConversationStatus,
  Disposition,
  Message,
  MessageDelivery,
  MessageDirection,
  Queue,
  ReasonCode,
  Role,
  Site,
  Skill,
  Team,
  User,
} from '@shared/domain';
import { QueueRouting } from '@shared/domain';
import type { Selectable } from 'kysely';
import { maskPii } from '../pii/pii-detectors';
import type {
  AgentStatusTable,
  CannedResponsesTable,
  ConversationsTable,
  DispositionsTable,
  MessageDeliveriesTable,
  MessagesTable,
  QueuesTable,
  ReasonCodesTable,
  SitesTable,
  SkillsTable,
  TeamsTable,
  UsersTable,
} from './schema';

export const iso = (ms: number | null): string | null =>
  ms === null ? null : new Date(Number(ms)).toISOString();
const isoNN = (ms: number): string => new Date(Number(ms)).toISOString();

export const toSite = (r: Selectable<SitesTable>): Site => ({
  id: r.id,
  code: r.code,
  name: r.name,
  timezone: r.timezone,
});
export const toTeam = (r: Selectable<TeamsTable>): Team => ({ id: r.id, siteId: r.site_id, name: r.name });
export const toSkill = (r: Selectable<SkillsTable>): Skill => ({ id: r.id, siteId: r.site_id, name: r.name });
export const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  siteId: r.site_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  teamId: r.team_id,
  skills: JSON.parse(r.skills_json) as User['skills'],
  active: Number(r.active) === 1,
});
export const toQueue = (r: Selectable<QueuesTable>): Queue => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  channels: JSON.parse(r.channels_json) as Channel[],
  skills: JSON.parse(r.skills_json) as Queue['skills'],
  priority: Number(r.priority),
  slaSeconds: Number(r.sla_seconds),
  slaTargetPct: Number(r.sla_target_pct),
  routing: QueueRouting.parse(JSON.parse(r.routing_json || '{}')),
});
export const toReasonCode = (r: Selectable<ReasonCodesTable>): ReasonCode => ({
  id: r.id,
  siteId: r.site_id,
  code: r.code,
  label: r.label,
  kind: r.kind as ReasonCode['kind'],
});
export const toDisposition = (r: Selectable<DispositionsTable>): Disposition => ({
  id: r.id,
  siteId: r.site_id,
  code: r.code,
  label: r.label,
});
export const toCannedResponse = (r: Selectable<CannedResponsesTable>): CannedResponse => ({
  id: r.id,
  siteId: r.site_id,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
});
export const toConversation = (r: Selectable<ConversationsTable>): Conversation => ({
  id: r.id,
  siteId: r.site_id,
  customerId: r.customer_id,
  channel: r.channel as Channel,
  queueId: r.queue_id,
  status: r.status as ConversationStatus,
  priority: Number(r.priority),
  assigneeId: r.assignee_id,
  subject: r.subject,
  waitingSince: iso(r.waiting_since),
  createdAt: isoNN(r.created_at),
  lastMessageAt: iso(r.last_message_at),
});
/**
 * Every message that leaves the hub (API, acks, events, the log HQ receives)
 * passes here, so this is where RRNs and card numbers are masked; the table
 * keeps the raw text for `POST /messages/:id/reveal`.
 */
export const toMessage = (
  r: Omit<Selectable<MessagesTable>, 'channel' | 'provider_message_id'> & { channel?: string | null },
): Message => {
  const body = maskPii(r.body);
  return {
    id: r.id,
    conversationId: r.conversation_id,
    direction: r.direction as MessageDirection,
    authorId: r.author_id,
    body,
    clientId: r.client_id,
    createdAt: isoNN(r.created_at),
    ...(body !== r.body ? { masked: true } : {}),
    ...(r.channel ? { channel: r.channel as Channel } : {}),
  };
};
export const toAgentStatus = (r: Selectable<AgentStatusTable>): AgentStatus => ({
  userId: r.user_id,
  state: r.state as AgentStatus['state'],
  reasonCodeId: r.reason_code_id,
  since: isoNN(r.since),
});

/** An outbound message's delivery (migration 0013) as the desk sees it. */
export const toDelivery = (r: Selectable<MessageDeliveriesTable>): MessageDelivery => ({
  messageId: r.message_id,
  conversationId: r.conversation_id,
  channel: r.channel as Channel,
  status: r.status as MessageDelivery['status'],
  kind: r.kind as MessageDelivery['kind'],
  attempts: Number(r.attempts),
  providerMessageId: r.provider_message_id,
  reason: r.reason as MessageDelivery['reason'],
  detail: r.detail,
  updatedAt: isoNN(r.updated_at),
});
