/**
 * One mailbox per queue: where the hub reads the queue's mail (IMAP) and how
 * it answers (SMTP, from the queue's address). Part of the hub configuration
 * (`emailMailboxes`, or IEUM_EMAIL_MAILBOXES as JSON). Passwords live here
 * only: `describeMailbox` is what may be logged or shown.
 */
import { z } from 'zod';

/** Attachments larger than this are recorded by name and size but not kept. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024;

const Port = z.coerce.number().int().min(1).max(65535);

export const EmailMailboxConfig = z.object({
  /** Site code and queue name the mail is routed to. */
  site: z.string().min(1),
  queue: z.string().min(1),
  /** The queue's address: replies go out from it. */
  address: z.string().email(),
  /** Display name on replies, e.g. "이음 고객센터". */
  name: z.string().max(100).optional(),
  imap: z.object({
    host: z.string().min(1),
    port: Port,
    /** Implicit TLS (993). Without it STARTTLS is used when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().min(1),
    password: z.string(),
    mailbox: z.string().default('INBOX'),
  }),
  smtp: z.object({
    host: z.string().min(1),
    port: Port,
    secure: z.boolean().default(false),
    user: z.string().optional(),
    password: z.string().optional(),
  }),
  /** Appended to every reply; `{agent}` is the agent's display name, `{queue}` the queue's name. */
  signature: z.string().max(2000).default('--\n{agent}\n{queue}'),
  /** Fallback poll when the server has no IDLE or the connection dropped, in seconds. */
  pollSeconds: z.coerce.number().min(0.2).max(3600).default(30),
  maxAttachmentBytes: z.coerce.number().int().min(0).default(DEFAULT_MAX_ATTACHMENT_BYTES),
  /** The first time a mailbox is read, mail received in this many days before is taken (IMAP SINCE, by day). */
  firstReadDays: z.coerce.number().int().min(0).max(365).default(1),
});
export type EmailMailboxConfig = z.infer<typeof EmailMailboxConfig>;

/** The cursor's key: one per site and queue. */
export const mailboxKey = (m: Pick<EmailMailboxConfig, 'site' | 'queue'>): string => `${m.site}/${m.queue}`;

/** What may be logged or returned by the admin API: never a password. */
export function describeMailbox(m: EmailMailboxConfig) {
  return {
    site: m.site,
    queue: m.queue,
    address: m.address,
    imap: `${m.imap.user}@${m.imap.host}:${m.imap.port}${m.imap.secure ? ' (tls)' : ''}`,
    smtp: `${m.smtp.host}:${m.smtp.port}${m.smtp.secure ? ' (tls)' : ''}${m.smtp.user ? ' (auth)' : ''}`,
  };
}
