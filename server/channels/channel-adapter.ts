/**
 * The channel adapter interface: what a channel (SMS gateway, messenger,
 * email, web chat) implements so its customers' messages land in the inbox as
 * ordinary conversations and an agent's replies leave through it.
 *
 * How an adapter plugs in:
 *
 * 1. **Inbound.** The adapter turns whatever the far side sent (a webhook, an
 *    IMAP fetch) into an {@link InboundMessage} and calls
 *    `ChannelService.receive(inbound)`. The service makes it idempotent by
 *    `providerMessageId` (a second delivery stores nothing and answers
 *    `duplicate: true`), resolves the customer (phone, email, messenger key →
 *    one customer; unknown senders become new customers), continues the
 *    customer's open conversation on that channel (or the one named by
 *    `conversationId`, e.g. an email thread) or opens one and routes it
 *    through the ACD, and appends `message.created` for the desk.
 *    Webhook adapters verify the request first with `verifyWebhook`
 *    (webhook-security.ts): HMAC, timestamp window, nonce, rate limit.
 * 2. **Delivery reports.** `ChannelService.report({channel, providerMessageId,
 *    status})` moves an outbound message to `delivered` or `failed`.
 * 3. **Outbound.** An agent's `message.send` on the adapter's channel (or with
 *    `channel` set to it) calls {@link ChannelAdapter.prepare} inside the
 *    command's transaction: it checks the channel's limits and throws a
 *    {@link channelLimitError} before anything is stored. The message is then
 *    stored with a `queued` delivery; after commit the dispatcher calls
 *    {@link ChannelAdapter.send}. A {@link SendFailure} with `retryable`
 *    (timeout, 5xx, network) is tried again with backoff up to the configured
 *    attempts, then `failed` with its reason; anything else fails at once.
 *    Every change is a `message.delivery_updated` event on the desk.
 * 4. **Registration.** `ChannelService.register(adapter)` at hub start (see
 *    hub.ts); one adapter per channel.
 */
import type { Channel, Conversation, DeliveryFailure, DeliveryKind } from '@shared/domain';
import type { ChannelLimitDetails, ChannelLimits, LinkButton, NotificationTemplate } from '@shared/channels';
import { HubError } from '../errors';
import type { Db } from '../storage/database';

/** A customer's message as every adapter hands it to the hub. */
export interface InboundMessage {
  /** The site that receives it (by the webhook URL or the mailbox's configuration). */
  siteId: string;
  channel: Channel;
  /** The provider's own id of this message: the idempotency key of inbound. */
  providerMessageId: string;
  from: {
    /** The sender's handle on this channel: E.164 phone, messenger user key, email address. */
    handle: string;
    name?: string;
    phone?: string;
    email?: string;
    messengerKey?: string;
  };
  body: string;
  /** A subject line (email), kept as the conversation's subject. */
  subject?: string;
  /** Files the customer sent, already stored by the adapter (URLs of the provider or local paths). */
  attachments?: InboundAttachment[];
  /** When the provider received it (defaults to now). */
  receivedAt?: number;
  /** The conversation this continues when the adapter knows it (an email's thread); else the service finds one. */
  conversationId?: string;
  /** Queue by name; the channel's configured queue when absent. */
  queue?: string;
}

export interface InboundAttachment {
  name: string;
  contentType: string;
  size: number;
  /** Where the bytes are: a provider URL or a path under the hub's data dir. */
  location: string;
}

/** Files an agent attaches (messenger image or file); the bytes are on disk under the data dir. */
export interface OutboundAttachment {
  kind: 'image' | 'file';
  name: string;
  contentType: string;
  size: number;
  path: string;
}

/** What the agent asked to send, before limits are checked. */
export interface OutboundDraft {
  siteId: string;
  conversationId: string;
  customerId: string;
  /** The recipient's handle on this channel, found by the service from the customer's identities. */
  to: string | null;
  body: string;
  attachment?: OutboundAttachment;
  buttons?: LinkButton[];
  template?: { code: NotificationTemplate; variables: Record<string, string> };
  /** The agent's display name (a messenger shows who answers; it changes on hand-off). */
  agentName?: string;
}

/** An outbound message the dispatcher hands to `send`: stored, with its delivery row. */
export interface OutboundMessage extends OutboundDraft {
  messageId: string;
  to: string;
  kind: DeliveryKind | null;
  /** 1 on the first try. */
  attempt: number;
}

export interface SendResult {
  providerMessageId: string;
  /** Most providers accept (`sent`) and report delivery later; some answer delivered at once. */
  status: 'sent' | 'delivered';
}

/** A send that did not go through. `retryable`: timeout, 5xx, network — try again later. */
export class SendFailure extends Error {
  constructor(
    readonly reason: DeliveryFailure,
    readonly retryable: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

export interface ChannelAdapter {
  readonly channel: Channel;
  readonly limits: ChannelLimits;
  /**
   * Checks a draft against the channel's limits and session rules before it is
   * stored; returns how it will go out (`sms` or `lms`, `image`…). Throws a
   * HubError from {@link channelLimitError} to refuse. Runs inside the
   * command's transaction: read through `trx`, never the hub's own `db`
   * (SQLite has one connection; a second query would wait for ever).
   */
  prepare(
    draft: OutboundDraft,
    trx: Db,
  ): Promise<{ kind: DeliveryKind | null }> | { kind: DeliveryKind | null };
  /**
   * Which of the customer's identities the message goes to, when not this
   * channel's own (a notification template goes to the phone: `voice`).
   */
  recipientChannel?(draft: Pick<OutboundDraft, 'template'>): Channel;
  /** The recipient when it is not an identity of the customer (a web chat's visitor session). */
  recipientFor?(trx: Db, conversation: Conversation): Promise<string | null>;
  /** Sends one message; throws {@link SendFailure}. Must give up within `signal`'s deadline. */
  send(message: OutboundMessage, signal: AbortSignal): Promise<SendResult>;
}

/** The typed refusal of a draft that breaks a channel limit (HTTP 400 / 413, `details.reason`). */
export function channelLimitError(message: string, details: ChannelLimitDetails): HubError {
  const code = details.reason === 'ATTACHMENT_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
  return new HubError(code, message, details);
}
