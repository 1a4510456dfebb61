/**
 * The email channel on the hub: one IMAP poller per configured mailbox
 * (queue), inbound mail normalised, stored and routed like a web chat, and
 * agent replies in email conversations sent over SMTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Conversation } from '@shared/domain';
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
import type { InboundMessage } from '../channel-adapter';
import type { ChannelService } from '../channel-service';
import { EmailAdapter, ownDomainOf } from './email-adapter';
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

/**
 * A parsed mail as the channel interface's InboundMessage (what
 * `ChannelService.receive` takes), for bench/channels.ts and tools that feed
 * mail through the shared path. The poller itself stores through
 * `storeInboundEmail`, which keeps the mail's own row, its thread and the
 * IMAP cursor in the same transaction.
 */
export function toInboundMessage(mail: ParsedEmail, siteId: string, queue?: string): InboundMessage {
  return {
    siteId,
    channel: 'email',
    providerMessageId: mail.messageId,
    from: {
      handle: mail.from?.address ?? 'unknown@invalid',
      ...(mail.from?.name ? { name: mail.from.name } : {}),
      ...(mail.from ? { email: mail.from.address } : {}),
    },
    body: mail.body,
    subject: mail.subject,
    ...(mail.date ? { receivedAt: mail.date } : {}),
    ...(queue ? { queue } : {}),
  };
}

export class EmailChannel {
  private readonly mailboxes: ResolvedMailbox[] = [];
  private readonly pollers: ImapPoller[] = [];
  readonly adapter: EmailAdapter;
  private readonly log;

  constructor(
    private readonly ctx: HubContext,
    private readonly channels: ChannelService,
  ) {
    this.log = ctx.log.child({ module: 'email' });
    this.adapter = new EmailAdapter(
      ctx,
      (siteId, queueId) => this.mailboxes.find((m) => m.siteId === siteId && m.queueId === queueId)?.config,
    );
    // Replies in email conversations go out through the channel dispatcher
    // only where a mailbox is configured; elsewhere they stay in the hub.
    if (ctx.config.emailMailboxes.length > 0) channels.register(this.adapter);
  }

  /** Resolves every mailbox's site and queue and starts its poller. */
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
      await this.routeWaiting(mailbox);
      const poller = new ImapPoller(
        config,
        this.handler(mailbox),
        this.log.child({ mailbox: mailboxKey(config) }),
      );
      this.pollers.push(poller);
      poller.start();
      this.log.info(describeMailbox(config), 'email mailbox configured');
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
    this.adapter.close();
  }

  /** The configured mailboxes for the admin API: addresses, servers and how far each was read; never a password. */
  async describe() {
    const cursors = await this.ctx.db.selectFrom('email_cursors').selectAll().execute();
    return this.ctx.config.emailMailboxes.map((m) => {
      const c = cursors.find((x) => x.mailbox === mailboxKey(m));
      return {
        ...describeMailbox(m),
        active: this.mailboxes.some((x) => x.config === m),
        lastUid: c ? Number(c.last_uid) : null,
        readAt: c ? new Date(Number(c.updated_at)).toISOString() : null,
      };
    });
  }

  /** Reads every mailbox now (tests, and an admin's "check now"). */
  async pollNow(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.poll()));
  }

  /** The mails of a conversation the actor may see, oldest first. */
  async views(actor: Actor, conversationId: string): Promise<EmailView[]> {
    const conversation: Conversation = await getConversation(this.ctx.db, actor, conversationId);
    if (conversation.channel !== 'email') return [];
    const rows = await this.ctx.db
      .selectFrom('email_messages as e')
      .leftJoin('message_deliveries as d', 'd.message_id', 'e.message_id')
      .selectAll('e')
      .select(['d.status as delivery_status', 'd.detail as delivery_detail'])
      .where('e.conversation_id', '=', conversationId)
      .orderBy('e.created_at')
      .orderBy('e.message_id')
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
      // A reply's status is its delivery's (the channel dispatcher's), the mail row's otherwise.
      status: (r.delivery_status ?? r.status) as EmailView['status'],
      statusDetail: r.delivery_detail ?? r.status_detail,
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
        this.ctx.publisher.publish(events);
        if (result.kind === 'bounce') await this.bounced(result, parsed);
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

  /** Our reply bounced: its delivery turns failed (and the desk shows it). */
  private async bounced(
    result: Extract<InboundResult, { kind: 'bounce' }>,
    parsed: ParsedEmail,
  ): Promise<void> {
    this.log.info({ failed: result.failedMessageId }, 'bounce received');
    if (!result.failedHeaderId) return;
    await this.channels.report({
      channel: 'email',
      providerMessageId: result.failedHeaderId,
      status: 'failed',
      reason: 'NOT_DELIVERED',
      detail: `${parsed.bounce?.status ?? ''} ${parsed.bounce?.diagnostic ?? ''}`.trim().slice(0, 500),
    });
  }

  /**
   * Mail stored but never put in the queue (the hub stopped between the
   * commit and the ACD): routed now, at start. A conversation counts as
   * routed once a work item was enqueued for it since it started waiting.
   */
  async routeWaiting(mailbox: { siteId: string; queueId: string }): Promise<number> {
    const rows = await this.ctx.db
      .selectFrom('conversations as c')
      .select(['c.id', 'c.customer_id'])
      .where('c.site_id', '=', mailbox.siteId)
      .where('c.queue_id', '=', mailbox.queueId)
      .where('c.channel', '=', 'email')
      .where('c.status', '=', 'pending')
      .where('c.assignee_id', 'is', null)
      .where('c.waiting_since', 'is not', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('email_messages as e')
            .select('e.message_id')
            .whereRef('e.conversation_id', '=', 'c.id')
            .where('e.direction', '=', 'in'),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('work_items as w')
              .select('w.id')
              .whereRef('w.conversation_id', '=', 'c.id')
              .whereRef('w.enqueued_at', '>=', 'c.waiting_since'),
          ),
        ),
      )
      .execute();
    for (const r of rows) {
      await this.route(mailbox, { conversationId: r.id, customerId: r.customer_id });
    }
    if (rows.length > 0) this.log.info({ count: rows.length }, 'email conversations routed at start');
    return rows.length;
  }

  private async route(
    mailbox: { siteId: string; queueId: string },
    stored: { conversationId: string; customerId: string },
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
