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
import type { AgentStatus, Conversation, Message } from './domain';
import { AgentStateName, Id, MAX_MESSAGE_LENGTH, Timestamp } from './domain';
import type { Result } from './errors';

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
  })
  .strict();
export type SendMessageCommand = z.input<typeof SendMessageCommand>;

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
}

/** Events the desk receives, by type, with their payloads. Dotted and past tense. */
export interface DeskEventPayloads {
  'agent.state_changed': AgentStatus;
  'conversation.created': Conversation;
  'conversation.assigned': Conversation;
  'conversation.updated': Conversation;
  'message.created': Message;
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
}

/** socket.io handshake `auth` payload. */
export const HandshakeAuth = z.object({ token: z.string().min(1) });
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
