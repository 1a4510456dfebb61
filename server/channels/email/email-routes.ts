/** The desk's read of email conversations: each mail's headers, sanitised HTML and attachments. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX, ErrorResponse } from '@shared/api';
import { EmailView } from '@shared/email';
import { type HubContext, requireRole } from '../../context';
import { actorOf, authenticator } from '../../http/authenticate';
import type { EmailChannel } from './email-channel';

export function emailRoutes(app: FastifyInstance, ctx: HubContext, email: EmailChannel): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const common = { preHandler: authenticator(ctx) };

  r.get(
    `${API_PREFIX}/conversations/:id/email`,
    {
      ...common,
      schema: {
        tags: ['email'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
        response: { 200: z.array(EmailView), 404: ErrorResponse },
      },
    },
    (req) => email.views(actorOf(req), req.params.id),
  );

  r.get(
    `${API_PREFIX}/admin/email/mailboxes`,
    {
      ...common,
      schema: {
        tags: ['email', 'admin'],
        security: [{ bearer: [] }],
        response: {
          200: z.array(
            z.object({
              site: z.string(),
              queue: z.string(),
              address: z.string(),
              imap: z.string(),
              smtp: z.string(),
              active: z.boolean(),
              lastUid: z.number().nullable(),
              readAt: z.string().nullable(),
            }),
          ),
          403: ErrorResponse,
        },
      },
    },
    (req) => {
      requireRole(actorOf(req), ['admin', 'site_manager']);
      return email.describe();
    },
  );

  r.get(
    `${API_PREFIX}/email/attachments/:id`,
    {
      ...common,
      schema: {
        tags: ['email'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string() }),
      },
    },
    async (req, reply) => {
      const a = await email.attachment(actorOf(req), req.params.id);
      // Always a download: an attachment is never rendered by the hub's origin.
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(a.bytes);
    },
  );
}
