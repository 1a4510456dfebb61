/**
 * SMS end to end in Debian's Chromium: a customer's SMS reaches a hub (a
 * child process configured with a fake Korean SMS gateway), the Ready agent
 * accepts the offer, replies in the desk's composer, the fake gateway
 * receives the SMS in its wire format, and the message's status on the desk
 * goes 전송됨 → 수신 확인 when the gateway reports delivery. A failed
 * delivery shows its reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { requireBuiltDesk } from '../support/desk-e2e';
import { type FakeSmsGateway, startFakeSmsGateway } from '../support/fake-sms-gateway';
import { startHub, type TestHub } from '../support/hub';

let hub: TestHub;
let sms: FakeSmsGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let configDir: string;

beforeAll(async () => {
  requireBuiltDesk();
  sms = await startFakeSmsGateway();
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
