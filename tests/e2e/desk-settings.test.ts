/**
 * The desk keeps the agent's own things: a draft per conversation (across a
 * switch and a reload) and the settings chosen in the Settings dialog.
 * Driven in Debian's Chromium by accessible names, through the browser host.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startHub, type TestHub } from '../support/hub';
import { signIn } from '../support/desk-e2e';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hub: TestHub;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) throw new Error(`${RENDERER_INDEX} is missing: build the desk first`);
  hub = await startHub({ demo: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** What the page asked of the Notification API and of Web Audio, recorded for the test. */
interface Recorded {
  notifications: { title: string; body?: string }[];
  oscillators: number;
}

async function signedInDesk(username = 'agent1'): Promise<Page> {
  context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  await context.addInitScript(() => {
    const recorded: Recorded = { notifications: [], oscillators: 0 };
    (window as unknown as { __recorded: Recorded }).__recorded = recorded;
    class RecordingNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string, options?: NotificationOptions) {
        recorded.notifications.push({ title, body: options?.body });
      }
      addEventListener() {}
      close() {}
    }
    Object.defineProperty(window, 'Notification', { value: RecordingNotification });
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      recorded.oscillators += 1;
      return create.call(this);
    };
  });
  const page = await context.newPage();
  await signIn(page, hub.url, username);
  await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
  return page;
}

/** Opens the n-th conversation of my list and waits for its messages. */
async function openConversation(page: Page, n: number): Promise<void> {
  await page.getByRole('listbox', { name: '상담 목록' }).getByRole('option').nth(n).click();
  await page.getByRole('list', { name: '메시지' }).getByRole('listitem').first().waitFor();
}

describe('desk settings and drafts', () => {
  it('keeps a draft per conversation across a switch and a reload', async () => {
    const page = await signedInDesk();
    const composer = page.getByLabel('답장', { exact: true });
    expect(
      await page.getByRole('listbox', { name: '상담 목록' }).getByRole('option').count(),
    ).toBeGreaterThan(1);
    const draft = `작성 중인 답장 ${Date.now()}`;

    await openConversation(page, 0);
    await composer.fill(draft);
    await openConversation(page, 1);
    await expect.poll(() => composer.inputValue()).toBe('');

    await openConversation(page, 0);
    await expect.poll(() => composer.inputValue()).toBe(draft);

    await page.reload();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await openConversation(page, 0);
    await expect.poll(() => composer.inputValue()).toBe(draft);
    await openConversation(page, 1);
    await expect.poll(() => composer.inputValue()).toBe('');
  });

  it('saves the notification volume, refuses a hotkey taken twice, and keeps both after a reload', async () => {
    const page = await signedInDesk();
    await page.getByRole('button', { name: '설정', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '설정' });
    await dialog.waitFor();

    const volume = dialog.getByLabel('알림음 크기', { exact: true });
    expect(await volume.inputValue()).toBe('80');
    await volume.fill('35');
    await dialog.getByRole('status').filter({ hasText: '저장됨' }).waitFor();
    await dialog.getByRole('button', { name: '알림음 테스트' }).click();
    const recorded = () => page.evaluate(() => (window as unknown as { __recorded: Recorded }).__recorded);
    await expect
      .poll(async () => (await recorded()).notifications)
      .toEqual([{ title: '알림 테스트', body: '새 상담이 들어오면 이렇게 알려 드립니다.' }]);
    expect((await recorded()).oscillators).toBeGreaterThan(0);

    // The mute key pressed for "answer": refused with the reason, the old key stays.
    const answer = dialog.getByLabel('전화 받기 단축키', { exact: true });
    await answer.focus();
    await page.keyboard.press('Control+Shift+M');
    expect(await dialog.getByRole('alert').textContent()).toContain('"음소거"');
    expect(await answer.inputValue()).toBe('Ctrl+Shift+A');
    await page.keyboard.press('Control+Alt+J');
    await expect.poll(() => answer.inputValue()).toBe('Ctrl+Alt+J');
    expect(await dialog.getByRole('alert').count()).toBe(0);

    // A web page cannot register itself to start at login: the option is off and says why.
    const startAtLogin = dialog.getByRole('checkbox', { name: '로그인 시 자동 시작' });
    expect(await startAtLogin.isDisabled()).toBe(true);
    // Taking the media keys globally is the desktop app's; the browser desk says what it does instead.
    const headsetKeys = dialog.getByRole('checkbox', { name: '헤드셋 버튼으로 전화 받기/끊기' });
    expect(await headsetKeys.isDisabled()).toBe(true);
    expect(await headsetKeys.getAttribute('aria-describedby')).toBeTruthy();
    await dialog
      .getByText('브라우저에서는 통화 중 데스크가 미디어 키를 받을 때만 동작합니다.', { exact: false })
      .waitFor();

    await page.reload();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await page.getByRole('button', { name: '설정', exact: true }).click();
    const reopened = page.getByRole('dialog', { name: '설정' });
    await expect.poll(() => reopened.getByLabel('알림음 크기', { exact: true }).inputValue()).toBe('35');
    expect(await reopened.getByLabel('전화 받기 단축키', { exact: true }).inputValue()).toBe('Ctrl+Alt+J');

    await reopened.getByRole('button', { name: '기본값' }).click();
    await expect
      .poll(() => reopened.getByLabel('전화 받기 단축키', { exact: true }).inputValue())
      .toBe('Ctrl+Shift+A');
    await reopened.getByRole('button', { name: '닫기' }).click();
    await reopened.waitFor({ state: 'hidden' });
  });
});
