/**
 * Stores one parsed inbound mail: threads it into its conversation (by
 * Message-ID / In-Reply-To / References, then by subject from the same
 * sender), or opens a new one for the customer behind the address (created
 * when unknown); writes the shared message, the mail's own row and its
 * attachments, appends `message.created`, and moves the mailbox cursor — all
 * in one transaction, so a mail is stored once or not at all.
 *
 * A bounce marks our reply failed; machine-made mail (auto-replies, lists,
 * our own mail looping back) is stored but never routed or answered.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '@shared/domain';
import type { HubContext } from '../../context';
import { resolveIdentity } from '../../customers/identity-resolution';
import type { Db } from '../../storage/database';
import { type AppendedEvent, appendEvent } from '../../storage/event-log';
import { newId } from '../../storage/ids';
import { toMessage } from '../../storage/rows';
import type { ParsedEmail } from './email-parse';

/** A subject match continues a conversation only if it moved this recently. */
export const SUBJECT_THREAD_WINDOW_MS = 14 * 86_400_000;

export interface MailboxTarget {
  siteId: string;
  queueId: string;
  /** The cursor to move with this mail (absent when the mail did not come from IMAP). */
  cursor?: { mailbox: string; uidValidity: string; uid: number };
}

export type InboundResult =
  | { kind: 'stored'; messageId: string; conversationId: string; route: boolean; customerId: string }
  | { kind: 'duplicate'; messageId: string; conversationId: string }
  | { kind: 'bounce'; failedMessageId: string | null; failedHeaderId: string | null }
  | { kind: 'skipped'; reason: string };

export const emailAttachmentDir = (dataDir: string, siteId: string): string =>
  join(dataDir, 'email', 'attachments', siteId);

