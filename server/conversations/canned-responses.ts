/**
 * Canned responses as the desk's `/` picker reads them (the site's rows,
 * which HQ's group configuration also writes), with their attachments; and
 * sending one: the text the desk filled in, then each attachment as its own
 * message carrying the file — for a web chat, through the same attachment
 * store and feed the customer's own files use.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CannedResponseView, SendCannedCommand } from '@shared/conversation-tools';
import type { Message } from '@shared/domain';
import type { Actor, HubContext } from '../context';
import { notFound } from '../errors';
import type { Db } from '../storage/database';
import type { AppendedEvent } from '../storage/event-log';
import { newId } from '../storage/ids';
import { attachmentDir } from '../channels/webchat/webchat-service';
import { sendMessage } from './conversation-service';

/** Where a canned response's files live. */
export const cannedDir = (ctx: HubContext, siteId: string): string =>
  join(ctx.config.dataDir, 'canned', siteId);

export async function listCannedResponses(db: Db, siteId: string): Promise<CannedResponseView[]> {
  const rows = await db
    .selectFrom('canned_responses')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('shortcut')
    .execute();
  const files = await db
    .selectFrom('canned_attachments')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    shortcut: r.shortcut,
    title: r.title,
    body: r.body,
    attachments: files
      .filter((f) => f.canned_id === r.id)
      .map((f) => ({ id: f.id, name: f.name, contentType: f.content_type, size: Number(f.size) })),
  }));
}

/** Inside a command transaction: the reply, then one message per attachment. */
export async function sendCanned(
  ctx: HubContext,
  trx: Db,
  actor: Actor,
  input: SendCannedCommand,
): Promise<{ value: Message; events: AppendedEvent[] }> {
  const canned = await trx
    .selectFrom('canned_responses')
    .select('id')
    .where('id', '=', input.cannedId)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  if (!canned) throw notFound('canned response');
  const sent = await sendMessage(
    trx,
    actor,
    { conversationId: input.conversationId, body: input.body, kind: 'out', clientId: input.commandId },
    ctx.config.replyLimits,
  );
  const events = [...sent.events];
  const files = await trx
    .selectFrom('canned_attachments')
    .selectAll()
    .where('canned_id', '=', canned.id)
    .orderBy('created_at')
    .execute();
  for (const [i, f] of files.entries()) {
    const file = await sendMessage(trx, actor, {
      conversationId: input.conversationId,
      body: `📎 ${f.name}`,
      kind: 'out',
      clientId: `${input.commandId.slice(0, 56)}:a${i}`,
    });
    const id = newId();
    // Copied, not linked: the conversation keeps its file if the canned response changes.
    const dir = attachmentDir(ctx, actor.siteId);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(cannedDir(ctx, actor.siteId), f.id), join(dir, id));
    await trx
      .insertInto('webchat_attachments')
      .values({
        id,
        site_id: actor.siteId,
        conversation_id: input.conversationId,
        message_id: file.value.id,
        name: f.name,
        content_type: f.content_type,
        size: Number(f.size),
        created_at: Date.now(),
      })
      .execute();
    events.push(...file.events);
  }
  return { value: sent.value, events };
}
