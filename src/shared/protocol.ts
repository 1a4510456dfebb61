/**
 * The realtime protocol between the desk and the hub (socket.io).
 *
 * - Client → hub: commands. Each carries a client-generated `commandId`
 *   (idempotency key) and is answered by an ack `Result<T>` only after the hub
 *   has committed. A client retries until it gets an ack; a retried command
 *   returns the first result and changes nothing.
 * - Hub → client: `event` frames carrying a per-user `seq` (1, 2, 3 … with no
 *   gaps). A client that reconnects, or sees a gap, sends `session.resume` with
 *   the last `seq` it applied and receives everything after it. Frames with a
 *   `seq` it already applied are dropped, so nothing is shown twice.
 *
 * See docs/protocol.md.
 */
import { z } from 'zod';
import { LinkButton } from './channels';
import type { AgentStatus, Conversation, Message, MessageDelivery } from './domain';
import { AgentStateName, Channel, Id, MAX_MESSAGE_LENGTH, Timestamp } from './domain';
import type { Result } from './errors';
import type { VisitorSignal } from './webchat';

/** Largest serialized command the hub accepts (bytes of JSON). */
export const MAX_COMMAND_BYTES = 64 * 1024;
/** How many events one `session.resume` answer carries at most; ask again with the last seq for more. */
export const RESUME_PAGE_SIZE = 500;

const CommandId = z.string().min(8).max(64);

export const SetAgentStateCommand = z
  .object({
    commandId: CommandId,
    state: AgentStateName.exclude(['busy']),
    reasonCodeId: Id.nullable().optional(),
  })
  .strict();
export type SetAgentStateCommand = z.infer<typeof SetAgentStateCommand>;

export const SendMessageCommand = z
  .object({
    commandId: CommandId,
    conversationId: Id,
    body: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH),
    /** `out` goes to the customer; `note` is internal. */
    kind: z.enum(['out', 'note']).default('out'),
    /**
     * Reply on another channel than the conversation's (e.g. answer a web chat or
     * a call-back by SMS); the conversation records the switch. Omitted: its own.
     */
    channel: Channel.optional(),
    /** Messenger link buttons (at most 5 are accepted by that channel). */
    buttons: z.array(LinkButton).max(20).optional(),
  })
  .strict();
export type SendMessageCommand = z.input<typeof SendMessageCommand>;

/** A supervisor sets an agent's state (e.g. not_ready after a long call, or offline for someone who left). */
export const ForceAgentStateCommand = z
  .object({
    commandId: CommandId,
    agentId: Id,
    state: AgentStateName.exclude(['busy', 'wrap_up']),
    reasonCodeId: Id.nullable().optional(),
  })
  .strict();
export type ForceAgentStateCommand = z.infer<typeof ForceAgentStateCommand>;

/** A supervisor hands a conversation to another agent. */
export const ReassignCommand = z.object({ commandId: CommandId, conversationId: Id, agentId: Id }).strict();
export type ReassignCommand = z.infer<typeof ReassignCommand>;

/** Accept or reject an offer the hub made to this agent. */
export const OfferCommand = z.object({ commandId: CommandId, itemId: Id }).strict();
export type OfferCommand = z.infer<typeof OfferCommand>;

/** The agent finished a piece of work (chat resolved, call hung up): wrap-up starts. */
export const CompleteWorkCommand = z.object({ commandId: CommandId, itemId: Id }).strict();
export type CompleteWorkCommand = z.infer<typeof CompleteWorkCommand>;

/** The agent is done wrapping up before the timer. */
export const EndWrapUpCommand = z.object({ commandId: CommandId }).strict();
export type EndWrapUpCommand = z.infer<typeof EndWrapUpCommand>;

/** A supervisor hands waiting work to an agent (themselves when `agentId` is omitted). */
export const PickCommand = z.object({ commandId: CommandId, itemId: Id, agentId: Id.optional() }).strict();
export type PickCommand = z.infer<typeof PickCommand>;

export const ResumeCommand = z.object({ afterSeq: z.number().int().min(0) }).strict();
export type ResumeCommand = z.infer<typeof ResumeCommand>;

