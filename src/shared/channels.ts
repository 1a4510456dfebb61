/**
 * The channel contract shared by the hub's channel adapters (SMS, messenger,
 * email, web chat) and the desk: how a customer's message looks once an
 * adapter has normalised it, what an agent's outbound message may carry per
 * channel (limits checked before anything is stored), and the delivery status
 * every outbound message moves through: `queued → sent → delivered | failed`.
 *
 * See docs/channels.md; the hub side is server/channels/channel-adapter.ts.
 */
import { z } from 'zod';
import type { Channel, MessageDelivery } from './domain';

export {
  DELIVERY_FAILURES,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  DeliveryFailure,
  DeliveryKind,
  DeliveryStatus,
  MessageDelivery,
} from './domain';

/**
 * Why an outbound message was refused before it was stored (`details.reason`
 * of the `VALIDATION_FAILED` / `PAYLOAD_TOO_LARGE` error), so the desk can
 * tell the agent what to change.
 */
export const CHANNEL_LIMIT_REASONS = [
  'TEXT_TOO_LONG',
  'ATTACHMENT_TOO_LARGE',
  'UNSUPPORTED_TYPE',
  'TOO_MANY_BUTTONS',
  'SESSION_EXPIRED',
  'NO_RECIPIENT',
  'CHANNEL_DISABLED',
] as const;
export type ChannelLimitReason = (typeof CHANNEL_LIMIT_REASONS)[number];

export interface ChannelLimitDetails {
  reason: ChannelLimitReason;
  channel: Channel;
  /** The limit that was exceeded (characters, bytes or buttons) and what was asked. */
  limit?: number;
  actual?: number;
  /** What the agent may do instead (e.g. `template` when a messenger session expired). */
  alternatives?: ('template' | 'sms')[];
}

/** What a channel accepts outbound. Checked by the hub before storing; the desk may show it. */
export interface ChannelLimits {
  /** Longest text in characters (messenger: 1,000). */
  maxTextChars?: number;
  /** Longest text in bytes as the carrier counts them (SMS/LMS: EUC-KR, Hangul 2 bytes). */
  maxTextBytes?: number;
  image?: { maxBytes: number; types: readonly string[] };
  file?: { maxBytes: number; types: readonly string[] | 'any' };
  maxButtons?: number;
}

/** SMS: up to 90 bytes is an SMS, up to 2,000 an LMS (with a title), as Korean carriers count. */
export const SMS_MAX_BYTES = 90;
export const LMS_MAX_BYTES = 2000;
/** 상담톡-style messenger limits. */
export const MESSENGER_MAX_TEXT = 1000;
export const MESSENGER_MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MESSENGER_MAX_FILE_BYTES = 300 * 1024 * 1024;
export const MESSENGER_MAX_BUTTONS = 5;
export const MESSENGER_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif'] as const;

export const CHANNEL_LIMITS: Partial<Record<Channel, ChannelLimits>> = {
  sms: { maxTextBytes: LMS_MAX_BYTES },
  messenger: {
    maxTextChars: MESSENGER_MAX_TEXT,
    image: { maxBytes: MESSENGER_MAX_IMAGE_BYTES, types: MESSENGER_IMAGE_TYPES },
    file: { maxBytes: MESSENGER_MAX_FILE_BYTES, types: 'any' },
    maxButtons: MESSENGER_MAX_BUTTONS,
  },
};

/** A link button under a messenger message (알림톡 / 상담톡 `WL` button). */
export const LinkButton = z.object({
  name: z.string().trim().min(1).max(28),
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'http(s) only'),
});
export type LinkButton = z.infer<typeof LinkButton>;

/** An agent's outbound extras on a channel that supports them (buttons for messenger). */
export const OutboundExtras = z.object({
  buttons: z.array(LinkButton).max(20).optional(),
});

/** 알림톡-style notification templates the hub knows (registered with the provider beforehand). */
export const NOTIFICATION_TEMPLATES = ['callback', 'survey'] as const;
export const NotificationTemplate = z.enum(NOTIFICATION_TEMPLATES);
export type NotificationTemplate = z.infer<typeof NotificationTemplate>;

export const SendTemplateRequest = z
  .object({
    commandId: z.string().min(8).max(64),
    template: NotificationTemplate,
    /** Values for the template's `#{…}` variables; the customer's name is filled in by the hub. */
    variables: z.record(z.string().max(40), z.string().max(200)).default({}),
  })
  .strict();
export type SendTemplateRequest = z.input<typeof SendTemplateRequest>;

/** The desk's event when a message's delivery changes (audience: assignee and author). */
export type DeliveryUpdatedPayload = MessageDelivery;
