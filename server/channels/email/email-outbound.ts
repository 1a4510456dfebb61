/**
 * Agent replies in an email conversation go out over SMTP (nodemailer) from
 * the queue's address, threaded under the customer's last mail (In-Reply-To
 * and References), with the agent's signature.
 *
 * The outbox is derived from the messages table, as the web chat feed is:
 * any `out` message of an email conversation without its mail row is
 * queued on the next sync (after each publish and at start), so a crash
 * between the agent's commit and the send loses nothing; a row is `queued`
 * before the send and `sent` or `failed` after, so nothing is sent twice
 * unless the process dies inside the SMTP transaction itself.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { HubContext } from '../../context';
import type { Db } from '../../storage/database';
import { type EmailMailboxConfig } from './email-config';
import { threadSubject } from './email-parse';

/** Attempts for a temporary failure (connection refused, 4xx) before the reply is marked failed. */
export const MAX_SEND_ATTEMPTS = 4;
const BACKOFF_MS = [1_000, 5_000, 30_000];
/** How far back the start-up sweep looks for replies left unsent by a crash. */
export const SWEEP_WINDOW_MS = 86_400_000;

/** The domain of the Message-IDs this hub writes for a mailbox; mail carrying it back is a loop. */
export const ownDomainOf = (address: string): string => `ieum.${address.split('@')[1]!.toLowerCase()}`;

export interface SentReply {
  messageId: string;
  headerMessageId: string;
  status: 'sent' | 'failed';
  detail: string | null;
}

