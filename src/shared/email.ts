/**
 * The email channel's view of a message, for the desk: the mail's headers,
 * its HTML as the hub sanitised it, the quoted history split off, the
 * attachments, and where a reply stands. Served by
 * `GET /api/v1/conversations/:id/email` beside the shared Message.
 */
import { z } from 'zod';
import { Id } from './domain';

export const EMAIL_STATUSES = ['received', 'auto', 'queued', 'sent', 'delivered', 'failed'] as const;
export const EmailStatus = z.enum(EMAIL_STATUSES);
export type EmailStatus = z.infer<typeof EmailStatus>;

export const EmailAttachment = z.object({
  id: Id,
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  /** False when it was over the mailbox's size limit: listed, but its bytes were not kept. */
  stored: z.boolean(),
});
export type EmailAttachment = z.infer<typeof EmailAttachment>;

export const EmailView = z.object({
  /** The shared Message's id. */
  messageId: Id,
  direction: z.enum(['in', 'out']),
  subject: z.string(),
  from: z.object({ address: z.string(), name: z.string() }),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  /** Sanitised by the hub (no script, no remote images); shown in a sandboxed frame. */
  html: z.string().nullable(),
  quotedHtml: z.string().nullable(),
  quotedText: z.string().nullable(),
  attachments: z.array(EmailAttachment),
  status: EmailStatus,
  /** Why a reply failed (the server's words), or why an inbound mail got no answer. */
  statusDetail: z.string().nullable(),
  /** Set for machine-made inbound mail (auto-reply, list, loop, bounce): it is never answered. */
  auto: z.string().nullable(),
});
export type EmailView = z.infer<typeof EmailView>;

export const emailAttachmentPath = (id: string): string =>
  `/api/v1/email/attachments/${encodeURIComponent(id)}`;
