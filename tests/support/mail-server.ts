/**
 * A private Postfix (SMTP) and Dovecot (IMAP) for tests, started and stopped
 * by the project's own scripts/mail-dev.sh on free loopback ports with
 * Maildirs in a temp dir. `mailAvailability()` installs the Debian packages
 * through scripts/system-deps.sh when they are missing and says why not when
 * that fails (or when there is no root for Postfix's master), so a test can
 * skip with a reason.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { freePort } from './kamailio';
import { type Availability, requireOnCi } from './availability';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/mail-dev.sh');
const run = promisify(execFile);

export interface MailUser {
  address: string;
  password: string;
}

export interface TestMailServer {
  smtpPort: number;
  imapPort: number;
  dir: string;
  users: MailUser[];
  /** Submits a raw RFC 822 message through Postfix (as a customer's mail server would). */
  deliver(raw: string | Buffer, envelope: { from: string; to: string[] }): Promise<void>;
  /** Puts a message straight into the user's INBOX with the given arrival date (IMAP APPEND). */
  append(user: MailUser, raw: string, date: Date): Promise<void>;
  /** Every message in the user's INBOX, oldest first, with the headers tests look at. */
  inbox(user: MailUser): Promise<FetchedMail[]>;
  /** Postfix's and Dovecot's logs so far, for failure messages. */
  logs(): string;
  /** Stops both servers and starts them again on the same ports and Maildirs (connections drop). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface FetchedMail {
  uid: number;
  subject: string;
  messageId: string;
  inReplyTo: string;
  references: string;
  from: string;
  /** The decoded plain-text body. */
  text: string;
  source: string;
}

function installed(): boolean {
  return existsSync('/usr/sbin/postfix') && existsSync('/usr/sbin/dovecot');
}

function canBeRoot(): boolean {
  if (process.getuid?.() === 0) return true;
  return spawnSync('sudo', ['-n', 'true']).status === 0;
}

let availability: Availability | undefined;

/** Installed (or installed now through system-deps) and startable; otherwise the reason it is not. */
export function mailAvailability(): Availability {
  return requireOnCi(probe(), 'mail');
}

function probe(): Availability {
  if (availability) return availability;
  if (!canBeRoot()) {
    return (availability = {
      ok: false,
      reason: "Postfix's master must start as root: run the mail tests as root or with password-less sudo",
    });
  }
  if (installed()) return (availability = { ok: true });
  const deps = spawnSync('bash', [join(ROOT, 'scripts/system-deps.sh'), 'mail'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (installed()) return (availability = { ok: true });
  const why = `${deps.stderr ?? ''}${deps.stdout ?? ''}`.trim().split('\n').slice(-3).join(' ');
  return (availability = {
    ok: false,
    reason: `postfix/dovecot are not installed and scripts/system-deps.sh mail could not install them: ${why}`,
  });
}

export async function startMailServer(opts: {
  users: MailUser[];
  domains?: string[];
  /** Addresses Postfix accepts and then bounces with a real delivery report (DSN) to the sender. */
  bounce?: string[];
}): Promise<TestMailServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ieum-mail-'));
  const [smtpPort, imapPort] = [await freePort(), await freePort()];
  const domains = opts.domains ?? [
    ...new Set([...opts.users.map((u) => u.address), ...(opts.bounce ?? [])].map((a) => a.split('@')[1]!)),
  ];
  const args = [
    'start',
    '--dir',
    dir,
    '--smtp-port',
    String(smtpPort),
    '--imap-port',
    String(imapPort),
    '--domains',
    domains.join(' '),
    ...opts.users.flatMap((u) => ['--user', `${u.address}:${u.password}`]),
    ...(opts.bounce ?? []).flatMap((a) => ['--bounce', a]),
  ];
  try {
    await run('bash', [SCRIPT, ...args], { cwd: ROOT });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    await run('bash', [SCRIPT, 'stop', '--dir', dir], { cwd: ROOT }).catch(() => undefined);
    removeRunDir(dir);
    throw new Error(`scripts/mail-dev.sh start failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  const logs = () =>
    ['postfix.log', 'dovecot.log']
      .map((f) => {
        try {
          return `--- ${f}\n${readFileSync(join(dir, f), 'utf8')}`;
        } catch {
          return '';
        }
      })
      .join('\n');
  let stopped = false;
  return {
    async restart() {
      await run('bash', [SCRIPT, 'stop', '--dir', dir], { cwd: ROOT });
      await run('bash', [SCRIPT, ...args], { cwd: ROOT });
    },
    smtpPort,
    imapPort,
    dir,
    users: opts.users,
    logs,
    async deliver(raw, envelope) {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        ignoreTLS: true,
      });
      try {
        await transport.sendMail({ envelope, raw });
      } finally {
        transport.close();
      }
    },
    async append(user, raw, date) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port: imapPort,
        secure: false,
        auth: { user: user.address, pass: user.password },
        logger: false,
      });
      await client.connect();
      try {
        await client.append('INBOX', raw, [], date);
      } finally {
        await client.logout().catch(() => undefined);
      }
    },
    async inbox(user) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port: imapPort,
        secure: false,
        auth: { user: user.address, pass: user.password },
        logger: false,
      });
      await client.connect();
      const out: FetchedMail[] = [];
      try {
        const lock = await client.getMailboxLock('INBOX');
        try {
          if ((client.mailbox && client.mailbox.exists) === 0) return out;
          for await (const m of client.fetch('1:*', { uid: true, envelope: true, source: true })) {
            const source = m.source?.toString('utf8') ?? '';
            const parsed = await simpleParser(m.source ?? Buffer.alloc(0));
            out.push({
              text: parsed.text ?? '',
              uid: m.uid,
              subject: m.envelope?.subject ?? '',
              messageId: m.envelope?.messageId ?? '',
              inReplyTo: m.envelope?.inReplyTo ?? '',
              references: header(source, 'references'),
              from: m.envelope?.from?.[0]?.address ?? '',
              source,
            });
          }
        } finally {
          lock.release();
        }
      } finally {
        await client.logout().catch(() => undefined);
      }
      return out;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await run('bash', [SCRIPT, 'stop', '--dir', dir], { cwd: ROOT }).catch(() => undefined);
      removeRunDir(dir);
    },
  };
}

/** The run dir holds files owned by postfix and nobody: a user without root removes it through sudo. */
function removeRunDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    spawnSync('sudo', ['-n', 'rm', '-rf', '--', dir]);
  }
}

/** One header's unfolded value from a raw message ('' when absent). */
function header(source: string, name: string): string {
  const head = source.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}
