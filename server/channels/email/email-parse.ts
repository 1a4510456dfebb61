/**
 * A raw RFC 822 message normalised into what the hub stores: the shared
 * Message body (what the customer wrote now, without quoted history), the
 * threading headers, the sanitised HTML, attachments, and whether the mail
 * is machine-made (never answered) or a bounce of one of our replies.
 * Malformed MIME is parsed as far as it goes, never thrown: the caller logs
 * `malformed` and stores what there is.
 */
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { MAX_MESSAGE_LENGTH } from '@shared/domain';
import { type AutoReason, autoReason, type HeaderView } from './email-loops';
import { sanitizeEmailHtml, splitQuotedHtml, splitQuotedText } from './email-html';

export interface ParsedAttachment {
  name: string;
  contentType: string;
  size: number;
  contentId: string | null;
  /** Null when the attachment was over the size limit (kept by name and size only). */
  content: Buffer | null;
}

export interface ParsedEmail {
  /** The Message-ID header with angle brackets; synthesised from the content when missing. */
  messageId: string;
  inReplyTo: string | null;
  /** References, oldest first, each with angle brackets. */
  references: string[];
  subject: string;
  /** Subject without Re:/Fwd:/회신: prefixes, lower-cased: the last threading resort. */
  threadSubject: string;
  from: { address: string; name: string } | null;
  to: string[];
  cc: string[];
  replyTo: string | null;
  date: number | null;
  /** What the customer wrote now, as text: the shared Message body. */
  body: string;
  /** Sanitised HTML of the same (null for a text-only mail). */
  html: string | null;
  /** Earlier mails the customer's client quoted (collapsed in the desk). */
  quotedHtml: string | null;
  quotedText: string | null;
  attachments: ParsedAttachment[];
  /** Why the mail must not be answered, or null. */
  auto: AutoReason | null;
  /** A delivery report: which of our messages failed, and why. */
  bounce: { originalMessageId: string | null; status: string; diagnostic: string } | null;
  /** Set when the MIME structure was broken and this is a best effort. */
  malformed: string | null;
}

export interface ParseOptions {
  /** Domain of the Message-IDs this hub writes: mail carrying one is our own (a loop). */
  ownDomain: string;
  maxAttachmentBytes: number;
  /** URL the desk loads an inline image from, by content id; null blocks it. */
  inlineUrl?: (cid: string) => string | null;
}

const REPLY_PREFIX = /^\s*((re|fw|fwd|aw|sv|vs|답장|회신|전달|답변)\s*(\[\d+\])?\s*[:：]\s*)+/i;

export function threadSubject(subject: string): string {
  let s = subject;
  for (let i = 0; i < 10 && REPLY_PREFIX.test(s); i++) s = s.replace(REPLY_PREFIX, '');
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

export async function parseEmail(raw: Buffer, opts: ParseOptions): Promise<ParsedEmail> {
  let mail: ParsedMail;
  let malformed: string | null = null;
  try {
    mail = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextToHtml: true,
      maxHtmlLengthToParse: 5_000_000,
    });
  } catch (error) {
    malformed = `mime: ${(error as Error).message}`.slice(0, 300);
    return bestEffort(raw, opts, malformed);
  }
  if (!mail.headers || mail.headers.size === 0) malformed = 'no headers';
  const headers = headerView(mail);
  const from = firstAddress(mail.from);
  const messageId = angle(mail.messageId) ?? syntheticId(raw);
  const auto = autoReason(headers, { messageId, from: from?.address ?? null, ownDomain: opts.ownDomain });
  const attachments: ParsedAttachment[] = [];
  const cids = new Map<string, string>();
  for (const a of mail.attachments ?? []) {
    const keep = a.size <= opts.maxAttachmentBytes;
    const contentId = a.contentId ? a.contentId.replace(/^<|>$/g, '') : null;
    attachments.push({
      name: safeName(
        a.filename ?? (a.contentType === 'message/delivery-status' ? 'delivery-status.txt' : 'attachment'),
      ),
      contentType: a.contentType || 'application/octet-stream',
      size: a.size,
      contentId,
      content: keep ? a.content : null,
    });
    if (contentId) cids.set(contentId, contentId);
  }
  const inline = (cid: string) => (cids.has(cid) ? (opts.inlineUrl?.(cid) ?? null) : null);
  // Split before sanitising: the quote markers are classes and ids the sanitiser removes.
  const rawSplit = typeof mail.html === 'string' && mail.html.trim() ? splitQuotedHtml(mail.html) : null;
  const splitHtml = rawSplit
    ? {
        main: sanitizeEmailHtml(rawSplit.main, inline),
        quoted: rawSplit.quoted ? sanitizeEmailHtml(rawSplit.quoted, inline) : null,
      }
    : null;
  const html = splitHtml?.main ?? null;
  const text = mail.text ?? (html ? htmlToText(html) : '');
  const splitText = splitQuotedText(text);
  const subject = (mail.subject ?? '').slice(0, 500);
  return {
    messageId,
    inReplyTo: angle(mail.inReplyTo?.split(/\s+/)[0]),
    references: referencesOf(mail.references),
    subject,
    threadSubject: threadSubject(subject),
    from,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: firstAddress(mail.replyTo)?.address ?? null,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.getTime() : null,
    body: (splitText.main || (splitHtml ? htmlToText(splitHtml.main) : '') || subject).slice(
      0,
      MAX_MESSAGE_LENGTH,
    ),
    html: splitHtml ? splitHtml.main : null,
    quotedHtml: splitHtml?.quoted ?? null,
    quotedText: splitText.quoted,
    attachments,
    auto,
    bounce: isReport(headers, from?.address ?? null) ? bounceOf(mail, text) : null,
    malformed,
  };
}

