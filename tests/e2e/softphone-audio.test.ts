/**
 * Audio devices in the desk's settings (Chromium's fake devices): a
 * microphone chosen apart from the headset and ringer, remembered across a
 * reload; the pre-shift test shows the microphone's level and plays a tone on
 * the headset and the ringer; a denied microphone is said clearly and the desk
 * goes on.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startTestHub, type TestHubInProcess } from '../support/in-process-hub';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hub: TestHubInProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) throw new Error(`${RENDERER_INDEX} is missing: build the desk first`);
  hub = await startTestHub();
  browser = await launchChromium({ media: true });
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

async function openDesk(init?: () => void): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR' });
  contexts.push(context);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(`${hub.url}/desk/`);
  await page.getByLabel('아이디', { exact: true }).fill('agent1');
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
  return page;
}

const settings = async (page: Page) => {
  await page.getByRole('button', { name: '설정', exact: true }).click();
  return page.getByRole('dialog');
};

describe('audio devices and the pre-shift test', () => {
  it('chooses the microphone apart from headset and ringer, tests each, and remembers the choice', async () => {
    const page = await openDesk();
    const dialog = await settings(page);
    const group = dialog.getByRole('group', { name: '오디오 장치' });
    // The microphone test lets the page see device names, and shows a level that moves.
    await group.getByRole('button', { name: '마이크 테스트' }).click();
    const meter = group.getByRole('meter', { name: '마이크 입력 크기' });
    await expect
      .poll(async () => Number(await meter.getAttribute('data-level')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const microphone = group.getByLabel('마이크', { exact: true });
    const options = await microphone.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    await microphone.selectOption({ index: options.length - 1 });
    const chosen = await microphone.inputValue();
    expect(chosen).not.toBe('');
    // The level comes back from the chosen microphone.
    await group.getByRole('button', { name: '마이크 테스트' }).click();
    await expect
      .poll(async () => Number(await meter.getAttribute('data-level')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await group.getByRole('button', { name: '헤드셋 테스트 톤' }).click();
    await group.getByRole('status').filter({ hasText: '테스트 소리를 재생했습니다.' }).waitFor();
    await group.getByRole('button', { name: '벨소리 테스트' }).click();
    await group.getByRole('status').filter({ hasText: '테스트 소리를 재생했습니다.' }).waitFor();

    await page.reload();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    const again = await settings(page);
    expect(await again.getByLabel('마이크', { exact: true }).inputValue()).toBe(chosen);
  });

  it('says clearly when the microphone is denied, and the desk goes on', async () => {
    const page = await openDesk(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const dialog = await settings(page);
    await dialog.getByRole('button', { name: '마이크 테스트' }).click();
    await dialog.getByRole('alert').filter({ hasText: '마이크 사용이 거부되었습니다' }).waitFor();
    await dialog.getByRole('button', { name: '닫기' }).first().click();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
  });
});
