/**
 * The email channel on the hub: one IMAP poller per configured mailbox
 * (queue), inbound mail normalised, stored and routed like a web chat, and
 * agent replies in email conversations sent over SMTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Conversation, Message } from '@shared/domain';
import type { EmailView } from '@shared/email';
import type { Actor, HubContext } from '../../context';
import { getConversation } from '../../conversations/conversation-service';
import { notFound } from '../../errors';
import type { AppendedEvent } from '../../storage/event-log';
import { describeMailbox, type EmailMailboxConfig, mailboxKey } from './email-config';
import {
  emailAttachmentDir,
  type InboundResult,
  type MailboxTarget,
  storeInboundEmail,
} from './email-inbound';
import { EmailOutbound, ownDomainOf } from './email-outbound';
import { type ParsedEmail, parseEmail } from './email-parse';
import { ImapPoller } from './imap-poller';

interface ResolvedMailbox {
  config: EmailMailboxConfig;
  siteId: string;
  queueId: string;
}

/**
 * Normalises a raw RFC 822 message for a mailbox (what `bench/channels.ts`
 * measures, and what the poller does with each fetched mail).
 */
export function normaliseEmail(
  raw: Buffer,
  mailbox: Pick<EmailMailboxConfig, 'address' | 'maxAttachmentBytes'>,
) {
  return parseEmail(raw, {
    ownDomain: ownDomainOf(mailbox.address),
    maxAttachmentBytes: mailbox.maxAttachmentBytes,
  });
}

/** Parses and stores one raw mail for a mailbox; routing and outbound follow-ups are the caller's. */
export async function ingestEmail(
  ctx: HubContext,
  target: MailboxTarget,
  raw: Buffer,
  mailbox: Pick<EmailMailboxConfig, 'address' | 'maxAttachmentBytes'>,
): Promise<{ parsed: ParsedEmail; result: InboundResult; events: AppendedEvent[] }> {
  const parsed = await normaliseEmail(raw, mailbox);
  const { result, events } = await storeInboundEmail(ctx, target, parsed);
  return { parsed, result, events };
}

export class EmailChannel {
  private readonly mailboxes: ResolvedMailbox[] = [];
  private readonly pollers: ImapPoller[] = [];
  readonly outbound: EmailOutbound;
  private readonly log;

  constructor(private readonly ctx: HubContext) {
    this.log = ctx.log.child({ module: 'email' });
    this.outbound = new EmailOutbound(
      ctx,
      (siteId, queueId) => this.mailboxes.find((m) => m.siteId === siteId && m.queueId === queueId)?.config,
      this.log,
    );
  }

  /** Resolves every mailbox's site and queue, starts its poller, and sends replies left unsent. */
  async start(): Promise<void> {
    for (const config of this.ctx.config.emailMailboxes) {
      const site = await this.ctx.db
        .selectFrom('sites')
        .select('id')
        .where('code', '=', config.site)
        .executeTakeFirst();
      const queue = site
        ? await this.ctx.db
            .selectFrom('queues')
            .select(['id', 'channels_json'])
            .where('site_id', '=', site.id)
            .where('name', '=', config.queue)
            .executeTakeFirst()
        : undefined;
      if (!site || !queue || !(JSON.parse(queue.channels_json) as string[]).includes('email')) {
        this.log.error(
          describeMailbox(config),
          'email mailbox skipped: no such site, or its queue takes no email',
        );
        continue;
      }
      const mailbox = { config, siteId: site.id, queueId: queue.id };
      this.mailboxes.push(mailbox);
      const poller = new ImapPoller(
        config,
        this.handler(mailbox),
        this.log.child({ mailbox: mailboxKey(config) }),
      );
      this.pollers.push(poller);
      poller.start();
      this.log.info(describeMailbox(config), 'email mailbox configured');
    }
    await this.outbound.sweep();
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
    await this.outbound.close();
  }

