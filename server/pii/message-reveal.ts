/**
 * Revealing one masked message: supervisors, site managers and admins may
 * read the raw body of one message at a time, and every reveal is written to
 * the audit log (`pii.revealed`) before the text is handed out.
 */
import type { RevealedMessage } from '@shared/customers';
import type { Role } from '@shared/domain';
import { audit } from '../audit/audit-log';
import { type Actor, type HubContext, requireRole } from '../context';
import { notFound } from '../errors';
import { findPii } from './pii-detectors';

export const REVEAL_ROLES: readonly Role[] = ['supervisor', 'site_manager', 'admin'];

export async function revealMessage(
  ctx: HubContext,
  actor: Actor,
  messageId: string,
): Promise<RevealedMessage> {
  requireRole(actor, REVEAL_ROLES);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('messages')
      .select(['id', 'conversation_id', 'body'])
      .where('id', '=', messageId)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!row) throw notFound('message');
    await audit(trx, {
      siteId: actor.siteId,
      actorId: actor.userId,
      action: 'pii.revealed',
      target: row.id,
      // What kinds were revealed, never the numbers themselves.
      detail: { conversationId: row.conversation_id, kinds: findPii(row.body).map((m) => m.kind) },
      ip: actor.ip ?? null,
    });
    return { id: row.id, body: row.body };
  });
}
