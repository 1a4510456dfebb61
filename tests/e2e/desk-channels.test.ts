/**
 * SMS and messenger end to end in Debian's Chromium, against a hub (a child
 * process) configured with a fake Korean SMS gateway and a fake 상담톡-style
 * messenger. SMS: the customer's SMS is offered to the Ready agent, who
 * replies in the desk's composer; the fake gateway receives the SMS in its
 * wire format and the message's status goes 전송됨 → 수신 확인 on the
 * delivery report; a carrier failure shows its reason. Messenger: a reply
 * after the customer ended the session is refused with the reason, and the
 * desk offers a notification template, which reaches the customer's phone;
 * the agent then switches the reply channel to SMS and the answer reaches the
 * same customer's phone through the SMS gateway.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { requireBuiltDesk } from '../support/desk-e2e';
import { type FakeMessenger, startFakeMessenger } from '../support/fake-messenger';
import { type FakeSmsGateway, startFakeSmsGateway } from '../support/fake-sms-gateway';
import { startHub, type TestHub } from '../support/hub';

let hub: TestHub;
let sms: FakeSmsGateway;
let messenger: FakeMessenger;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let configDir: string;

beforeAll(async () => {
  requireBuiltDesk();
  sms = await startFakeSmsGateway();
  messenger = await startFakeMessenger();
  configDir = mkdtempSync(join(tmpdir(), 'ieum-sms-e2e-'));
  const configFile = join(configDir, 'hub.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      channels: {
        sms: {
          baseUrl: sms.url,
          apiKey: sms.apiKey,
          apiSecret: sms.apiSecret,
          sender: '1588-1234',
          webhookSecret: sms.webhookSecret,
        },
        messenger: {
          baseUrl: messenger.url,
          apiKey: messenger.apiKey,
          senderKey: messenger.senderKey,
          webhookSecret: messenger.webhookSecret,
        },
        retry: { maxAttempts: 2, backoffMs: 100, backoffFactor: 2, sendTimeoutMs: 5000 },
      },
    }),
  );
  hub = await startHub({ demo: true, env: { IEUM_CONFIG: configFile } });
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  await page.goto(`${hub.url}/desk/`);
  await page.getByLabel('아이디', { exact: true }).fill('agent1');
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
  await page.getByRole('button', { name: '대기', exact: true }).click();
  await page.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hub?.stop();
  await sms?.close();
  await messenger?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('SMS on the desk', () => {
  it('an SMS arrives, the agent replies in the desk, the gateway gets it and the status turns delivered', async () => {
    const question = '주문한 택배가 아직 안 왔어요';
    const mo = await sms.mo(hub.url, 'seoul', '010-2024-1123', question);
    expect(mo.status).toBe(200);

    const dialog = page.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await dialog.getByText('문자', { exact: true }).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: '수락', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const conversation = page.getByRole('article', { name: question });
    await conversation.waitFor();
    const messages = conversation.getByRole('list', { name: '메시지' });
    await messages.getByText(question, { exact: true }).waitFor();

    const answer = '오늘 오후에 도착 예정입니다. 불편을 드려 죄송합니다.';
    await conversation.getByLabel('답장', { exact: true }).fill(answer);
    await conversation.getByRole('button', { name: '보내기', exact: true }).click();

    // The gateway receives it as the documented request: national number, sender, SMS or LMS by bytes.
    const [sent] = await sms.waitForSent(1, 30_000);
    expect(sent).toMatchObject({ to: '01020241123', from: '15881234', text: answer, type: 'SMS' });

    const reply = messages.getByRole('listitem').filter({ hasText: answer });
    await reply.getByRole('status').filter({ hasText: '전송됨' }).waitFor({ timeout: 30_000 });
    expect(await reply.getByText('SMS', { exact: true }).isVisible()).toBe(true);

    expect((await sms.report(hub.url, 'seoul', sent!.messageId, '4000')).status).toBe(200);
    await reply.getByRole('status').filter({ hasText: '수신 확인' }).waitFor({ timeout: 30_000 });
    expect(await reply.getByRole('status').filter({ hasText: '전송됨' }).count()).toBe(0);
  });

  it('a delivery the carrier reports failed shows the reason on the message', async () => {
    const conversation = page.getByRole('article', { name: '주문한 택배가 아직 안 왔어요' });
    const messages = conversation.getByRole('list', { name: '메시지' });
    const text = '혹시 주소가 바뀌셨나요?';
    await conversation.getByLabel('답장', { exact: true }).fill(text);
    await conversation.getByRole('button', { name: '보내기', exact: true }).click();
    const all = await sms.waitForSent(2, 30_000);
    const sent = all.find((s) => s.text === text)!;
    expect(sent).toBeTruthy();
    const reply = messages.getByRole('listitem').filter({ hasText: text });
    await reply.getByRole('status').filter({ hasText: '전송됨' }).waitFor({ timeout: 30_000 });
    expect((await sms.report(hub.url, 'seoul', sent.messageId, '3059')).status).toBe(200);
    const alert = reply.getByRole('alert');
    await alert.filter({ hasText: '전송 실패' }).waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('고객에게 도달하지 못했습니다');
  });
});

describe('messenger on the desk', () => {
  it('a reply after the session ended is refused with the reason and a template goes to the phone instead', async () => {
    const userKey = 'e2e-user-key-0001';
    const question = '환불은 언제 되나요?';
    const inbound = await messenger.message(hub.url, 'seoul', userKey, question, {
      nickname: '카톡고객',
      phone_number: '010-5555-6666',
    });
    expect(inbound.status).toBe(200);
    const dialog = page.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await dialog.getByText('메신저', { exact: true }).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: '수락', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const conversation = page.getByRole('article', { name: question });
    await conversation.waitFor();
    const messages = conversation.getByRole('list', { name: '메시지' });
    const first = '확인 후 안내드리겠습니다.';
    await conversation.getByLabel('답장', { exact: true }).fill(first);
    await conversation.getByRole('button', { name: '보내기', exact: true }).click();
    const [write] = await messenger.waitFor(() => messenger.writes.filter((w) => w.user_key === userKey), 1);
    expect(write).toMatchObject({ message: first, message_type: 'TX', counselor: '김지은' });
    await messages
      .getByRole('listitem')
      .filter({ hasText: first })
      .getByRole('status')
      .filter({ hasText: '전송됨' })
      .waitFor({ timeout: 30_000 });

    // The customer leaves: the next reply is refused before it is stored, with the reason.
    expect((await messenger.sessionEnd(hub.url, 'seoul', userKey)).status).toBe(200);
    const late = '환불은 3일 안에 처리됩니다.';
    await conversation.getByLabel('답장', { exact: true }).fill(late);
    await conversation.getByRole('button', { name: '보내기', exact: true }).click();
    const refused = messages.getByRole('listitem').filter({ hasText: late });
    await refused
      .getByRole('alert')
      .filter({ hasText: '상담톡 세션이 종료되어' })
      .waitFor({ timeout: 30_000 });
    expect(messenger.writes.some((w) => w.message === late)).toBe(false);

    // The desk offers a notification template instead: it goes to the customer's phone.
    const offer = refused.getByRole('form', { name: '알림톡으로 안내' });
    await offer.getByLabel('통화 예정 시각', { exact: true }).fill('오후 3시');
    await offer.getByRole('button', { name: '알림톡 보내기', exact: true }).click();
    await refused
      .getByRole('status')
      .filter({ hasText: '알림톡을 보냈습니다.' })
      .waitFor({ timeout: 30_000 });
    const [tpl] = await messenger.waitFor(() => messenger.templates, 1);
    expect(tpl).toMatchObject({ phone_number: '01055556666', template_code: 'IEUM_CALLBACK_01' });
    expect(tpl!.message).toContain('오후 3시');
    const sentTpl = messages.getByRole('listitem').filter({ hasText: tpl!.message });
    await sentTpl.getByText('알림톡', { exact: true }).waitFor();
    await sentTpl.getByRole('status').filter({ hasText: '전송됨' }).waitFor({ timeout: 30_000 });

    // The session is over, so the agent answers on another channel: SMS to the same customer's phone.
    await conversation.getByLabel('답장 채널', { exact: true }).selectOption({ label: '문자' });
    const bySms = '환불은 3일 안에 처리됩니다. 문자로 안내드려요.';
    await conversation.getByLabel('답장', { exact: true }).fill(bySms);
    await conversation.getByRole('button', { name: '보내기', exact: true }).click();
    // Two SMS went out in the SMS tests above; this is the third.
    const all = await sms.waitForSent(3, 30_000);
    expect(all.find((m) => m.text === bySms)).toMatchObject({ to: '01055556666', from: '15881234' });
    const switched = messages.getByRole('listitem').filter({ hasText: bySms });
    await switched.getByRole('status').filter({ hasText: '전송됨' }).waitFor({ timeout: 30_000 });
    expect(await switched.getByText('SMS', { exact: true }).isVisible()).toBe(true);
    expect(messenger.writes.some((w) => w.message === bySms)).toBe(false);
  });
});