  /** Reads every mailbox now (tests, and an admin's "check now"). */
  async pollNow(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.poll()));
  }

  /** Desk events that concern email: a reply in an email conversation goes out. Runs after commit. */
  react(events: AppendedEvent[]): void {
    for (const e of events) {
      const first = e.deliveries[0]?.event;
      if (first?.type !== 'message.created') continue;
      const m = first.payload as Message;
      if (m.direction === 'out') void this.outbound.sync(m.conversationId, m.id);
    }
  }

  /** The mails of a conversation the actor may see, oldest first. */
  async views(actor: Actor, conversationId: string): Promise<EmailView[]> {
    const conversation: Conversation = await getConversation(this.ctx.db, actor, conversationId);
    if (conversation.channel !== 'email') return [];
    const rows = await this.ctx.db
      .selectFrom('email_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('message_id')
      .execute();
    const attachments = await this.ctx.db
      .selectFrom('email_attachments')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      messageId: r.message_id,
      direction: r.direction === 'out' ? 'out' : 'in',
      subject: r.subject,
      from: { address: r.from_address, name: r.from_name },
      to: JSON.parse(r.to_json) as string[],
      cc: JSON.parse(r.cc_json) as string[],
      html: r.html,
      quotedHtml: r.quoted_html,
      quotedText: r.quoted_text,
      attachments: attachments
        .filter((a) => a.message_id === r.message_id)
        .map((a) => ({
          id: a.id,
          name: a.name,
          contentType: a.content_type,
          size: Number(a.size),
          stored: Boolean(a.stored),
        })),
      status: r.status as EmailView['status'],
      statusDetail: r.status_detail,
      auto: r.auto_reason,
    }));
  }

  /** An attachment's bytes, for an actor who may see its conversation. */
  async attachment(actor: Actor, id: string): Promise<{ name: string; contentType: string; bytes: Buffer }> {
    const a = await this.ctx.db
      .selectFrom('email_attachments')
      .selectAll()
      .where('id', '=', id)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!a || !a.stored) throw notFound('attachment');
    await getConversation(this.ctx.db, actor, a.conversation_id);
    const bytes = readFileSync(join(emailAttachmentDir(this.ctx.config.dataDir, a.site_id), a.id));
    return { name: a.name, contentType: a.content_type, bytes };
  }

  private handler(mailbox: ResolvedMailbox) {
    const key = mailboxKey(mailbox.config);
    return {
      cursor: async () => {
        const r = await this.ctx.db
          .selectFrom('email_cursors')
          .selectAll()
          .where('mailbox', '=', key)
          .executeTakeFirst();
        return r ? { uidValidity: r.uid_validity, lastUid: Number(r.last_uid) } : null;
      },
      mail: async (raw: Buffer, uid: number, uidValidity: string) => {
        const target: MailboxTarget = {
          siteId: mailbox.siteId,
          queueId: mailbox.queueId,
          cursor: { mailbox: key, uidValidity, uid },
        };
        const { parsed, result, events } = await ingestEmail(this.ctx, target, raw, mailbox.config);
        if (parsed.malformed) {
          this.log.warn(
            { uid, reason: parsed.malformed, messageId: parsed.messageId },
            'malformed mail stored as best effort',
          );
        }
        if (parsed.auto) this.log.info({ uid, auto: parsed.auto }, 'machine-made mail: stored, not answered');
        if (result.kind === 'bounce')
          this.log.info({ uid, failed: result.failedMessageId }, 'bounce received');
        this.ctx.publisher.publish(events);
        if (result.kind === 'stored' && result.route) await this.route(mailbox, result);
      },
      skip: async (uid: number, uidValidity: string) => {
        await this.ctx.db
          .insertInto('email_cursors')
          .values({ mailbox: key, uid_validity: uidValidity, last_uid: uid, updated_at: Date.now() })
          .onConflict((oc) => oc.column('mailbox').doUpdateSet({ uid_validity: uidValidity, last_uid: uid }))
          .execute();
      },
    };
  }

  private async route(
    mailbox: ResolvedMailbox,
    stored: Extract<InboundResult, { kind: 'stored' }>,
  ): Promise<void> {
    if (!this.ctx.routing) return;
    try {
      await this.ctx.routing.enqueue(mailbox.siteId, {
        queueId: mailbox.queueId,
        channel: 'email',
        conversationId: stored.conversationId,
        customerId: stored.customerId,
      });
    } catch (err) {
      // The mail is stored and visible in the inbox; only the offer is missing.
      this.log.error({ err, conversationId: stored.conversationId }, 'routing an email conversation failed');
    }
  }
}
