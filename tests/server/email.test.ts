/**
 * The email channel's inbound path through a real hub's database: raw
 * RFC 822 messages normalised and stored (threading by headers then by
 * subject, unknown senders becoming customers, machine-made mail stored but
 * never routed, bounces marking our reply failed, malformed MIME stored as
 * best effort, a 25 MB attachment kept, HTML made safe). The IMAP/SMTP path
 * against real Dovecot and Postfix is in email-imap.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EmailView } from '@shared/email';
import { EmailChannel, ingestEmail } from '../../server/channels/email/email-channel';
import { emailAttachmentDir } from '../../server/channels/email/email-inbound';
import { ownDomainOf } from '../../server/channels/email/email-adapter';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import { freshDatabase } from '../support/postgres';

let hub: TestHubInProcess;
let siteId: string;
let queueId: string;
const MAILBOX = { address: 'support@ieum.test', maxAttachmentBytes: 30 * 1024 * 1024 };

async function freshPostgres(): Promise<string> {
  const base = inject('pgUrl');
  return freshDatabase(base, 'ieum_email');
}

let n = 0;
function mail(o: {
  from?: string;
  subject?: string;
  id?: string;
  inReplyTo?: string;
  references?: string;
  headers?: string[];
  body?: string;
  contentType?: string;
}): { raw: Buffer; id: string } {
  const id = o.id ?? `<m${++n}.${Date.now()}@customer.test>`;
  const lines = [
    `From: ${o.from ?? '홍길동 <hong@customer.test>'}`,
    'To: support@ieum.test',
    `Subject: ${o.subject ?? `문의 ${n}`}`,
    `Message-ID: ${id}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0900',
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    ...(o.headers ?? []),
    'MIME-Version: 1.0',
    `Content-Type: ${o.contentType ?? 'text/plain; charset=utf-8'}`,
    '',
    o.body ?? '주문한 상품이 아직 안 왔어요.',
  ];
  return { raw: Buffer.from(lines.join('\r\n')), id };
}

const ingest = (raw: Buffer, max = MAILBOX.maxAttachmentBytes) =>
  ingestEmail(hub.ctx, { siteId, queueId }, raw, { ...MAILBOX, maxAttachmentBytes: max });

async function conversationOf(messageId: string) {
  const r = await hub.ctx.db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['c.id', 'c.status', 'c.channel', 'c.customer_id', 'c.subject', 'm.body'])
    .where('m.id', '=', messageId)
    .executeTakeFirstOrThrow();
  return r;
}

function stored(r: Awaited<ReturnType<typeof ingest>>) {
  if (r.result.kind !== 'stored') throw new Error(`expected stored, got ${JSON.stringify(r.result)}`);
  return r.result;
}

describe.each(['sqlite', 'postgres'] as const)('email inbound on %s', (kind) => {
  beforeAll(async () => {
    hub = await startTestHub(kind === 'postgres' ? { db: await freshPostgres() } : {});
    const site = await hub.ctx.db
      .selectFrom('sites')
      .select('id')
      .where('code', '=', 'seoul')
      .executeTakeFirstOrThrow();
    siteId = site.id;
    const queue = await hub.ctx.db
      .selectFrom('queues')
      .select('id')
      .where('site_id', '=', siteId)
      .where('name', '=', '일반 문의')
      .executeTakeFirstOrThrow();
    queueId = queue.id;
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('an unknown sender becomes a customer with an email identity, in a new pending email conversation', async () => {
    const first = stored(
      await ingest(mail({ from: '"김민수" <Minsu.Kim@Customer.test>', subject: '환불 요청' }).raw),
    );
    expect(first.route).toBe(true);
    const conv = await conversationOf(first.messageId);
    expect(conv).toMatchObject({ channel: 'email', status: 'pending', subject: '환불 요청' });
    const customer = await hub.ctx.db
      .selectFrom('customers')
      .select('name')
      .where('id', '=', conv.customer_id)
      .executeTakeFirstOrThrow();
    expect(customer.name).toBe('김민수');
    const identity = await hub.ctx.db
      .selectFrom('identities')
      .select(['channel', 'handle'])
      .where('customer_id', '=', conv.customer_id)
      .execute();
    expect(identity).toContainEqual({ channel: 'email', handle: 'minsu.kim@customer.test' });

    // The same address again (new subject): the same customer, a new conversation.
    const second = stored(await ingest(mail({ from: 'minsu.kim@customer.test', subject: '다른 문의' }).raw));
    const conv2 = await conversationOf(second.messageId);
    expect(conv2.customer_id).toBe(conv.customer_id);
    expect(conv2.id).not.toBe(conv.id);
  });

  it('threads by In-Reply-To, by References, then by subject from the same sender; never twice', async () => {
    const original = mail({ from: 'thread@customer.test', subject: '배송 지연 문의' });
    const a = stored(await ingest(original.raw));
    const byReplyTo = stored(
      await ingest(
        mail({ from: 'thread@customer.test', subject: 'Re: 다른 제목', inReplyTo: original.id }).raw,
      ),
    );
    expect(byReplyTo.conversationId).toBe(a.conversationId);
    const byReferences = stored(
      await ingest(
        mail({ from: 'other@customer.test', subject: '전달', references: `<unknown@x.test> ${original.id}` })
          .raw,
      ),
    );
    expect(byReferences.conversationId).toBe(a.conversationId);
    const bySubject = stored(
      await ingest(mail({ from: 'thread@customer.test', subject: 'RE: 회신: 배송 지연 문의' }).raw),
    );
    expect(bySubject.conversationId).toBe(a.conversationId);
    // The same subject from someone else is someone else's conversation.
    const stranger = stored(
      await ingest(mail({ from: 'stranger@customer.test', subject: 'Re: 배송 지연 문의' }).raw),
    );
    expect(stranger.conversationId).not.toBe(a.conversationId);
    // The same Message-ID again (a re-read mailbox) is the same message, not a second one.
    const again = await ingest(original.raw);
    expect(again.result).toEqual({
      kind: 'duplicate',
      messageId: a.messageId,
      conversationId: a.conversationId,
    });
    const count = await hub.ctx.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', a.conversationId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
  });

  it('auto-replies, lists and our own mail looping back are stored but not routed or answered', async () => {
    const cases = [
      ['Auto-Submitted: auto-replied'],
      ['Precedence: bulk'],
      ['X-Autoreply: yes'],
      ['List-Id: <news.customer.test>'],
    ];
    for (const headers of cases) {
      const r = stored(
        await ingest(mail({ from: 'ooo@customer.test', subject: `부재중 ${headers[0]}`, headers }).raw),
      );
      expect(r.route, headers[0]).toBe(false);
      expect((await conversationOf(r.messageId)).status, headers[0]).toBe('resolved');
    }
    // A mail carrying one of our own Message-IDs came back through a forward: a loop.
    const loop = await ingest(
      mail({ from: 'fwd@customer.test', id: `<x1@${ownDomainOf(MAILBOX.address)}>` }).raw,
    );
    expect(loop.parsed.auto).toBe('own-message');
    expect(stored(loop).route).toBe(false);
    // A person's ordinary mail with Auto-Submitted: no is answered as usual.
    const person = stored(
      await ingest(mail({ from: 'person@customer.test', headers: ['Auto-Submitted: no'] }).raw),
    );
    expect(person.route).toBe(true);
    const autos = await hub.ctx.db
      .selectFrom('email_messages')
      .select(['auto_reason', 'status'])
      .where('from_address', '=', 'ooo@customer.test')
      .execute();
    expect(autos.map((a) => a.auto_reason).sort()).toEqual([
      'auto-submitted',
      'list',
      'precedence',
      'x-autoreply',
    ]);
    expect(new Set(autos.map((a) => a.status))).toEqual(new Set(['auto']));
  });

  it('a bounce (DSN) marks our reply failed, with the server’s words, and opens no conversation', async () => {
    const original = stored(
      await ingest(mail({ from: 'bounce-me@customer.test', subject: '주소 확인' }).raw),
    );
    const ourId = `<reply-1@${ownDomainOf(MAILBOX.address)}>`;
    const now = Date.now();
    await hub.ctx.db
      .insertInto('messages')
      .values({
        id: 'reply-1',
        site_id: siteId,
        conversation_id: original.conversationId,
        direction: 'out',
        author_id: null,
        body: '확인했습니다',
        client_id: null,
        created_at: now,
      })
      .execute();
    await hub.ctx.db
      .insertInto('email_messages')
      .values({
        message_id: 'reply-1',
        site_id: siteId,
        conversation_id: original.conversationId,
        direction: 'out',
        header_message_id: ourId,
        in_reply_to: null,
        references_text: '',
        subject: 'Re: 주소 확인',
        thread_subject: '주소 확인',
        from_address: MAILBOX.address,
        from_name: '',
        to_json: '["bounce-me@customer.test"]',
        cc_json: '[]',
        html: null,
        quoted_html: null,
        quoted_text: null,
        auto_reason: null,
        malformed: null,
        status: 'sent',
        status_detail: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const boundary = 'dsn-boundary';
    const dsn = [
      'From: MAILER-DAEMON@mail.customer.test (Mail Delivery System)',
      'To: support@ieum.test',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn-${Date.now()}@mail.customer.test>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'This is the mail system. Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mail.customer.test',
      '',
      'Final-Recipient: rfc822; bounce-me@customer.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <bounce-me@customer.test>: Recipient address rejected',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      'From: support@ieum.test',
      'To: bounce-me@customer.test',
      `Message-ID: ${ourId}`,
      'Subject: Re: 주소 확인',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const before = await hub.ctx.db.selectFrom('conversations').select('id').execute();
    const r = await ingest(Buffer.from(dsn));
    expect(r.result).toEqual({ kind: 'bounce', failedMessageId: 'reply-1', failedHeaderId: ourId });
    const row = await hub.ctx.db
      .selectFrom('email_messages')
      .select(['status', 'status_detail'])
      .where('message_id', '=', 'reply-1')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.status_detail).toContain('5.1.1');
    expect((await hub.ctx.db.selectFrom('conversations').select('id').execute()).length).toBe(before.length);
  });

  it('malformed MIME is stored as best effort, never thrown', async () => {
    const broken = [
      'From: broken@customer.test',
      'Subject: =?utf-8?B?깨진 인코딩',
      'Message-ID: <broken-1@customer.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=x-unknown-charset',
      'Content-Transfer-Encoding: base64',
      '',
      '!!!! not base64 at all ####',
      '--never-closed',
      'Content-Type: application/pdf; name="a.pdf"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '=ZZ=Q=',
    ].join('\r\n');
    const r = stored(await ingest(Buffer.from(broken)));
    expect((await conversationOf(r.messageId)).channel).toBe('email');
    // Pure garbage without a header block: still one stored message, from nobody it is skipped, not thrown.
    const garbage = await ingest(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a, 0x0d, 0x0a, 0x42]));
    expect(['stored', 'skipped']).toContain(garbage.result.kind);
    const noBody = stored(
      await ingest(Buffer.from('From: nobody@customer.test\r\nSubject: 빈 메일\r\n\r\n')),
    );
    expect((await conversationOf(noBody.messageId)).body).toBe('빈 메일');
  });

  it('keeps a 25 MB attachment; one over the mailbox limit is listed but not kept', async () => {
    const big = Buffer.alloc(25 * 1024 * 1024, 7);
    const boundary = 'big-boundary';
    const raw = Buffer.from(
      [
        'From: big@customer.test',
        'To: support@ieum.test',
        'Subject: 큰 첨부',
        `Message-ID: <big-${Date.now()}@customer.test>`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        '영수증 스캔본 보냅니다.',
        `--${boundary}`,
        'Content-Type: application/octet-stream; name="scan.bin"',
        'Content-Disposition: attachment; filename="scan.bin"',
        'Content-Transfer-Encoding: base64',
        '',
        big.toString('base64').replace(/.{76}/g, '$&\r\n'),
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const r = stored(await ingest(raw));
    const a = await hub.ctx.db
      .selectFrom('email_attachments')
      .selectAll()
      .where('message_id', '=', r.messageId)
      .executeTakeFirstOrThrow();
    expect(a).toMatchObject({ name: 'scan.bin', stored: 1 });
    expect(Number(a.size)).toBe(big.length);
    expect(readFileSync(join(emailAttachmentDir(hub.ctx.config.dataDir, siteId), a.id)).equals(big)).toBe(
      true,
    );

    const small = stored(
      await ingest(Buffer.from(raw.toString().replace(/big-\d+@/, 'small-1@')), 1024 * 1024),
    );
    const b = await hub.ctx.db
      .selectFrom('email_attachments')
      .selectAll()
      .where('message_id', '=', small.messageId)
      .executeTakeFirstOrThrow();
    expect(b).toMatchObject({ name: 'scan.bin', stored: 0 });
  }, 60_000);

  it('mail stored but never queued (the hub stopped in between) is routed at the next start, once', async () => {
    const r = stored(await ingest(mail({ from: 'crash@customer.test', subject: '재시작 전 메일' }).raw));
    const items = () =>
      hub.ctx.db
        .selectFrom('work_items')
        .select('id')
        .where('conversation_id', '=', r.conversationId)
        .execute();
    expect(await items()).toEqual([]);
    const channel = new EmailChannel(hub.ctx, hub.ctx.channels!);
    expect(await channel.routeWaiting({ siteId, queueId })).toBeGreaterThanOrEqual(1);
    expect(await items()).toHaveLength(1);
    expect(await channel.routeWaiting({ siteId, queueId })).toBe(0);
    expect(await items()).toHaveLength(1);
  });

  it('HTML is sanitised (no script, handlers or remote images) and the quoted history is split off', async () => {
    const html = [
      '<div onclick="steal()">안녕하세요 <b>주문</b> 건입니다<script>alert(1)</script>',
      '<img src="https://tracker.example/pixel.gif" alt="로고">',
      '<a href="javascript:alert(2)">링크</a> <a href="https://shop.example/order/1">주문 보기</a></div>',
      '<div class="gmail_quote">2026년 11월 22일 (일) 고객센터 님이 작성:<blockquote>이전 답변입니다</blockquote></div>',
    ].join('');
    const r = stored(
      await ingest(
        mail({ from: 'html@customer.test', contentType: 'text/html; charset=utf-8', body: html }).raw,
      ),
    );
    const { token } = await loginAs(hub.url, 'supervisor1');
    const res = await api<EmailView[]>(hub.url, `/api/v1/conversations/${r.conversationId}/email`, token);
    expect(res.status).toBe(200);
    const view = res.body.find((v) => v.messageId === r.messageId)!;
    expect(view.html).toContain('<b>주문</b>');
    expect(view.html).not.toMatch(/script|onclick|tracker\.example|javascript:/i);
    expect(view.html).toContain('rel="noopener noreferrer"');
    expect(view.html).not.toContain('이전 답변입니다');
    expect(view.quotedHtml).toContain('이전 답변입니다');
    expect(view.from).toEqual({ address: 'html@customer.test', name: '' });
    const body = (await conversationOf(r.messageId)).body;
    expect(body).toContain('주문');
    expect(body).not.toContain('이전 답변입니다');
  });
});
