/**
 * HTTP side of the web chat: the widget script and demo page, starting a
 * chat, attachments (upload by the visitor; download by that visitor or the
 * site's agents), and the agent's typing / read signals for the visitor.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '@shared/domain';
import { MAX_ATTACHMENT_BYTES, VisitorTypingCommand, WEBCHAT_PREFIX } from '@shared/webchat';
import type { HubContext } from '../../context';
import { HubError, notFound } from '../../errors';
import { actorOf, authenticator } from '../../http/authenticate';
import { newId } from '../../storage/ids';
import { demoPage } from './demo-page';
import { attachmentDir, validate, type WebchatService } from './webchat-service';
import { widgetScript } from './widget-bundle';

/** Visitors send `Authorization: Visitor <token>`; an `<img>` passes `?token=`. */
function visitorToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Visitor ')) return h.slice('Visitor '.length).trim();
  const q = (req.query as { token?: unknown } | undefined)?.token;
  return typeof q === 'string' ? q : undefined;
}

export async function webchatRoutes(
  app: FastifyInstance,
  ctx: HubContext,
  webchat: WebchatService,
): Promise<void> {
  app.get('/widget.js', async (_req, reply) => {
    const js = await widgetScript(ctx.log);
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('access-control-allow-origin', '*')
      .send(js);
  });

  app.get('/widget/demo', async (req, reply) => {
    const q = req.query as { lang?: string; site?: string };
    return reply.header('content-type', 'text/html; charset=utf-8').send(
      demoPage({
        lang: q.lang === 'en' ? 'en' : 'ko',
        site: /^[a-z0-9-]{1,32}$/.test(q.site ?? '') ? q.site! : 'seoul',
      }),
    );
  });

  app.post(`${WEBCHAT_PREFIX}/sessions`, async (req, reply) =>
    reply.code(201).send(await webchat.start(req.body)),
  );

  // Attachments travel as the raw bytes; only this scope parses binary bodies, with its own limit.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 1024 },
      (_req, body, done) => done(null, body),
    );
    scope.post(`${WEBCHAT_PREFIX}/attachments`, async (req, reply) => {
      const session = await webchat.session(webchat.tokens.verify(visitorToken(req)));
      const q = validate(
        z.object({ name: z.string().min(1).max(200), clientId: z.string().min(8).max(64).optional() }),
        req.query,
      );
      if (!Buffer.isBuffer(req.body))
        throw new HubError('BAD_REQUEST', 'send the file as application/octet-stream');
      const r = await webchat.send(
        session,
        { clientId: q.clientId ?? newId(), body: `📎 ${q.name}` },
        {
          name: q.name,
          bytes: req.body,
        },
      );
      return reply.code(201).send(r);
    });
  });

  app.get(`${WEBCHAT_PREFIX}/attachments/:id`, async (req, reply) => {
    const { id } = validate(z.object({ id: Id }), req.params);
    const row = await ctx.db
      .selectFrom('webchat_attachments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('attachment');
    const vt = visitorToken(req);
    if (vt) {
      // The conversation's own visitor, or nobody.
      const session = await webchat.session(webchat.tokens.verify(vt));
      if (session.conversationId !== row.conversation_id) throw notFound('attachment');
    } else {
      await authenticator(ctx)(req, reply);
      if (actorOf(req).siteId !== row.site_id) throw notFound('attachment');
    }
    return reply
      .header('content-type', row.content_type)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header(
        'content-disposition',
        `${row.content_type === 'application/pdf' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(row.name)}`,
      )
      .send(createReadStream(join(attachmentDir(ctx, row.site_id), row.id)));
  });

  // The assignee's desk tells the visitor it is typing or has read the conversation.
  const agentOf = async (req: FastifyRequest) => {
    const { id } = validate(z.object({ id: Id }), req.params);
    const actor = actorOf(req);
    const conv = await ctx.db
      .selectFrom('conversations')
      .select(['assignee_id'])
      .where('id', '=', id)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!conv || !(await webchat.isWebchat(id))) throw notFound('conversation');
    return id;
  };
  app.post(`${WEBCHAT_PREFIX}/conversations/:id/typing`, { preHandler: authenticator(ctx) }, async (req) => {
    const id = await agentOf(req);
    const { typing } = validate(VisitorTypingCommand, req.body);
    webchat.agentTyping(id, typing);
    return { ok: true };
  });
  app.post(`${WEBCHAT_PREFIX}/conversations/:id/read`, { preHandler: authenticator(ctx) }, async (req) => {
    await webchat.agentRead(await agentOf(req));
    return { ok: true };
  });
}