export async function storeInboundEmail(
  ctx: HubContext,
  target: MailboxTarget,
  mail: ParsedEmail,
  now = Date.now(),
): Promise<{ result: InboundResult; events: AppendedEvent[] }> {
  // Files first (outside the transaction): a crash before commit leaves an
  // orphan file, never a row without its bytes.
  const attachmentIds = mail.attachments.map(() => newId());
  if (!mail.bounce && mail.attachments.some((a) => a.content)) {
    const dir = emailAttachmentDir(ctx.config.dataDir, target.siteId);
    mkdirSync(dir, { recursive: true });
    mail.attachments.forEach((a, i) => {
      if (a.content) writeFileSync(join(dir, attachmentIds[i]!), a.content, { mode: 0o600 });
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    if (target.cursor) await moveCursor(trx, target.cursor, now);
    const seen = await trx
      .selectFrom('email_messages')
      .select(['message_id', 'conversation_id'])
      .where('site_id', '=', target.siteId)
      .where('header_message_id', '=', mail.messageId)
      .where('direction', '=', 'in')
      .executeTakeFirst();
    if (seen) {
      return {
        result: { kind: 'duplicate', messageId: seen.message_id, conversationId: seen.conversation_id },
        events: [],
      };
    }
    if (mail.bounce) return { result: await markBounced(trx, target.siteId, mail, now), events: [] };
    if (!mail.from) return { result: { kind: 'skipped', reason: 'no sender address' }, events: [] };

    const thread = await findThread(trx, target.siteId, mail, now);
    let conversationId: string;
    let customerId: string;
    let assigneeId: string | null = null;
    let route = false;
    if (thread) {
      conversationId = thread.id;
      customerId = thread.customer_id;
      assigneeId = thread.assignee_id;
      if (thread.status === 'resolved' && !mail.auto) {
        // The customer wrote again: the conversation is open work again.
        await trx
          .updateTable('conversations')
          .set({ status: 'pending', assignee_id: null, waiting_since: now })
          .where('id', '=', conversationId)
          .execute();
        assigneeId = null;
        route = true;
      }
    } else {
      const resolved = await resolveIdentity(
        trx,
        target.siteId,
        { name: mail.from.name || mail.from.address.split('@')[0]!, email: mail.from.address },
        // Nobody is shown merge candidates while a mail is stored.
        { now, candidates: false },
      );
      if (!resolved.customerId) return { result: { kind: 'skipped', reason: 'no customer' }, events: [] };
      customerId = resolved.customerId;
      conversationId = newId();
      await trx
        .insertInto('conversations')
        .values({
          id: conversationId,
          site_id: target.siteId,
          customer_id: customerId,
          channel: 'email',
          queue_id: target.queueId,
          // Machine-made mail is kept for the record but is nobody's work.
          status: mail.auto ? 'resolved' : 'pending',
          priority: 0,
          assignee_id: null,
          subject: (mail.subject || mail.body).slice(0, 200) || null,
          waiting_since: mail.auto ? null : now,
          created_at: now,
          last_message_at: now,
        })
        .execute();
      route = !mail.auto;
    }
    const row = {
      id: newId(),
      site_id: target.siteId,
      conversation_id: conversationId,
      direction: 'in',
      author_id: null,
      body: mail.body || '(no text)',
      client_id: null,
      created_at: now,
      // The channel service's idempotency key for inbound (unique per site and channel).
      channel: 'email',
      provider_message_id: mail.messageId,
    };
    await trx.insertInto('messages').values(row).execute();
    await trx
      .insertInto('email_messages')
      .values({
        message_id: row.id,
        site_id: target.siteId,
        conversation_id: conversationId,
        direction: 'in',
        header_message_id: mail.messageId,
        in_reply_to: mail.inReplyTo,
        references_text: mail.references.join(' '),
        subject: mail.subject,
        thread_subject: mail.threadSubject,
        from_address: mail.from.address,
        from_name: mail.from.name,
        to_json: JSON.stringify(mail.to),
        cc_json: JSON.stringify(mail.cc),
        html: mail.html,
        quoted_html: mail.quotedHtml,
        quoted_text: mail.quotedText,
        auto_reason: mail.auto,
        malformed: mail.malformed,
        status: mail.auto ? 'auto' : 'received',
        status_detail: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const [i, a] of mail.attachments.entries()) {
      await trx
        .insertInto('email_attachments')
        .values({
          id: attachmentIds[i]!,
          site_id: target.siteId,
          conversation_id: conversationId,
          message_id: row.id,
          name: a.name,
          content_type: a.contentType,
          size: a.size,
          content_id: a.contentId,
          stored: a.content ? 1 : 0,
          created_at: now,
        })
        .execute();
    }
    if (thread) {
      await trx
        .updateTable('conversations')
        .set({
          last_message_at: now,
          ...(mail.auto ? {} : { waiting_since: thread.waiting_since ?? now }),
        })
        .where('id', '=', conversationId)
        .execute();
    }
    const message: Message = toMessage(row);
    const event = await appendEvent(
      trx,
      target.siteId,
      'message.created',
      message,
      assigneeId ? [assigneeId] : [],
      now,
    );
    return {
      result: { kind: 'stored', messageId: row.id, conversationId, route, customerId },
      events: [event],
    };
  });
}

async function moveCursor(trx: Db, c: NonNullable<MailboxTarget['cursor']>, now: number): Promise<void> {
  await trx
    .insertInto('email_cursors')
    .values({ mailbox: c.mailbox, uid_validity: c.uidValidity, last_uid: c.uid, updated_at: now })
    .onConflict((oc) =>
      oc.column('mailbox').doUpdateSet({ uid_validity: c.uidValidity, last_uid: c.uid, updated_at: now }),
    )
    .execute();
}

/** The conversation this mail continues: a header match first, then the same subject from the same sender. */
async function findThread(trx: Db, siteId: string, mail: ParsedEmail, now: number) {
  const ids = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()];
  const columns = ['c.id', 'c.customer_id', 'c.assignee_id', 'c.status', 'c.waiting_since'] as const;
  if (ids.length > 0) {
    const hit = await trx
      .selectFrom('email_messages as e')
      .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
      .select(columns)
      .where('e.site_id', '=', siteId)
      .where('e.header_message_id', 'in', ids.slice(0, 50))
      .orderBy('e.created_at', 'desc')
      .executeTakeFirst();
    if (hit) return hit;
  }
  if (!mail.threadSubject || !mail.from) return undefined;
  return trx
    .selectFrom('email_messages as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .select(columns)
    .where('e.site_id', '=', siteId)
    .where('e.thread_subject', '=', mail.threadSubject)
    .where('e.from_address', '=', mail.from.address)
    .where('c.last_message_at', '>=', now - SUBJECT_THREAD_WINDOW_MS)
    .orderBy('e.created_at', 'desc')
    .executeTakeFirst();
}

/** A delivery report for one of our replies: that reply is marked failed with the server's words. */
async function markBounced(trx: Db, siteId: string, mail: ParsedEmail, now: number): Promise<InboundResult> {
  const ids = [
    ...(mail.bounce?.originalMessageId ? [mail.bounce.originalMessageId] : []),
    ...(mail.inReplyTo ? [mail.inReplyTo] : []),
    ...mail.references,
  ];
  if (ids.length === 0) return { kind: 'bounce', failedMessageId: null, failedHeaderId: null };
  const original = await trx
    .selectFrom('email_messages')
    .select(['message_id', 'header_message_id'])
    .where('site_id', '=', siteId)
    .where('direction', '=', 'out')
    .where('header_message_id', 'in', ids)
    .executeTakeFirst();
  if (!original) return { kind: 'bounce', failedMessageId: null, failedHeaderId: null };
  const detail = `${mail.bounce?.status ?? ''} ${mail.bounce?.diagnostic ?? ''}`.trim().slice(0, 500);
  await trx
    .updateTable('email_messages')
    .set({ status: 'failed', status_detail: detail || 'bounced', updated_at: now })
    .where('message_id', '=', original.message_id)
    .execute();
  return { kind: 'bounce', failedMessageId: original.message_id, failedHeaderId: original.header_message_id };
}
