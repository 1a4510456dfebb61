/**
 * Email end to end with real Dovecot and Postfix from Debian and the desk in
 * Debian's Chromium: a customer's HTML mail (with a script, a tracking image,
 * quoted history and an attachment) is delivered through Postfix into the
 * queue's mailbox; the hub reads it, routes it, and agent1 (Ready) gets the
 * offer, accepts and sees the mail — subject, sender, the sanitised body in a
 * sandboxed frame, the quote collapsed, the attachment — then replies in the
 * composer. The reply is in the customer's mailbox, threaded under the
 * original (In-Reply-To and References read over IMAP).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startHub, type TestHub } from '../support/hub';
import { mailAvailability, startMailServer, type TestMailServer } from '../support/mail-server';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
const available = mailAvailability();
const SUPPORT = { address: 'help@ieum.test', password: 'help-pw' };
const CUSTOMER = { address: 'minji@customer.test', password: 'minji-pw' };

let mail: TestMailServer;
let hub: TestHub;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!available.ok) return;
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build)`);
  }
  mail = await startMailServer({ users: [SUPPORT, CUSTOMER] });
  hub = await startHub({
    demo: true,
    env: {
      IEUM_EMAIL_MAILBOXES: JSON.stringify([
        {
          site: 'seoul',
          queue: '일반 문의',
          address: SUPPORT.address,
          name: '이음 고객센터',
          imap: { host: '127.0.0.1', port: mail.imapPort, user: SUPPORT.address, password: SUPPORT.password },
          smtp: { host: '127.0.0.1', port: mail.smtpPort },
          pollSeconds: 5,
        },
      ]),
    },
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await hub?.stop();
  await mail?.stop();
});

function customerMail(messageId: string): string {
  const boundary = 'e2e-boundary';
  return [
    `From: "박민지" <${CUSTOMER.address}>`,
    `To: ${SUPPORT.address}`,
    'Subject: 교환 신청합니다',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>사이즈가 맞지 않아 <b>교환</b>을 원합니다.</p>',
    '<script>document.title = "pwned"; parent.document.body.dataset.pwned = "1";</script>',
    '<img src="https://tracker.example/open.gif" alt="추적 이미지">',
    '<div class="gmail_quote">지난 주문 안내:<blockquote>주문번호 5521 발송 완료</blockquote></div>',
    `--${boundary}`,
    'Content-Type: image/png; name="receipt.png"',
    'Content-Disposition: attachment; filename="receipt.png"',
    'Content-Transfer-Encoding: base64',
    '',
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

describe.skipIf(!available.ok)('email in the desk', () => {
  it('customer mail → offer → agent reads it safely and replies → reply threaded in the customer’s mailbox', async () => {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const desk = await context.newPage();
    await desk.goto(`${hub.url}/desk/`);
    await desk.getByLabel('아이디', { exact: true }).fill('agent1');
    await desk.getByLabel('비밀번호', { exact: true }).fill('demo');
    await desk.getByRole('button', { name: '로그인', exact: true }).click();
    await desk.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    await desk.getByRole('button', { name: '대기', exact: true }).click();
    await desk.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();

    const originalId = `<exchange-${Date.now()}@customer.test>`;
    await mail.deliver(customerMail(originalId), { from: CUSTOMER.address, to: [SUPPORT.address] });

    const offer = desk.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await offer.getByText('박민지', { exact: true }).waitFor({ timeout: 60_000 });
    await offer.getByRole('button', { name: '수락', exact: true }).click();
    await offer.waitFor({ state: 'detached' });

    const conversation = desk.getByRole('article', { name: '교환 신청합니다' });
    await conversation.waitFor();
    await conversation.getByText(`박민지 <${CUSTOMER.address}>`, { exact: true }).waitFor();
    const body = conversation.frameLocator('iframe[title="메일 본문"]');
    await body.getByText('교환', { exact: true }).waitFor();
    // The tracking image is gone (its alt text stays); nothing of the mail's script ran.
    await body.getByText('추적 이미지').waitFor();
    expect(await body.locator('img').count()).toBe(0);
    expect(await body.locator('script').count()).toBe(0);
    expect(await desk.evaluate(() => document.body.dataset.pwned ?? null)).toBeNull();
    expect(await desk.title()).not.toBe('pwned');
    // The quoted history is collapsed until asked for.
    expect(await body.getByText('주문번호 5521 발송 완료').count()).toBe(0);
    const showQuoted = conversation.getByRole('button', { name: '이전 메일 보기' });
    await showQuoted.click();
    await conversation
      .frameLocator('iframe[title="이전 메일"]')
      .getByText('주문번호 5521 발송 완료')
      .waitFor();
    await conversation
      .getByRole('list', { name: '첨부 파일' })
      .getByRole('button', { name: /receipt\.png/ })
      .waitFor();

    const answer = '교환 접수되었습니다. 회수 기사님이 내일 방문합니다.';
    await desk.getByLabel('답장', { exact: true }).fill(answer);
    await desk.getByRole('button', { name: '보내기', exact: true }).click();

    // The reply reaches the customer's own mailbox, threaded under the original.
    let reply: Awaited<ReturnType<TestMailServer['inbox']>>[number] | undefined;
    for (const started = Date.now(); !reply && Date.now() - started < 60_000;) {
      reply = (await mail.inbox(CUSTOMER)).find((m) => m.inReplyTo === originalId);
      if (!reply) await new Promise((r) => setTimeout(r, 250));
    }
    expect(reply, mail.logs().slice(-2000)).toBeDefined();
    expect(reply!.subject).toBe('Re: 교환 신청합니다');
    expect(reply!.from).toBe(SUPPORT.address);
    expect(reply!.references.split(/\s+/)).toContain(originalId);
    expect(reply!.text).toContain(answer);
    expect(reply!.text).toContain('김지은');
    // The desk shows the reply's delivery (the channel dispatcher's status) once, as sent.
    const sent = conversation.getByRole('status').filter({ hasText: '전송됨' });
    await sent.waitFor({ timeout: 30_000 });
    expect(await sent.count()).toBe(1);
  });
});
