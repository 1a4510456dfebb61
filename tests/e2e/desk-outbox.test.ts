/**
 * The offline outbox in the browser desk (the same delivery logic as the
 * Electron desk, over localStorage): a reply written while the hub is down is
 * shown as pending, survives a reload, and reaches the hub once when it is
 * back; a full storage says so and keeps the text in the composer.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { login, startHub, type TestHub } from '../support/hub';
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

async function signedInDesk(username: string): Promise<Page> {
  context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page, hub.url, username);
  await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
  await page.getByRole('listbox', { name: '상담 목록' }).getByRole('option').first().click();
  await page.getByRole('list', { name: '메시지' }).getByRole('listitem').first().waitFor();
  return page;
}

/** How often `body` is among the messages of the user's conversations on the hub. */
async function copiesOnHub(username: string, body: string): Promise<number> {
  const { token } = await login(hub.url, username);
  const headers = { authorization: `Bearer ${token}` };
  const res = await fetch(`${hub.url}/api/v1/conversations?scope=mine&limit=100`, { headers });
  expect(res.status).toBe(200);
  let copies = 0;
  for (const { id } of (await res.json()) as { id: string }[]) {
    const messages = await fetch(`${hub.url}/api/v1/conversations/${id}/messages?limit=200`, { headers });
    copies += ((await messages.json()) as { body: string }[]).filter((m) => m.body === body).length;
  }
  return copies;
}

describe('offline outbox in the browser desk', () => {
  it('shows a reply written while the hub is down as pending and delivers it once when it is back', async () => {
    const page = await signedInDesk('agent2');
    await hub.kill();
    await page.getByRole('status').filter({ hasText: '재연결 중' }).waitFor();

    const body = `허브 중단 중 답장 ${Date.now()}`;
    await page.getByLabel('답장', { exact: true }).fill(body);
    await page.getByRole('button', { name: '보내기', exact: true }).click();
    const messages = page.getByRole('list', { name: '메시지' });
    await messages.getByRole('listitem').filter({ hasText: body }).filter({ hasText: '전송 대기' }).waitFor();
    expect(await page.getByLabel('답장', { exact: true }).inputValue()).toBe('');
    await page.getByRole('status').filter({ hasText: '보내지 않은 메시지 1건' }).waitFor();

    await hub.restart();
    await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    await expect
      .poll(() => messages.getByRole('listitem').filter({ hasText: '전송 대기' }).count(), {
        timeout: 20_000,
      })
      .toBe(0);
    expect(await messages.getByText(body).count()).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('ieum:outbox'))).toBe('[]');
    expect(await copiesOnHub('agent2', body)).toBe(1);
  });

  it('says the storage is full and keeps the text in the composer', async () => {
    const page = await signedInDesk('agent1');
    // Fill this origin's localStorage to the brim.
    await page.evaluate(() => {
      let size = 1 << 22;
      let filler = 0;
      while (size >= 16) {
        try {
          localStorage.setItem(`filler-${filler}`, 'x'.repeat(size));
          filler++;
        } catch {
          size = Math.floor(size / 2);
        }
      }
    });
    const body = `저장 공간 부족 ${Date.now()}`;
    await page.getByLabel('답장', { exact: true }).fill(body);
    await page.getByRole('button', { name: '보내기', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: '디스크 공간이 부족해' });
    await alert.waitFor();
    expect(await page.getByLabel('답장', { exact: true }).inputValue()).toBe(body);
  });
});
