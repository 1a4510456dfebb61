/**
 * The email channel's adapter (channel-adapter.ts): the channel service
 * stores an agent's reply with a `queued` delivery and its dispatcher calls
 * `send`, which mails it over SMTP (nodemailer) from the queue's address,
 * threaded under the customer's last mail (In-Reply-To, References) and
 * signed with the agent's name. The Message-ID is derived from the message
 * id, so a retry after a crash sends the same mail, not a second thread.
 * A refusal (5xx) fails at once; a dropped connection or 4xx is retried by
 * the dispatcher with backoff. A bounce later turns `sent` into `failed`
 * through `ChannelService.report` (email-channel.ts).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { MAX_MESSAGE_LENGTH } from '@shared/domain';
import type { HubContext } from '../../context';
import {
  type ChannelAdapter,
  type OutboundDraft,
  type OutboundMessage,
  SendFailure,
  type SendResult,
} from '../channel-adapter';
import type { EmailMailboxConfig } from './email-config';
import { threadSubject } from './email-parse';

/** The domain of the Message-IDs this hub writes for a mailbox; mail carrying it back is a loop. */
export const ownDomainOf = (address: string): string => `ieum.${address.split('@')[1]!.toLowerCase()}`;

/** The Message-ID of an agent's reply: the same on every try. */
export const replyMessageId = (messageId: string, mailbox: Pick<EmailMailboxConfig, 'address'>): string =>
  `<${messageId}@${ownDomainOf(mailbox.address)}>`;

export class EmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;
  readonly limits = { maxTextChars: MAX_MESSAGE_LENGTH };
  private readonly transports = new Map<string, Transporter>();

  constructor(
    private readonly ctx: HubContext,
    private readonly mailboxFor: (siteId: string, queueId: string | null) => EmailMailboxConfig | undefined,
  ) {}

  prepare(_draft: OutboundDraft) {
    return { kind: 'email' as const };
  }

  async send(message: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const db = this.ctx.db;
    const conv = await db
      .selectFrom('conversations')
      .select(['id', 'site_id', 'queue_id', 'subject'])
      .where('id', '=', message.conversationId)
      .executeTakeFirstOrThrow();
    const mailbox = this.mailboxFor(conv.site_id, conv.queue_id);
    if (!mailbox) throw new SendFailure('CHANNEL_DISABLED', false, 'no mailbox is configured for this queue');
    // The customer's last mail in the conversation (not an auto-reply): what to thread under.
    const last = await db
      .selectFrom('email_messages')
      .select(['header_message_id', 'references_text', 'subject', 'from_address', 'from_name'])
      .where('conversation_id', '=', conv.id)
      .where('direction', '=', 'in')
      .where('auto_reason', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const headerMessageId = replyMessageId(message.messageId, mailbox);
    const baseSubject = last?.subject || conv.subject || '';
    const subject =
      threadSubject(baseSubject) === baseSubject.toLowerCase().trim() ? `Re: ${baseSubject}` : baseSubject;
    const references = last
      ? [...last.references_text.split(' ').filter(Boolean), last.header_message_id]
      : [];
    const queue = conv.queue_id
      ? await db.selectFrom('queues').select('name').where('id', '=', conv.queue_id).executeTakeFirst()
      : undefined;
    const signature = mailbox.signature
      .replaceAll('{agent}', message.agentName ?? '')
      .replaceAll('{queue}', queue?.name ?? mailbox.name ?? '')
      .trim();
    const now = Date.now();
    const row = {
      message_id: message.messageId,
      site_id: conv.site_id,
      conversation_id: conv.id,
      direction: 'out',
      header_message_id: headerMessageId,
      in_reply_to: last?.header_message_id ?? null,
      references_text: references.join(' '),
      subject,
      thread_subject: threadSubject(subject),
      from_address: mailbox.address,
      from_name: mailbox.name ?? '',
      to_json: JSON.stringify([message.to]),
      cc_json: '[]',
      html: null,
      quoted_html: null,
      quoted_text: null,
      auto_reason: null,
      malformed: null,
      status: 'queued',
      status_detail: null,
      created_at: now,
      updated_at: now,
    };
    // The mail's row first: a bounce that comes back finds what it refers to.
    await db
      .insertInto('email_messages')
      .values(row)
      .onConflict((oc) => oc.column('message_id').doUpdateSet({ updated_at: now }))
      .execute();
    const toName = last && last.from_address === message.to ? last.from_name : '';
    const sending = this.transport(mailbox).sendMail({
      from: mailbox.name ? { name: mailbox.name, address: mailbox.address } : mailbox.address,
      to: toName ? { name: toName, address: message.to } : message.to,
      subject,
      text: signature ? `${message.body}\n\n${signature}` : message.body,
      messageId: headerMessageId,
      ...(last ? { inReplyTo: last.header_message_id, references } : {}),
      headers: { 'X-Ieum-Message': message.messageId },
    });
    try {
      await abortable(sending, signal);
    } catch (error) {
      const e = error as { responseCode?: number; message?: string };
      const detail = `${e.message ?? 'send failed'}`.slice(0, 500);
      const permanent = (e.responseCode ?? 0) >= 500;
      await this.mark(message.messageId, permanent ? 'failed' : 'queued', detail);
      throw new SendFailure(permanent ? 'PROVIDER_REJECTED' : 'PROVIDER_UNAVAILABLE', !permanent, detail);
    }
    await this.mark(message.messageId, 'sent', null);
    return { providerMessageId: headerMessageId, status: 'sent' };
  }

  close(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
  }

  private async mark(messageId: string, status: 'queued' | 'sent' | 'failed', detail: string | null) {
    await this.ctx.db
      .updateTable('email_messages')
      .set({ status, status_detail: detail, updated_at: Date.now() })
      .where('message_id', '=', messageId)
      // A bounce that arrived already says failed; a late "sent" must not undo it.
      .where('status', '!=', 'failed')
      .execute();
  }

  private transport(mailbox: EmailMailboxConfig): Transporter {
    const key = `${mailbox.site}/${mailbox.queue}`;
    let t = this.transports.get(key);
    if (!t) {
      t = nodemailer.createTransport({
        host: mailbox.smtp.host,
        port: mailbox.smtp.port,
        secure: mailbox.smtp.secure,
        ...(mailbox.smtp.user
          ? { auth: { user: mailbox.smtp.user, pass: mailbox.smtp.password ?? '' } }
          : {}),
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
      });
      this.transports.set(key, t);
    }
    return t;
  }
}

/** The send, or a retryable failure when the dispatcher's deadline passes first. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('timed out'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('SMTP send timed out'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
