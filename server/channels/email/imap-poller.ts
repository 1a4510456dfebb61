/**
 * Reads one mailbox over IMAP (imapflow): everything after the stored UID
 * cursor at start, then new mail as IDLE announces it, with a poll every
 * `pollSeconds` as the fallback for servers without IDLE or a silently dead
 * connection. Reconnects with backoff. A mail is handed over one at a time,
 * in UID order; the handler stores it and moves the cursor in one
 * transaction, so a restart resumes exactly after the last stored mail.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { EmailMailboxConfig } from './email-config';

/** A mail that failed to store this many times is skipped (and logged), so one bad mail cannot stop the mailbox. */
export const MAX_STORE_ATTEMPTS = 3;

export interface PollerHandler {
  /** Where the cursor stands (null: never read). */
  cursor(): Promise<{ uidValidity: string; lastUid: number } | null>;
  /** Stores one mail and moves the cursor to its UID. */
  mail(raw: Buffer, uid: number, uidValidity: string): Promise<void>;
  /** A mail skipped after repeated failures: the cursor moves past it anyway. */
  skip(uid: number, uidValidity: string, error: unknown): Promise<void>;
}

export class ImapPoller {
  private client: ImapFlow | null = null;
  private stopped = false;
  private draining: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private readonly attempts = new Map<number, number>();

  constructor(
    private readonly mailbox: EmailMailboxConfig,
    private readonly handler: PollerHandler,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.draining?.catch(() => undefined);
    const c = this.client;
    this.client = null;
    if (c) await c.logout().catch(() => c.close());
  }

  /** Reads whatever is new now (also what the poll timer calls). */
  poll(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        // Whatever fails here (the database, the connection) is logged and
        // tried again at the next poll; it never escapes as an unhandled rejection.
        await this.drain().catch((err: unknown) => this.log.error({ err }, 'reading the mailbox failed'));
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const m = this.mailbox;
    const client = new ImapFlow({
      host: m.imap.host,
      port: m.imap.port,
      secure: m.imap.secure,
      auth: { user: m.imap.user, pass: m.imap.password },
      logger: false,
      maxIdleTime: 5 * 60_000,
      // IDLE soon after each read (imapflow waits 15 s by default), so new mail shows at once.
      autoIdleDelay: 500,
      emitLogs: false,
    });
    client.on('error', (err: Error) => this.log.warn({ err: err.message }, 'imap connection error'));
    client.on('close', () => {
      if (!this.stopped) this.log.info({ queue: m.queue }, 'imap connection closed; reconnecting');
      if (this.client === client) this.client = null;
      this.scheduleReconnect();
    });
    client.on('exists', () => void this.poll());
    try {
      await client.connect();
      await client.mailboxOpen(m.imap.mailbox);
      this.client = client;
      this.failures = 0;
      this.log.info({ mailbox: m.imap.mailbox, queue: m.queue }, 'imap mailbox open');
      if (!this.timer) this.timer = setInterval(() => void this.poll(), m.pollSeconds * 1000);
      await this.poll();
    } catch (err) {
      this.log.warn({ err: (err as Error).message, queue: m.queue }, 'imap connect failed');
      client.close();
      // Also here: a connection that never opened may not emit 'close'.
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.failures++;
    const delay = Math.min(60_000, 500 * 2 ** Math.min(this.failures, 7));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.client) void this.connect();
    }, delay);
  }

  private async drain(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped || !client.mailbox) return;
    const uidValidity = String(client.mailbox.uidValidity);
    const cursor = await this.handler.cursor();
    // A new UIDVALIDITY means the server renumbered the mailbox: read it all
    // again; Message-IDs already stored are recognised and not stored twice.
    const after = cursor && cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
    let uids: number[];
    try {
      // The first read of a mailbox takes only its recent mail (`firstReadDays`),
      // so connecting a mailbox with years of history does not route all of it.
      const query = cursor
        ? { uid: `${after + 1}:*` }
        : { since: new Date(Date.now() - this.mailbox.firstReadDays * 86_400_000) };
      const found = await client.search(query, { uid: true });
      uids = (found || []).filter((u) => u > after).sort((a, b) => a - b);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'imap search failed');
      return;
    }
    for (const uid of uids) {
      if (this.stopped || this.client !== client) return;
      const msg = await client
        .fetchOne(String(uid), { source: true, uid: true }, { uid: true })
        .catch(() => false as const);
      if (!msg || !msg.source) {
        this.log.warn({ uid }, 'imap fetch failed; will try again');
        return;
      }
      try {
        await this.handler.mail(msg.source, uid, uidValidity);
        this.attempts.delete(uid);
      } catch (err) {
        const n = (this.attempts.get(uid) ?? 0) + 1;
        this.attempts.set(uid, n);
        if (n < MAX_STORE_ATTEMPTS) {
          this.log.error({ err, uid, attempt: n }, 'storing a mail failed; will try again');
          return;
        }
        this.attempts.delete(uid);
        this.log.error({ err, uid }, 'storing a mail failed repeatedly; skipped');
        await this.handler.skip(uid, uidValidity, err);
      }
    }
  }
}
