/**
 * The SMS gateway's webhooks: a customer's message (MO) and delivery
 * reports, each signed with the SMS channel's secret. Payloads follow the
 * gateway format in docs/channels.md; a bad signature is 401, a malformed
 * payload 400, a repeated delivery is answered `duplicate` and stores nothing.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '@shared/domain';
import { normalizePhoneNumber } from '@shared/phone-number';
import type { SmsSettings } from '../../config';
import type { HubContext } from '../../context';
import { notFound } from '../../errors';
import type { ChannelService } from '../channel-service';
import { type WebhookGuard, parseJson, rawBody } from '../webhook-security';
import { SMS_STATUS_DELIVERED } from './sms-adapter';

export const SMS_WEBHOOK_PREFIX = '/api/v1/channels/sms';

/** A message from a handset to the sender number (MO). */
export const SmsInbound = z.object({
  messageId: z.string().min(1).max(200),
  from: z.string().min(3).max(32),
  to: z.string().min(3).max(32),
  text: z.string().max(MAX_MESSAGE_LENGTH),
  type: z.enum(['SMS', 'LMS', 'MMS']),
  subject: z.string().max(200).optional(),
  dateReceived: z.string().max(40).optional(),
});

/** One delivery report; the gateway sends them in batches. */
export const SmsReport = z.object({
  messageId: z.string().min(1).max(200),
  statusCode: z.string().min(1).max(10),
  statusMessage: z.string().max(500).optional(),
  dateProcessed: z.string().max(40).optional(),
});
const SmsReports = z.array(SmsReport).min(1).max(1000);

export function smsWebhooks(
  scope: FastifyInstance,
  ctx: HubContext,
  channels: ChannelService,
  guard: WebhookGuard,
  settings: SmsSettings,
): void {
  const siteId = async (code: string) => {
    const site = await ctx.db.selectFrom('sites').select('id').where('code', '=', code).executeTakeFirst();
    if (!site) throw notFound('site');
    return site.id;
  };

  scope.post(`${SMS_WEBHOOK_PREFIX}/:site/inbound`, async (req) => {
    const raw = rawBody(req);
    guard.verify('sms', settings.webhookSecret, req, raw);
    const parsed = SmsInbound.safeParse(parseJson(guard, 'sms', req, raw));
    if (!parsed.success) throw guard.malformed('sms', req, parsed.error.issues);
    const p = parsed.data;
    const phone = normalizePhoneNumber(p.from);
    if (!phone) throw guard.malformed('sms', req, [{ path: ['from'], message: 'not a phone number' }]);
    const r = await channels.receive({
      siteId: await siteId((req.params as { site: string }).site),
      channel: 'sms',
      providerMessageId: p.messageId,
      from: { handle: phone, phone },
      body: p.text,
      ...(p.subject ? { subject: p.subject } : {}),
      ...(settings.queue ? { queue: settings.queue } : {}),
    });
    return { ok: true, duplicate: r.duplicate, messageId: r.messageId };
  });

  scope.post(`${SMS_WEBHOOK_PREFIX}/:site/report`, async (req) => {
    const raw = rawBody(req);
    guard.verify('sms', settings.webhookSecret, req, raw);
    const body = parseJson(guard, 'sms', req, raw);
    const parsed = SmsReports.safeParse(Array.isArray(body) ? body : [body]);
    if (!parsed.success) throw guard.malformed('sms', req, parsed.error.issues);
    await siteId((req.params as { site: string }).site);
    let applied = 0;
    for (const r of parsed.data) {
      if (await guard.seenNonce('sms', `report ${r.messageId} ${r.statusCode}`)) continue;
      const delivered = r.statusCode === SMS_STATUS_DELIVERED;
      const res = await channels.report({
        channel: 'sms',
        providerMessageId: r.messageId,
        status: delivered ? 'delivered' : 'failed',
        ...(delivered
          ? {}
          : { reason: 'NOT_DELIVERED', detail: `${r.statusCode} ${r.statusMessage ?? ''}`.trim() }),
      });
      if (res.applied) applied += 1;
    }
    return { ok: true, applied };
  });
}