export class EmailOutbound {
  private readonly transports = new Map<string, Transporter>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly ctx: HubContext,
    private readonly mailboxFor: (siteId: string, queueId: string | null) => EmailMailboxConfig | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * Queues and sends the conversation's replies that have no mail yet (and
   * `messageId`, the reply just written); one run per conversation at a time.
   */
  sync(conversationId: string, messageId?: string): Promise<void> {
    const prev = this.running.get(conversationId) ?? Promise.resolve();
    const run = prev
      .then(() => this.syncNow(conversationId, messageId))
      .catch((err: unknown) => {
        this.log.error({ err, conversationId }, 'email reply sync failed');
      });
    this.running.set(conversationId, run);
    void run.then(() => {
      if (this.running.get(conversationId) === run) this.running.delete(conversationId);
    });
    return run;
  }

  /**
   * At start: conversations that came in by mail with a reply still unsent
   * (from the last day: older history, such as imported or demo
   * conversations, is never mailed out at start).
   */
  async sweep(now = Date.now()): Promise<void> {
    const rows = await this.ctx.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .leftJoin('email_messages as e', 'e.message_id', 'm.id')
      .select('m.conversation_id')
      .distinct()
      .where('c.channel', '=', 'email')
      .where('m.direction', '=', 'out')
      .where('m.created_at', '>=', now - SWEEP_WINDOW_MS)
      .where((eb) => eb.or([eb('e.message_id', 'is', null), eb('e.status', '=', 'queued')]))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('email_messages as i')
            .select('i.message_id')
            .whereRef('i.conversation_id', '=', 'm.conversation_id')
            .where('i.direction', '=', 'in'),
        ),
      )
      .execute();
    await Promise.all(rows.map((r) => this.sync(r.conversation_id)));
  }

  async close(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.running.values()]);
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
  }

  private async syncNow(conversationId: string, messageId?: string): Promise<void> {
    const conv = await this.ctx.db
      .selectFrom('conversations')
      .select(['id', 'site_id', 'queue_id', 'channel', 'subject'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!conv || conv.channel !== 'email') return;
    const mailbox = this.mailboxFor(conv.site_id, conv.queue_id);
    // Replies from before the conversation's first mail (history from before
    // the channel, e.g. imported or demo conversations) are never mailed.
    const first = await this.ctx.db
      .selectFrom('email_messages')
      .select((eb) => eb.fn.min('created_at').as('at'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    const since = first?.at == null ? null : Number(first.at);
    const pending = await this.ctx.db
      .selectFrom('messages as m')
      .leftJoin('email_messages as e', 'e.message_id', 'm.id')
      .leftJoin('users as u', 'u.id', 'm.author_id')
      .select(['m.id', 'm.body', 'm.created_at', 'u.display_name', 'e.status'])
      .where('m.conversation_id', '=', conversationId)
      .where('m.direction', '=', 'out')
      .where((eb) => eb.or([eb('e.message_id', 'is', null), eb('e.status', '=', 'queued')]))
      .where((eb) =>
        eb.or([
          ...(since === null ? [] : [eb('m.created_at', '>=', since)]),
          ...(messageId ? [eb('m.id', '=', messageId)] : []),
        ]),
      )
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute();
    for (const m of pending) {
      if (this.stopped) return;
      if (!mailbox) {
        await this.record(conv.site_id, conversationId, m.id, null, {
          status: 'failed',
          detail: 'no mailbox is configured for this queue',
        });
        continue;
      }
      await this.sendOne(mailbox, conv, m);
    }
  }

  private async sendOne(
    mailbox: EmailMailboxConfig,
    conv: { id: string; site_id: string; queue_id: string | null; subject: string | null },
    m: { id: string; body: string; display_name: string | null },
  ): Promise<void> {
    const db = this.ctx.db;
    // The customer's last mail in the conversation: whom to answer and what to thread under.
    const last = await db
      .selectFrom('email_messages')
      .select(['header_message_id', 'references_text', 'subject', 'from_address', 'from_name'])
      .where('conversation_id', '=', conv.id)
      .where('direction', '=', 'in')
      .where('auto_reason', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const to = last?.from_address ?? (await customerEmail(db, conv.id));
    if (!to) {
      await this.record(conv.site_id, conv.id, m.id, null, {
        status: 'failed',
        detail: 'the customer has no email address',
      });
      return;
    }
    const headerMessageId = `<${m.id}@${ownDomainOf(mailbox.address)}>`;
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
      .replaceAll('{agent}', m.display_name ?? '')
      .replaceAll('{queue}', queue?.name ?? mailbox.name ?? '');
    await this.record(
      conv.site_id,
      conv.id,
      m.id,
      {
        headerMessageId,
        inReplyTo: last?.header_message_id ?? null,
        references,
        subject,
        from: mailbox.address,
        fromName: mailbox.name ?? '',
        to,
      },
      { status: 'queued', detail: null },
    );

    for (let attempt = 1; ; attempt++) {
      try {
        await this.transport(mailbox).sendMail({
          from: mailbox.name ? { name: mailbox.name, address: mailbox.address } : mailbox.address,
          to: last?.from_name ? { name: last.from_name, address: to } : to,
          subject,
          text: signature ? `${m.body}\n\n${signature}` : m.body,
          messageId: headerMessageId,
          ...(last ? { inReplyTo: last.header_message_id, references } : {}),
          headers: { 'Auto-Submitted': 'no', 'X-Ieum-Message': m.id },
        });
        await this.record(conv.site_id, conv.id, m.id, null, { status: 'sent', detail: null });
        this.log.info({ messageId: m.id, conversationId: conv.id }, 'email reply sent');
        return;
      } catch (error) {
        const e = error as { responseCode?: number; message?: string };
        const permanent = (e.responseCode ?? 0) >= 500;
        const detail = `${e.responseCode ?? ''} ${e.message ?? 'send failed'}`.trim().slice(0, 500);
        if (permanent || attempt >= MAX_SEND_ATTEMPTS || this.stopped) {
          await this.record(conv.site_id, conv.id, m.id, null, { status: 'failed', detail });
          this.log.warn({ messageId: m.id, conversationId: conv.id, attempt, detail }, 'email reply failed');
          return;
        }
        this.log.warn({ messageId: m.id, attempt, detail }, 'email reply will be retried');
        await new Promise((r) => setTimeout(r, BACKOFF_MS[attempt - 1] ?? 30_000));
      }
    }
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

  /** Writes the reply's mail row (headers with the first call) and its status. */
  private async record(
    siteId: string,
    conversationId: string,
    messageId: string,
    headers: {
      headerMessageId: string;
      inReplyTo: string | null;
      references: string[];
      subject: string;
      from: string;
      fromName: string;
      to: string;
    } | null,
    status: { status: 'queued' | 'sent' | 'failed'; detail: string | null },
  ): Promise<void> {
    const now = Date.now();
    const exists = await this.ctx.db
      .selectFrom('email_messages')
      .select('status')
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (exists) {
      // A bounce that arrived already says failed; a late "sent" must not undo it.
      if (exists.status === 'failed') return;
      await this.ctx.db
        .updateTable('email_messages')
        .set({ status: status.status, status_detail: status.detail, updated_at: now })
        .where('message_id', '=', messageId)
        .execute();
      return;
    }
    await this.ctx.db
      .insertInto('email_messages')
      .values({
        message_id: messageId,
        site_id: siteId,
        conversation_id: conversationId,
        direction: 'out',
        header_message_id: headers?.headerMessageId ?? `<${messageId}@ieum.invalid>`,
        in_reply_to: headers?.inReplyTo ?? null,
        references_text: headers?.references.join(' ') ?? '',
        subject: headers?.subject ?? '',
        thread_subject: threadSubject(headers?.subject ?? ''),
        from_address: headers?.from ?? '',
        from_name: headers?.fromName ?? '',
        to_json: JSON.stringify(headers ? [headers.to] : []),
        cc_json: '[]',
        html: null,
        quoted_html: null,
        quoted_text: null,
        auto_reason: null,
        malformed: null,
        status: status.status,
        status_detail: status.detail,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

async function customerEmail(db: Db, conversationId: string): Promise<string | null> {
  const r = await db
    .selectFrom('conversations as c')
    .innerJoin('identities as i', 'i.customer_id', 'c.customer_id')
    .select('i.handle')
    .where('c.id', '=', conversationId)
    .where('i.channel', '=', 'email')
    .executeTakeFirst();
  return r?.handle ?? null;
}
