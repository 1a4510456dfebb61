/**
 * The desk as agents use it in a browser: served by a real hub at /desk/,
 * driven in Debian's Chromium by accessible names only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentStatusView } from '@shared/api';
import { launchChromium } from '../support/chromium';
import { login, startHub, type TestHub } from '../support/hub';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hub: TestHub;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(
      `${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build; npm test does it)`,
    );
  }
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

async function openDesk(query = ''): Promise<Page> {
  context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${hub.url}/desk/${query}`);
  return page;
}

async function signInKo(page: Page, username = 'agent1', password = 'demo'): Promise<void> {
  // The hub address defaults to the hub that served the page.
  expect(await page.getByLabel('허브 주소', { exact: true }).inputValue()).toBe(hub.url);
  await page.getByLabel('아이디', { exact: true }).fill(username);
  await page.getByLabel('비밀번호', { exact: true }).fill(password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
}

async function agentStateOnHub(username: string): Promise<AgentStatusView | undefined> {
  const { token } = await login(hub.url, 'supervisor1');
  const res = await fetch(`${hub.url}/api/v1/admin/agent-states`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const states = (await res.json()) as AgentStatusView[];
  return states.find((s) => s.username === username);
}

describe('desk in the browser', () => {
  it('signs in as agent1 and goes Ready through the UI; the hub agrees', async () => {
    const page = await openDesk();
    await signInKo(page);
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();

    await page.getByRole('button', { name: '대기', exact: true }).click();
    // The button shows pressed only once the hub has acked (after commit).
    await page.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
    await page.getByRole('status', { name: '현재 상태' }).filter({ hasText: '대기' }).waitFor();

    expect((await agentStateOnHub('agent1'))?.state).toBe('ready');

    // Signing out takes the agent offline at once, so no more work is routed to them.
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.getByRole('heading', { name: '로그인' }).waitFor();
    expect((await agentStateOnHub('agent1'))?.state).toBe('offline');
  });

  it('shows a wrong password as a typed error in Korean', async () => {
    const page = await openDesk();
    await signInKo(page, 'agent2', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('아이디 또는 비밀번호가 올바르지 않습니다.');
  });

  it('speaks English with ?lang=en', async () => {
    const page = await openDesk('?lang=en');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username', { exact: true }).fill('agent2');
    await page.getByLabel('Password', { exact: true }).fill('demo');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('heading', { name: /^Inbox/ }).waitFor();
    await page.getByRole('heading', { name: 'Softphone' }).waitFor();
    await page.getByRole('button', { name: 'Not ready', exact: true }).waitFor();
    expect(await page.getByText('Not configured').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('sends a message in a demo conversation and shows it once, also after a reload', async () => {
    const page = await openDesk();
    const body = `e2e 메시지 ${Date.now()}`;
    // The hub's own event for this message: once it is in, the desk has seen both the ack and the event.
    const eventSeen = new Promise<void>((resolveSeen) => {
      page.on('websocket', (ws) =>
        ws.on('framereceived', ({ payload }) => {
          if (typeof payload === 'string' && payload.includes('message.created') && payload.includes(body)) {
            resolveSeen();
          }
        }),
      );
    });
    await signInKo(page);
    const list = page.getByRole('listbox', { name: '상담 목록' });
    await list.getByRole('option').first().click();
    const messages = page.getByRole('list', { name: '메시지' });
    await messages.getByRole('listitem').first().waitFor();

    await page.getByLabel('답장', { exact: true }).fill(body);
    await page.getByRole('button', { name: '보내기', exact: true }).click();
    await eventSeen;
    await messages.getByText(body).waitFor();
    // Let React commit whatever the event caused before counting.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await messages.getByText(body).count()).toBe(1);
    expect(await page.getByLabel('답장', { exact: true }).inputValue()).toBe('');

    // A reload keeps the session for this tab and still shows the message once.
    await page.reload();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await page.getByRole('listbox', { name: '상담 목록' }).getByRole('option').first().click();
    await page.getByRole('list', { name: '메시지' }).getByText(body).waitFor();
    expect(await page.getByRole('list', { name: '메시지' }).getByText(body).count()).toBe(1);
  });
});