export const ListConversationsCommand = z
  .object({
    scope: z.enum(['mine', 'unassigned', 'all']).default('mine'),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListConversationsCommand = z.input<typeof ListConversationsCommand>;

export const ListMessagesCommand = z
  .object({
    conversationId: Id,
    /** Messages created before this message id (paging backwards); omitted for the newest page. */
    before: Id.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListMessagesCommand = z.input<typeof ListMessagesCommand>;

/** zod schema for each command, by event name. The hub validates every payload with these. */
export const COMMAND_SCHEMAS = {
  'agent.setState': SetAgentStateCommand,
  'message.send': SendMessageCommand,
  'session.resume': ResumeCommand,
  'conversation.list': ListConversationsCommand,
  'message.list': ListMessagesCommand,
  'offer.accept': OfferCommand,
  'offer.reject': OfferCommand,
  'work.complete': CompleteWorkCommand,
  'wrapup.end': EndWrapUpCommand,
  'queue.pick': PickCommand,
  'agent.forceState': ForceAgentStateCommand,
  'conversation.reassign': ReassignCommand,
} as const;
export type CommandName = keyof typeof COMMAND_SCHEMAS;
export const COMMAND_NAMES = Object.keys(COMMAND_SCHEMAS) as CommandName[];

export interface ResumeResult {
  events: DeskEvent[];
  /** The newest seq the hub holds for this user; if it is above the last event returned, ask again. */
  headSeq: number;
}

/** What each command's ack carries on success. */
export interface CommandResults {
  'agent.setState': AgentStatus;
  'message.send': Message;
  'session.resume': ResumeResult;
  'conversation.list': Conversation[];
  'message.list': Message[];
  'offer.accept': WorkItemView;
  'offer.reject': WorkItemView;
  'work.complete': WorkItemView;
  'wrapup.end': AgentStatus;
  'queue.pick': WorkItemView;
  'agent.forceState': AgentStatus;
  'conversation.reassign': Conversation;
}

export const WORK_STATUSES = [
  'scheduled',
  'waiting',
  'offered',
  'active',
  'wrap_up',
  'done',
  'abandoned',
  'expired',
] as const;
export const WorkStatus = z.enum(WORK_STATUSES);
export type WorkStatus = z.infer<typeof WorkStatus>;

/** A routed piece of work as desks and supervisors see it. */
export const WorkItemView = z.object({
  id: Id,
  siteId: Id,
  conversationId: Id.nullable(),
  customerId: Id.nullable(),
  channel: Channel,
  queueId: Id,
  priority: z.number(),
  vip: z.boolean(),
  status: WorkStatus,
  agentId: Id.nullable(),
  enqueuedAt: Timestamp,
  offerExpiresAt: Timestamp.nullable(),
  acceptedAt: Timestamp.nullable(),
  wrapUpUntil: Timestamp.nullable(),
});
export type WorkItemView = z.infer<typeof WorkItemView>;

/** An offer on an agent's desk: accept before `expiresAt`, or it moves on. */
export const OfferPayload = z.object({
  item: WorkItemView,
  expiresAt: Timestamp,
  customerName: z.string().nullable(),
  subject: z.string().nullable(),
});
export type OfferPayload = z.infer<typeof OfferPayload>;

export const OFFER_WITHDRAW_REASONS = [
  'rejected',
  'timeout',
  'agent_unavailable',
  'abandoned',
  'picked',
  'requeued',
] as const;
export type OfferWithdrawReason = (typeof OFFER_WITHDRAW_REASONS)[number];
export const OfferWithdrawn = z.object({ itemId: Id, reason: z.enum(OFFER_WITHDRAW_REASONS) });
export type OfferWithdrawn = z.infer<typeof OfferWithdrawn>;

/** Live wallboard numbers: a snapshot, replaced by the next one (not part of the replayed log). */
export interface RoutingStats {
  siteId: string;
  at: string;
  queues: {
    queueId: string;
    name: string;
    waiting: number;
    longestWaitSeconds: number;
    offered: number;
    answered: number;
    abandoned: number;
    serviceLevel: number | null;
    asaSeconds: number | null;
    agentsLoggedIn: number;
  }[];
  agents: {
    agentId: string;
    state: AgentStateName;
    reason?: string;
    secondsInState: number;
    load: number;
    items: number;
  }[];
}

/** Events the desk receives, by type, with their payloads. Dotted and past tense. */
export interface DeskEventPayloads {
  'agent.state_changed': AgentStatus;
  'conversation.created': Conversation;
  'conversation.assigned': Conversation;
  'conversation.updated': Conversation;
  'message.created': Message;
  /** An outbound message's delivery moved (queued → sent → delivered | failed); see channels.ts. */
  'message.delivery_updated': MessageDelivery;
  'offer.created': OfferPayload;
  'offer.withdrawn': OfferWithdrawn;
  'work.updated': WorkItemView;
}
export type DeskEventType = keyof DeskEventPayloads;

export type DeskEvent = {
  [K in DeskEventType]: { seq: number; type: K; payload: DeskEventPayloads[K]; at: string };
}[DeskEventType];

export const DeskEventFrame = z.object({
  seq: z.number().int().positive(),
  type: z.string(),
  payload: z.unknown(),
  at: Timestamp,
});

type Ack<T> = (result: Result<T>) => void;

/** socket.io typing for client → hub. */
export type ClientToHubEvents = {
  [K in CommandName]: (payload: z.input<(typeof COMMAND_SCHEMAS)[K]>, ack: Ack<CommandResults[K]>) => void;
};

/** socket.io typing for hub → client. */
export interface HubToClientEvents {
  event: (event: DeskEvent) => void;
  /** Sent once after connect: who the hub thinks you are and its newest seq for you. */
  welcome: (info: { userId: string; siteId: string; headSeq: number; hubVersion: string }) => void;
  /** Supervisors: the wallboard's live numbers every few seconds (a snapshot, no seq). */
  'routing.stats': (stats: RoutingStats) => void;
  /** Web chat: the customer is typing or has read the agent's replies (ephemeral, no seq). */
  'visitor.signal': (signal: VisitorSignal) => void;
}

/** socket.io handshake `auth` payload. */
export const HandshakeAuth = z.object({ token: z.string().min(1) });
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
