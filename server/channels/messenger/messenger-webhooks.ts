/**
 * The messenger provider's webhook: a customer's message in a consultation
 * session (opening or extending the session), the end of a session, and
 * delivery results of our replies. Signed with the messenger channel's
 * secret; every event carries a `serial_number` (the provider's id), which
 * makes a repeated delivery a `duplicate` that stores nothing.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '@shared/domain';
import { normalizePhoneNumber } from '@shared/phone-number';
import type { MessengerSettings } from '../../config';
import type { HubContext } from '../../context';
import { notFound } from '../../errors';
import { newId } from '../../storage/ids';
import type { ChannelService } from '../channel-service';
import { type WebhookGuard, parseJson, rawBody } from '../webhook-security';

export const MESSENGER_WEBHOOK_PREFIX = '/api/v1/channels/messenger';

const Base = {
  serial_number: z.string().min(1).max(200),
  sender_key: z.string().min(1).max(200),
  user_key: z.string().min(1).max(200),
  time: z.number().int().positive().optional(),
};
export const MessengerEvent = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('message'),
    ...Base,
    type: z.enum(['text', 'photo', 'file']),
    content: z.string().max(MAX_MESSAGE_LENGTH).default(''),
    attachment: z
      .object({
        url: z.string().url(),
        name: z.string().max(200).optional(),
        size: z.number().int().min(0).optional(),
        content_type: z.string().max(100).optional(),
      })
      .optional(),
    /** Only when the customer agreed to share it with the business. */
    phone_number: z.string().max(32).optional(),
    nickname: z.string().max(100).optional(),
  }),
  z.object({ event: z.literal('session_end'), ...Base }),
  z.object({
    event: z.literal('result'),
    ...Base,
    /** Our message's `serial_number` (or the provider's `message_id`). */
    message_id: z.string().min(1).max(200),
    result: z.enum(['delivered', 'failed']),
    reason: z.string().max(500).optional(),
  }),
]);

export function messengerWebhooks(
  scope: FastifyInstance,
  ctx: HubContext,
  channels: ChannelService,
  guard: WebhookGuard,
  settings: MessengerSettings,
): void {
  scope.post(`${MESSENGER_WEBHOOK_PREFIX}/:site/events`, async (req) => {
    const raw = rawBody(req);
    guard.verify('messenger', settings.webhookSecret, req, raw);
    const parsed = MessengerEvent.safeParse(parseJson(guard, 'messenger', req, raw));
    if (!parsed.success) throw guard.malformed('messenger', req, parsed.error.issues);
    const e = parsed.data;
    if (e.sender_key !== settings.senderKey) {
      throw guard.malformed('messenger', req, [{ path: ['sender_key'], message: 'not this channel' }]);
    }
    const site = await ctx.db
      .selectFrom('sites')
      .select('id')
      .where('code', '=', (req.params as { site: string }).site)
      .executeTakeFirst();
    if (!site) throw notFound('site');
    const now = Date.now();

    if (e.event === 'message') {
      const phone = e.phone_number ? normalizePhoneNumber(e.phone_number) : null;
      const body =
        e.type === 'text'
          ? e.content
          : `${e.type === 'photo' ? '📷' : '📎'} ${e.attachment?.name ?? e.attachment?.url ?? ''}`.trim() +
            (e.content ? `\n${e.content}` : '');
      const r = await channels.receive({
        siteId: site.id,
        channel: 'messenger',
        providerMessageId: e.serial_number,
        from: {
          handle: e.user_key,
          messengerKey: e.user_key,
          ...(e.nickname ? { name: e.nickname } : {}),
          ...(phone ? { phone } : {}),
        },
        body,
        ...(e.attachment
          ? {
              attachments: [
                {
                  name: e.attachment.name ?? 'file',
                  contentType: e.attachment.content_type ?? 'application/octet-stream',
                  size: e.attachment.size ?? 0,
                  location: e.attachment.url,
                },
              ],
            }
          : {}),
        ...(settings.queue ? { queue: settings.queue } : {}),
      });
      if (!r.duplicate) await touchSession(ctx, site.id, e.user_key, r.conversationId, now, settings);
      return { ok: true, duplicate: r.duplicate, messageId: r.messageId };
    }

    if (await guard.seenNonce('messenger', e.serial_number)) return { ok: true, duplicate: true };
    if (e.event === 'session_end') {
      await ctx.db
        .updateTable('channel_sessions')
        .set({ ended_at: now })
        .where('site_id', '=', site.id)
        .where('channel', '=', 'messenger')
        .where('handle', '=', e.user_key)
        .where('ended_at', 'is', null)
        .execute();
      return { ok: true, duplicate: false };
    }
    const r = await channels.report({
      channel: 'messenger',
      providerMessageId: e.message_id,
      status: e.result,
      ...(e.result === 'failed' ? { reason: 'NOT_DELIVERED', detail: e.reason ?? 'failed' } : {}),
    });
    return { ok: true, duplicate: false, applied: r.applied };
  });
}

/** The customer wrote: their session is open (again) for the TTL, tied to this conversation. */
async function touchSession(
  ctx: HubContext,
  siteId: string,
  userKey: string,
  conversationId: string,
  now: number,
  settings: MessengerSettings,
): Promise<void> {
  const expiresAt = now + settings.sessionTtlMinutes * 60_000;
  const open = await ctx.db
    .updateTable('channel_sessions')
    .set({ last_inbound_at: now, expires_at: expiresAt, conversation_id: conversationId })
    .where('site_id', '=', siteId)
    .where('channel', '=', 'messenger')
    .where('handle', '=', userKey)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(open.numUpdatedRows) > 0) return;
  await ctx.db
    .insertInto('channel_sessions')
    .values({
      id: newId(),
      site_id: siteId,
      channel: 'messenger',
      handle: userKey,
      conversation_id: conversationId,
      opened_at: now,
      last_inbound_at: now,
      expires_at: expiresAt,
      ended_at: null,
    })
    .execute();
}
