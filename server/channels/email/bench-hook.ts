/**
 * What `bench/channels.ts` measures for email: a raw RFC 822 message (HTML
 * with quoted history and a small attachment, as mail clients send them)
 * parsed, sanitised and normalised by the email channel into the shared
 * InboundMessage that `ChannelService.receive` stores. `SENDERS` customers
 * write, so most mails continue a conversation.
 */
import type { InboundMessage } from '../channel-adapter';
import { toInboundMessage } from './email-channel';
import { parseEmail } from './email-parse';

const SENDERS = 500;
const OPTIONS = { ownDomain: 'ieum.bench.test', maxAttachmentBytes: 30 * 1024 * 1024 };
const ATTACHMENT = Buffer.alloc(4096, 42).toString('base64').replace(/.{76}/g, '$&\r\n');

/** The i-th bench mail, as bytes a mail server would hand over. */
export function benchRawEmail(i: number): Buffer {
  const sender = i % SENDERS;
  const boundary = `bench-${i}`;
  return Buffer.from(
    [
      `From: "고객 ${sender}" <customer${sender}@bench.test>`,
      'To: help@bench.test',
      `Subject: ${i % 3 === 0 ? 'Re: ' : ''}주문 문의 ${sender}`,
      `Message-ID: <bench-${i}-${sender}@bench.test>`,
      `Date: ${new Date(1_795_000_000_000 + i * 1000).toUTCString()}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      `<div>주문 ${i}번 <b>배송</b> 언제 되나요?<img src="https://tracker.example/${i}.gif"></div>`,
      '<div class="gmail_quote">고객센터 님이 작성:<blockquote>문의 주셔서 감사합니다.</blockquote></div>',
      `--${boundary}`,
      'Content-Type: application/pdf; name="receipt.pdf"',
      'Content-Disposition: attachment; filename="receipt.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      ATTACHMENT,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

export async function emailBenchInbound(i: number, siteId: string): Promise<InboundMessage> {
  return toInboundMessage(await parseEmail(benchRawEmail(i), OPTIONS), siteId);
}
