/**
 * The web chat visitor protocol: what the widget (a customer's browser) and
 * the hub say to each other. REST starts a chat and carries attachments; the
 * socket.io namespace `/visitor` carries messages, typing, read receipts and
 * the survey. Like the desk protocol, sends are acked after commit and carry
 * a client id; hub → visitor events carry a per-conversation `seq` so a
 * reconnecting widget asks for everything after the last one it showed.
 *
 * See docs/webchat.md.
 */
import { z } from 'zod';
import type { Result } from './errors';
import type { SurveyForm } from './surveys';

export const VISITOR_NAMESPACE = '/visitor';
export const WEBCHAT_PREFIX = '/api/v1/webchat';
/** Longest visitor message, in characters. */
export const MAX_VISITOR_MESSAGE = 2000;
/** Largest attachment, in bytes. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
/** A customer writing this long after resolve reopens the conversation; later starts a new one. */
export const REOPEN_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Version of the consent text the pre-chat form shows; stored with the consent. */
export const CONSENT_VERSION = '2026-01';

const ClientId = z.string().min(8).max(64);

export const StartChatRequest = z
  .object({
    /** Site code (`data-site`), e.g. `seoul`. */
    site: z.string().min(1).max(32),
    /** Queue name (`data-queue`); the site's '일반 문의' when absent. */
    queue: z.string().min(1).max(100).optional(),
    name: z.string().trim().min(1).max(100),
    phone: z.string().trim().max(32).optional(),
    email: z.string().trim().email().max(320).optional(),
    consent: z.literal(true),
    body: z.string().trim().min(1).max(MAX_VISITOR_MESSAGE),
    lang: z.enum(['ko', 'en']).default('ko'),
  })
  .strict()
  .refine((v) => Boolean(v.phone) || Boolean(v.email), {
    message: 'phone or email is required',
    path: ['phone'],
  });
export type StartChatRequest = z.input<typeof StartChatRequest>;

export interface QueueStanding {
  /** queued: waiting in line; scheduled/closed: out of hours; assigned: an agent has it; resolved. */
  status: 'queued' | 'scheduled' | 'closed' | 'assigned' | 'resolved';
  position: number | null;
  ewtSeconds: number | null;
  /** The queue's out-of-hours message. */
  message: string | null;
  opensAt: string | null;
}

export interface StartChatResponse extends QueueStanding {
  token: string;
  conversationId: string;
}

export interface VisitorAttachment {
  id: string;
  name: string;
  contentType: AttachmentType;
  size: number;
}

export interface VisitorMessage {
  id: string;
  direction: 'in' | 'out';
  body: string;
  /** The agent's display name on replies; null for the customer's own messages. */
  author: string | null;
  attachment: VisitorAttachment | null;
  clientId: string | null;
  createdAt: string;
}

export interface VisitorEventPayloads {
  'message.created': VisitorMessage;
  'conversation.assigned': { agentName: string };
  /** The agent finished: the widget asks for the survey. */
  'conversation.resolved': { surveyRequested: boolean; survey?: SurveyForm };
  'conversation.reopened': Record<string, never>;
}
export type VisitorEventType = keyof VisitorEventPayloads;
export type VisitorEvent = {
  [K in VisitorEventType]: { seq: number; type: K; payload: VisitorEventPayloads[K]; at: string };
}[VisitorEventType];

export const VisitorSendCommand = z
  .object({ clientId: ClientId, body: z.string().trim().min(1).max(MAX_VISITOR_MESSAGE) })
  .strict();
export const VisitorResumeCommand = z.object({ afterSeq: z.number().int().min(0) }).strict();
export const VisitorTypingCommand = z.object({ typing: z.boolean() }).strict();
export const VisitorReadCommand = z.object({ upToSeq: z.number().int().min(0) }).strict();
export const SurveyAnswer = z
  .object({
    csat: z.number().int().min(1).max(5),
    nps: z.number().int().min(0).max(10).nullable().optional(),
    ces: z.number().int().min(1).max(7).nullable().optional(),
  })
  .strict();
export type SurveyAnswer = z.input<typeof SurveyAnswer>;

export interface VisitorWelcome extends QueueStanding {
  conversationId: string;
  headSeq: number;
  agentName: string | null;
  /** The agent has read the customer's events up to this seq. */
  agentReadSeq: number;
  surveyPending: boolean;
  /** The questions to ask while the survey is pending (the site's template), else null. */
  survey: SurveyForm | null;
}

export interface VisitorSendResult {
  message: VisitorMessage;
  seq: number;
  /** Set when this message started a new conversation (the old one was resolved over 24 h ago). */
  token?: string;
  conversationId: string;
}

export interface VisitorToHubEvents {
  'message.send': (
    input: z.input<typeof VisitorSendCommand>,
    ack: (r: Result<VisitorSendResult>) => void,
  ) => void;
  'session.resume': (
    input: z.input<typeof VisitorResumeCommand>,
    ack: (r: Result<{ events: VisitorEvent[]; headSeq: number; agentReadSeq: number }>) => void,
  ) => void;
  typing: (input: z.input<typeof VisitorTypingCommand>) => void;
  read: (input: z.input<typeof VisitorReadCommand>) => void;
  'survey.answer': (input: SurveyAnswer, ack: (r: Result<{ stored: true }>) => void) => void;
}

export interface HubToVisitorEvents {
  welcome: (w: VisitorWelcome) => void;
  event: (e: VisitorEvent) => void;
  /** Ephemeral: the agent is typing (not logged, not replayed). */
  typing: (t: { typing: boolean }) => void;
  /** The agent has read up to this seq. */
  read: (r: { upToSeq: number }) => void;
  /** Where the chat stands in line, pushed while it waits. */
  queue: (q: QueueStanding) => void;
}

/** What the desk's socket receives about a visitor (ephemeral, not in the event log). */
export interface VisitorSignal {
  conversationId: string;
  typing?: boolean;
  readUpToSeq?: number;
  /** When the newest agent reply the visitor has read was sent: the desk marks replies up to it read. */
  readUpTo?: string;
}

/** Content type from the first bytes of a file, or null when it is not one we take. */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  const at = (i: number, ...sig: number[]) => sig.every((b, k) => bytes[i + k] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (at(4, 0x37, 0x61) || at(4, 0x39, 0x61))) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}
