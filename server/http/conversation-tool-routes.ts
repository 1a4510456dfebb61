/**
 * HTTP reads the conversation view needs beside its socket commands: the
 * site's directory for it (agents to mention or transfer to, queues, reply
 * limits, canned responses), a conversation's attachments, a customer's CRM
 * orders; and uploading a file onto a canned response (supervisors).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { MAX_ATTACHMENT_BYTES, sniffAttachmentType } from '@shared/webchat';
import type { CustomerOrders } from '@shared/conversation-tools';
import { Id } from '@shared/domain';
import type { HubContext } from '../context';
import { SUPERVISING_ROLES } from '../context';
import { HubError, notFound } from '../errors';
import { newId } from '../storage/ids';
import { validate } from '../channels/webchat/webchat-service';
import { cannedDir, listCannedResponses } from '../conversations/canned-responses';
import { crmError } from '../crm/crm-connector';
import { actorOf, authenticator } from './authenticate';
import { conversationRow } from '../conversations/conversation-service';

export function conversationToolRoutes(app: FastifyInstance, ctx: HubContext): void {
  const auth = { preHandler: authenticator(ctx) };

  app.get(`${API_PREFIX}/conversation-tools/directory`, auth, async (req) => {
    const actor = actorOf(req);
    const [agents, queues, canned] = await Promise.all([
      ctx.db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'role'])
        .where('site_id', '=', actor.siteId)
        .where('active', '=', 1)
        .where('role', 'in', ['agent', 'supervisor', 'site_manager'])
        .orderBy('display_name')
        .execute(),
      ctx.db
        .selectFrom('queues')
        .select(['id', 'name', 'channels_json'])
        .where('site_id', '=', actor.siteId)
        .orderBy('name')
        .execute(),
      listCannedResponses(ctx.db, actor.siteId),
    ]);
    return {
      agents: agents.map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        role: u.role,
      })),
      queues: queues.map((q) => ({
        id: q.id,
        name: q.name,
        channels: JSON.parse(q.channels_json) as string[],
      })),
      replyLimits: ctx.config.replyLimits,
      canned,
    };
  });

  app.get(`${API_PREFIX}/conversations/:id/attachments`, auth, async (req) => {
    const actor = actorOf(req);
    const { id } = validate(z.object({ id: Id }), req.params);
    await conversationRow(ctx.db, actor, id); // NOT_FOUND unless the actor's site owns it
    const rows = await ctx.db
      .selectFrom('webchat_attachments')
      .select(['id', 'message_id', 'name', 'content_type', 'size'])
      .where('site_id', '=', actor.siteId)
      .where((eb) =>
        eb.or([
          eb('conversation_id', '=', id),
          // Messages merged in from another conversation keep their files.
          eb('message_id', 'in', eb.selectFrom('messages').select('id').where('conversation_id', '=', id)),
        ]),
      )
      .execute();
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      name: r.name,
      contentType: r.content_type,
      size: Number(r.size),
    }));
  });

  app.get(`${API_PREFIX}/customers/:id/orders`, auth, async (req): Promise<CustomerOrders> => {
    const actor = actorOf(req);
    const { id } = validate(z.object({ id: Id }), req.params);
    const customer = await ctx.db
      .selectFrom('customers')
      .select('id')
      .where('id', '=', id)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!customer) throw notFound('customer');
    if (!ctx.crm) throw crmError('CRM_NOT_CONFIGURED', 'no CRM is connected to this hub');
    const identities = await ctx.db
      .selectFrom('identities')
      .select(['channel', 'handle'])
      .where('customer_id', '=', id)
      .execute();
    const orders = await ctx.crm.ordersOf({
      id,
      phones: identities.filter((i) => i.channel === 'voice').map((i) => i.handle),
      emails: identities.filter((i) => i.channel === 'email').map((i) => i.handle),
    });
    return { customerId: id, orders };
  });

  app.register((scope, _opts, done) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 1024 },
      (_req, body, next) => next(null, body),
    );
    scope.post(
      `${API_PREFIX}/canned-responses/:id/attachments`,
      { preHandler: authenticator(ctx, SUPERVISING_ROLES) },
      async (req, reply) => {
        const actor = actorOf(req);
        const { id } = validate(z.object({ id: Id }), req.params);
        const { name } = validate(z.object({ name: z.string().min(1).max(200) }), req.query);
        const canned = await ctx.db
          .selectFrom('canned_responses')
          .select('id')
          .where('id', '=', id)
          .where('site_id', '=', actor.siteId)
          .executeTakeFirst();
        if (!canned) throw notFound('canned response');
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
          throw new HubError('BAD_REQUEST', 'send the file as application/octet-stream');
        }
        const contentType = sniffAttachmentType(req.body);
        if (!contentType) {
          throw new HubError(
            'VALIDATION_FAILED',
            'only PNG, JPEG, GIF, WebP images and PDF files are accepted',
            {
              reason: 'UNSUPPORTED_TYPE',
            },
          );
        }
        const fileId = newId();
        const dir = cannedDir(ctx, actor.siteId);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, fileId), req.body, { mode: 0o600 });
        const row = {
          id: fileId,
          site_id: actor.siteId,
          canned_id: id,
          name: name.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 120),
          content_type: contentType,
          size: req.body.length,
          created_at: Date.now(),
        };
        await ctx.db.insertInto('canned_attachments').values(row).execute();
        return reply
          .code(201)
          .send({ id: row.id, name: row.name, contentType: row.content_type, size: row.size });
      },
    );
    done();
  });
}