/** When the MIME parser gave up: headers by hand, the rest as text. */
function bestEffort(raw: Buffer, opts: ParseOptions, malformed: string): ParsedEmail {
  const source = raw.toString('utf8');
  const split = source.search(/\r?\n\r?\n/);
  const head = (split >= 0 ? source.slice(0, split) : source).replace(/\r?\n[ \t]+/g, ' ');
  const body = split >= 0 ? source.slice(split).trim() : '';
  const get = (name: string) =>
    head
      .split(/\r?\n/)
      .find((l) => l.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const fromRaw = get('from') ?? '';
  const address = /<?([^<>\s@]+@[^<>\s]+?)>?$/.exec(fromRaw.trim())?.[1]?.toLowerCase() ?? null;
  const messageId = angle(get('message-id')) ?? syntheticId(raw);
  const subject = (get('subject') ?? '').slice(0, 500);
  const view: HeaderView = { get, has: (n) => get(n) !== undefined };
  return {
    messageId,
    inReplyTo: angle(get('in-reply-to')),
    references: referencesOf(get('references')),
    subject,
    threadSubject: threadSubject(subject),
    from: address ? { address, name: '' } : null,
    to: [],
    cc: [],
    replyTo: null,
    date: null,
    body: (body || subject).slice(0, MAX_MESSAGE_LENGTH),
    html: null,
    quotedHtml: null,
    quotedText: null,
    attachments: [],
    auto: autoReason(view, { messageId, from: address, ownDomain: opts.ownDomain }),
    bounce: null,
    malformed,
  };
}

/** A delivery report: multipart/report, or a mail from the mailer daemon (older MTAs send plain text). */
function isReport(headers: HeaderView, from: string | null): boolean {
  return (
    (headers.get('content-type') ?? '').toLowerCase().includes('multipart/report') ||
    /^(mailer-daemon|postmaster)@/.test(from ?? '')
  );
}

/** A DSN (RFC 3464): the failed message's id from the returned headers, the status and diagnostic. */
function bounceOf(mail: ParsedMail, text: string): ParsedEmail['bounce'] {
  const parts = (mail.attachments ?? []).map((a) => a.content.toString('utf8'));
  const all = [text, ...parts].join('\n');
  const status = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(all)?.[1] ?? '';
  const action = /^Action:\s*(\S+)/im.exec(all)?.[1]?.toLowerCase() ?? 'failed';
  if (action !== 'failed' && !status.startsWith('5')) return null;
  const diagnostic = (/^Diagnostic-Code:\s*(.+)$/im.exec(all)?.[1] ?? '').trim().slice(0, 300);
  // The returned headers are in the message/rfc822(-headers) part; mailparser hands them over as an attachment.
  let original: string | null = null;
  for (const p of parts) {
    const m = /^Message-ID:\s*(<[^>\s]+>)/im.exec(p);
    if (m) original = m[1]!;
  }
  return { originalMessageId: original, status: status || '5.0.0', diagnostic };
}

/** Headers as the sender wrote them (mailparser restructures some, e.g. List-* into `list`). */
function headerView(mail: ParsedMail): HeaderView {
  const lines = new Map<string, string>();
  for (const h of mail.headerLines ?? []) {
    if (!lines.has(h.key))
      lines.set(
        h.key,
        h.line
          .slice(h.line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      );
  }
  return { has: (n) => lines.has(n), get: (n) => lines.get(n) };
}

function referencesOf(r: string | string[] | undefined): string[] {
  const list = (Array.isArray(r) ? r.join(' ') : (r ?? '')).match(/<[^<>\s]+>/g) ?? [];
  return [...new Set(list)].slice(-50);
}

function angle(id: string | undefined | null): string | null {
  const t = id?.trim();
  if (!t) return null;
  const m = /<[^<>\s]+>/.exec(t);
  return m ? m[0] : /^[^<>\s]+$/.test(t) ? `<${t}>` : null;
}

function syntheticId(raw: Buffer): string {
  // The same bytes give the same id, so a re-read of a mail without a Message-ID is still one message.
  let h = 0x811c9dc5;
  for (let i = 0; i < raw.length; i += Math.max(1, Math.floor(raw.length / 65_536))) {
    h = Math.imul(h ^ raw[i]!, 0x01000193) >>> 0;
  }
  return `<no-id.${raw.length}.${h.toString(16)}@ieum.invalid>`;
}

function firstAddress(
  a: AddressObject | AddressObject[] | undefined,
): { address: string; name: string } | null {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const o of list) {
    for (const v of o.value) if (v.address) return { address: v.address.toLowerCase(), name: v.name ?? '' };
  }
  return null;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list
    .flatMap((o) => o.value.map((v) => v.address?.toLowerCase() ?? '').filter(Boolean))
    .slice(0, 100);
}

function safeName(name: string): string {
  return name.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 200) || 'attachment';
}

/** Text of sanitised HTML (for the Message body of an HTML-only mail). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
