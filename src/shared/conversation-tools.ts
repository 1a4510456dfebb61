/**
 * The conversation view's tools, typed once for the hub and the desk: tags,
 * transfer, snooze, resolve and reopen, merge; internal-note @mentions; who
 * else is looking at a conversation (presence, ephemeral); per-channel reply
 * limits; canned responses with their variables; CRM orders.
 *
 * See docs/agent-guide.md and docs/protocol.md.
 */
import { z } from 'zod';
import { type Channel, Id, Timestamp } from './domain';

const CommandId = z.string().min(8).max(64);

/** A tag on a conversation: short, no spaces at the ends, no control characters. */
export const ConversationTag = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[^\p{Cc},]+$/u, 'no commas or control characters');

export const TagConversationCommand = z
  .object({ commandId: CommandId, conversationId: Id, tag: ConversationTag, on: z.boolean() })
  .strict();
export type TagConversationCommand = z.infer<typeof TagConversationCommand>;

/** Transfer to an agent (assigned at once) or to a queue (re-offered by the ACD). */
export const TransferConversationCommand = z
  .object({
    commandId: CommandId,
    conversationId: Id,
    to: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('agent'), agentId: Id }),
      z.object({ kind: z.literal('queue'), queueId: Id }),
    ]),
  })
  .strict();
export type TransferConversationCommand = z.infer<typeof TransferConversationCommand>;

/** Longest snooze: 30 days. */
export const MAX_SNOOZE_MS = 30 * 24 * 3600 * 1000;
export const SnoozeConversationCommand = z
  .object({ commandId: CommandId, conversationId: Id, until: Timestamp })
  .strict();
export type SnoozeConversationCommand = z.infer<typeof SnoozeConversationCommand>;

/** Resolve or reopen (also wakes a snoozed conversation early). */
export const SetConversationStatusCommand = z
  .object({ commandId: CommandId, conversationId: Id, status: z.enum(['resolved', 'open']) })
  .strict();
export type SetConversationStatusCommand = z.infer<typeof SetConversationStatusCommand>;

/** Moves `otherId`'s messages into `conversationId`; the other is resolved and points here. */
export const MergeConversationsCommand = z
  .object({ commandId: CommandId, conversationId: Id, otherId: Id })
  .strict();
export type MergeConversationsCommand = z.infer<typeof MergeConversationsCommand>;

/** The desk tells the hub which conversation it shows and whether the agent is typing (ephemeral). */
export const PresenceCommand = z
  .object({ conversationId: Id.nullable(), typing: z.boolean().default(false) })
  .strict();
export type PresenceCommand = z.input<typeof PresenceCommand>;

/** The conversation's tools state the view shows beside the messages. */
export const ConversationDetails = z.object({
  conversationId: Id,
  tags: z.array(z.string()),
  snoozedUntil: Timestamp.nullable(),
  mergedInto: Id.nullable(),
});
export type ConversationDetails = z.infer<typeof ConversationDetails>;

/** Someone else with the conversation open (`typing` while they write). */
export interface ConversationViewer {
  userId: string;
  name: string;
  typing: boolean;
}
/** Hub → desk, ephemeral: who else has the conversation open right now. */
export interface ConversationPresence {
  conversationId: string;
  viewers: ConversationViewer[];
}

/** A note mentioned you: in the event log, delivered to the mentioned agent's desk. */
export const NoteMentioned = z.object({
  conversationId: Id,
  messageId: Id,
  authorId: Id,
  authorName: z.string(),
  body: z.string(),
  subject: z.string().nullable(),
  createdAt: Timestamp,
});
export type NoteMentioned = z.infer<typeof NoteMentioned>;

/** `@name` tokens of a note: usernames or display names without spaces. */
export function mentionTokens(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(/(?:^|[\s(])@([\p{L}\p{N}._-]{1,64})/gu)) out.add(m[1]!);
  return [...out];
}

/**
 * Longest reply per channel, in characters. A messenger reply is cut by the
 * provider at 1,000; the hub's configuration may lower or raise any of these.
 */
export const DEFAULT_REPLY_LIMITS: Record<Channel, number> = {
  voice: 2000,
  webchat: 2000,
  email: 10000,
  // An LMS holds 2,000 bytes as carriers count them (Hangul 2 bytes each): the SMS adapter checks the bytes.
  sms: 2000,
  messenger: 1000,
};
export const ReplyLimits = z.object({
  voice: z.number().int().min(1).max(10000),
  webchat: z.number().int().min(1).max(10000),
  email: z.number().int().min(1).max(10000),
  sms: z.number().int().min(1).max(10000),
  messenger: z.number().int().min(1).max(10000),
});
export type ReplyLimits = z.infer<typeof ReplyLimits>;

/** One order of the customer, as the CRM connector returns it. */
export const CrmOrder = z.object({
  number: z.string().min(1).max(64),
  placedAt: Timestamp,
  status: z.string().max(64),
  total: z.number(),
  currency: z.string().max(8).default('KRW'),
  items: z.array(z.string().max(200)).max(50).default([]),
});
export type CrmOrder = z.infer<typeof CrmOrder>;
export const CustomerOrders = z.object({ customerId: Id, orders: z.array(CrmOrder) });
export type CustomerOrders = z.infer<typeof CustomerOrders>;

/** A canned response's attachment (stored on the hub, copied to the conversation when sent). */
export const CannedAttachment = z.object({
  id: Id,
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
export type CannedAttachment = z.infer<typeof CannedAttachment>;
export const CannedResponseView = z.object({
  id: Id,
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  attachments: z.array(CannedAttachment),
});
export type CannedResponseView = z.infer<typeof CannedResponseView>;

/** Sends a canned response: the filled text, and its attachments copied to the conversation. */
export const SendCannedCommand = z
  .object({
    commandId: CommandId,
    conversationId: Id,
    cannedId: Id,
    body: z.string().trim().min(1).max(10_000),
  })
  .strict();
export type SendCannedCommand = z.infer<typeof SendCannedCommand>;

export interface CannedVariables {
  customerName: string | null;
  agentName: string | null;
  orderNumber: string | null;
}

/**
 * Fills a canned response's variables. Both spellings work: `{{customer.name}}`
 * (what HQ's group configuration ships) and `{customer name}` / `{고객명}`.
 * A variable without a value stays visible as typed, so the agent sees what to fill.
 */
export function fillCannedResponse(body: string, vars: CannedVariables): string {
  const value = (key: string): string | null => {
    const k = key
      .trim()
      .toLowerCase()
      .replace(/[\s._]+/g, ' ');
    if (k === 'customer name' || k === '고객명' || k === '고객 이름') return vars.customerName;
    if (k === 'agent name' || k === '상담원명' || k === '상담원 이름') return vars.agentName;
    if (k === 'order number' || k === '주문번호' || k === '주문 번호') return vars.orderNumber;
    return null;
  };
  return body.replace(/\{\{([^{}]{1,40})\}\}|\{([^{}]{1,40})\}/g, (whole, a?: string, b?: string) => {
    const v = value((a ?? b)!);
    return v === null || v === '' ? whole : v;
  });
}

/** A customer answered the survey: the assignee's desk refreshes the 360 panel (also in the site log for KPIs). */
export const SurveyAnswered = z.object({
  conversationId: Id,
  customerId: Id,
  csat: z.number(),
  nps: z.number().nullable(),
  ces: z.number().nullable(),
});
export type SurveyAnswered = z.infer<typeof SurveyAnswered>;
