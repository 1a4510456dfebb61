import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { EmailMailboxConfig, describeMailbox } from '../../../server/channels/email/email-config';
import { sanitizeEmailHtml, splitQuotedText } from '../../../server/channels/email/email-html';
import { autoReason } from '../../../server/channels/email/email-loops';
import { parseEmail, threadSubject } from '../../../server/channels/email/email-parse';

const headers = (h: Record<string, string>) => ({
  get: (n: string) => h[n],
  has: (n: string) => n in h,
});
const own = { messageId: '<a@customer.test>', from: 'kim@customer.test', ownDomain: 'ieum.example.co.kr' };

describe('email threading subject', () => {
  it('drops reply and forward prefixes in English and Korean, however many', () => {
    expect(threadSubject('RE: Re: 회신: 전달: FW: 배송  문의')).toBe('배송 문의');
    expect(threadSubject('Re[2]: Order')).toBe('order');
    expect(threadSubject('Reservation')).toBe('reservation');
  });
});

describe('machine-made mail by headers', () => {
  it('knows auto-replies, bulk, lists, loops and delivery reports; a person’s mail is none', () => {
    expect(autoReason(headers({ 'auto-submitted': 'auto-replied' }), own)).toBe('auto-submitted');
    expect(autoReason(headers({ 'auto-submitted': 'no' }), own)).toBeNull();
    expect(autoReason(headers({ precedence: 'Bulk' }), own)).toBe('precedence');
    expect(autoReason(headers({ 'x-autorespond': 'yes' }), own)).toBe('x-autoreply');
    expect(autoReason(headers({ 'list-unsubscribe': '<mailto:x>' }), own)).toBe('list');
    expect(autoReason(headers({}), { ...own, messageId: '<m1@IEUM.example.co.kr>' })).toBe('own-message');
    expect(
      autoReason(headers({ 'content-type': 'multipart/report; report-type=delivery-status' }), own),
    ).toBe('bounce');
    expect(autoReason(headers({}), { ...own, from: 'MAILER-DAEMON@mx.customer.test' })).toBe('mailer-daemon');
    expect(autoReason(headers({ subject: '자동응답 아님' }), own)).toBeNull();
  });
});

describe('quoted history', () => {
  it('splits a text reply at the quote header or the first > line', () => {
    expect(
      splitQuotedText('네 좋아요\n\nOn Mon, 23 Nov 2026 at 10:00, 고객센터 wrote:\n> 안내드립니다'),
    ).toEqual({
      main: '네 좋아요',
      quoted: 'On Mon, 23 Nov 2026 at 10:00, 고객센터 wrote:\n> 안내드립니다',
    });
    expect(splitQuotedText('감사합니다\n-----원본 메시지-----\n보낸 사람: 고객센터').quoted).toContain(
      '원본 메시지',
    );
    expect(splitQuotedText('> only a quote').quoted).toBeNull();
  });
});

describe('HTML made safe', () => {
  it('removes script, handlers, javascript: links, forms and remote images; keeps layout', () => {
    const out = sanitizeEmailHtml(
      '<p style="color:red" onmouseover="x()">안녕<script>alert(1)</script></p><form><input></form>' +
        '<a href="javascript:alert(1)">a</a><img src="http://t.example/p.gif" alt="로고"><iframe src="//x"></iframe>',
    );
    expect(out).toBe(
      '<p style="color:red">안녕</p><a target="_blank" rel="noopener noreferrer">a</a><span>로고</span>',
    );
  });
  it('shows an inline (cid:) image only where the caller gives it a URL', () => {
    const html = '<img src="cid:logo@x" alt="로고">';
    expect(sanitizeEmailHtml(html)).toBe('<span>로고</span>');
    expect(sanitizeEmailHtml(html, (cid) => (cid === 'logo@x' ? 'cid:logo@x' : null))).toContain('<img');
  });
});

describe('parseEmail', () => {
  it('never throws on bytes that are not mail, and synthesises a stable Message-ID', async () => {
    const raw = Buffer.from('\u0000\u00ff garbage\r\n\r\nbody');
    const a = await parseEmail(raw, { ownDomain: 'ieum.x.test', maxAttachmentBytes: 10 });
    const b = await parseEmail(raw, { ownDomain: 'ieum.x.test', maxAttachmentBytes: 10 });
    expect(a.messageId).toMatch(/^<no-id\..+@ieum\.invalid>$/);
    expect(a.messageId).toBe(b.messageId);
  });
});

describe('mailbox configuration', () => {
  it('describes a mailbox without its passwords', () => {
    const m = EmailMailboxConfig.parse({
      site: 'seoul',
      queue: '일반 문의',
      address: 'help@example.co.kr',
      imap: { host: 'imap.example.co.kr', port: 993, secure: true, user: 'help', password: 'imap-secret' },
      smtp: { host: 'smtp.example.co.kr', port: 587, user: 'help', password: 'smtp-secret' },
    });
    expect(m.pollSeconds).toBe(30);
    const text = JSON.stringify(describeMailbox(m));
    expect(text).toContain('imap.example.co.kr:993');
    expect(text).not.toMatch(/secret/);
  });

  it('a broken IEUM_EMAIL_MAILBOXES stops the hub without quoting its password', () => {
    const env = { IEUM_EMAIL_MAILBOXES: '[{"imap":{"password":"hunter2-secret"},}]' };
    let message = '';
    try {
      loadConfig([], env);
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('emailMailboxes');
    expect(message).not.toContain('hunter2');
  });
});
