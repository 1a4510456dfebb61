/**
 * HTTP side of the adapter channels: the providers' signed webhooks (SMS,
 * messenger) and what an agent sends besides text — a notification template
 * (알림톡 style, e.g. when a messenger session has ended) and a messenger
 * image or file. Text replies go through the desk's `message.send` command.
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MESSENGER_IMAGE_TYPES, MESSENGER_MAX_FILE_BYTES, SendTemplateRequest } from '@shared/channels';
import { Channel, Id } from '@shared/domain';
import { sniffAttachmentType } from '@shared/webchat';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import { actorOf, authenticator } from '../http/authenticate';
import { runCommand } from '../realtime/command-runner';
import { newId } from '../storage/ids';
import { getConversation } from '../conversations/conversation-service';
import { channelLimitError } from './channel-adapter';
import type { ChannelService } from './channel-service';
import { MessengerAdapter } from './messenger/messenger-adapter';
import { messengerWebhooks } from './messenger/messenger-webhooks';
import { smsWebhooks } from './sms/sms-webhooks';
import { WebhookGuard, rawJsonScope } from './webhook-security';
import { validate } from './webchat/webchat-service';

export const CHANNELS_PREFIX = '/api/v1/channels';
/** Webhook bodies: a batch of reports or one message; far below any attachment. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

export async function channelRoutes(
  app: FastifyInstance,
  ctx: HubContext,
  channels: ChannelService,
): Promise<void> {
  const settings = ctx.config.channels;
  const guard = new WebhookGuard(ctx, settings.webhooks);
  await rawJsonScope(app, WEBHOOK_BODY_LIMIT, (scope) => {
    if (settings.sms) smsWebhooks(scope, ctx, channels, guard, settings.sms);
    if (settings.messenger) messengerWebhooks(scope, ctx, channels, guard, settings.messenger);
  });

  const auth = { preHandler: authenticator(ctx) };

  // A notification template to the customer's phone (callback confirmation, survey invitation).
  app.post(`${CHANNELS_PREFIX}/conversations/:id/templates`, auth, async (req, reply) => {
    const { id } = validate(z.object({ id: Id }), req.params);
    const input = validate(SendTemplateRequest, req.body);
    const actor = actorOf(req);
    const adapter = channels.adapter('messenger');
    if (!(adapter instanceof MessengerAdapter)) {
      throw channelLimitError('no messenger account is set up on this hub', {
        reason: 'CHANNEL_DISABLED',
        channel: 'messenger',
      });
    }
    const conversation = await getConversation(ctx.db, actor, id);
    const customer = await ctx.db
      .selectFrom('customers')
      .select('name')
      .where('id', '=', conversation.customerId)
      .executeTakeFirstOrThrow();
    const { body, buttons } = adapter.render(input.template, { name: customer.name, ...input.variables });
    const message = await runCommand(ctx, actor, 'channel.template', input.commandId, (trx) =>
      channels.sendIn(trx, actor, {
        conversationId: id,
        body,
        clientId: input.commandId,
        kind: 'out',
        channel: 'messenger',
        buttons,
        template: { code: input.template, variables: input.variables },
      }),
    );
    channels.kick();
    return reply.code(201).send(message);
  });

  // A messenger image or file: the raw bytes, checked against the channel's limits before storing.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MESSENGER_MAX_FILE_BYTES + 1024 },
      (_req, body, done) => done(null, body),
    );
    scope.post(`${CHANNELS_PREFIX}/conversations/:id/attachments`, auth, async (req, reply) => {
      const { id } = validate(z.object({ id: Id }), req.params);
      const q = validate(
        z.object({
          name: z.string().min(1).max(200),
          commandId: z.string().min(8).max(64),
          channel: Channel.default('messenger'),
          body: z.string().max(1000).optional(),
        }),
        req.query,
      );
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new HubError('BAD_REQUEST', 'send the file as application/octet-stream');
      }
      const actor = actorOf(req);
      const sniffed = sniffAttachmentType(req.body);
      const isImage = sniffed !== null && (MESSENGER_IMAGE_TYPES as readonly string[]).includes(sniffed);
      const attachmentId = newId();
      const dir = join(ctx.config.dataDir, 'channels', 'attachments', actor.siteId);
      const name = q.name.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 120) || 'file';
      const attachment = {
        kind: isImage ? ('image' as const) : ('file' as const),
        name,
        contentType: sniffed ?? 'application/octet-stream',
        size: req.body.length,
        path: join(dir, attachmentId),
      };
      const bytes = req.body;
      const message = await runCommand(ctx, actor, 'channel.attachment', q.commandId, async (trx) => {
        // Limits first (sendIn refuses before storing); the file is written only for a message that will be.
        const outcome = await channels.sendIn(trx, actor, {
          conversationId: id,
          body: q.body ?? `${isImage ? '📷' : '📎'} ${name}`,
          clientId: q.commandId,
          kind: 'out',
          channel: q.channel,
          attachment,
        });
        mkdirSync(dir, { recursive: true });
        await writeFile(attachment.path, bytes, { mode: 0o600 });
        return outcome;
      });
      channels.kick();
      return reply.code(201).send(message);
    });
  });
}
