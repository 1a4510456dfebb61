/**
 * The unified inbox on agent1's desk (Debian Chromium, driven by accessible
 * names): a web chat arrives and is accepted; its SLA timer, with the short
 * targets an admin gave the queue, turns amber and then red; the agent
 * filters the list, searches in Korean (a 2-syllable word and a longer
 * phrase, with the match marked), opens two conversations as tabs, and sees
 * the unread count of the other tab move when the customer writes, and clear
 * when the tab is viewed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from '@shared/domain';
import type { StartChatResponse } from '@shared/webchat';
import { launchChromium } from '../support/chromium';
import { hubApi, requireBuiltDesk } from '../support/desk-e2e';
import { login, startHub, type TestHub } from '../support/hub';

let hub: TestHub;
let browser: Browser;
let context: BrowserContext | undefined;
let adminToken: string;
const visitors: Socket[] = [];
/** Short targets: the first answer is due 20 s after the customer writes, amber in its last 5 s. */
const FIRST_RESPONSE_SECONDS = 20;

const admin = hubApi(
  () => hub.url,
  () => adminToken,
);

beforeAll(async () => {
  requireBuiltDesk();
  hub = await startHub({ demo: true });
  browser = await launchChromium();
  adminToken = (await login(hub.url, 'admin1')).token;
  // The queue web chats land in gets short SLA targets, as an admin would set them.
  const queues = await admin<Queue[]>('/admin/queues');
  expect(queues.status).toBe(200);
  for (const q of queues.body.filter((q) => q.channels.includes('webchat'))) {
    const patched = await admin<Queue>(`/admin/queues/${q.id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        routing: {
          ...q.routing,
          sla: { firstResponseSeconds: FIRST_RESPONSE_SECONDS, nextResponseSeconds: 30 },
        },
      }),
    });
    expect(patched.status).toBe(200);
  }
});

afterAll(async () => {
  for (const v of visitors) v.close();
  await context?.close();
  await browser?.close();
  await hub?.stop();
});

async function agent1Ready(): Promise<Page> {
  context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${hub.url}/desk/`);
  await page.getByLabel('아이디', { exact: true }).fill('agent1');
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
  await page.getByRole('button', { name: '대기', exact: true }).click();
  await page.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
  return page;
}

async function startChat(name: string, body: string): Promise<StartChatResponse> {
  const res = await fetch(`${hub.url}/api/v1/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'seoul', name, phone: '010-5555-0101', consent: true, body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as StartChatResponse;
}

/** The customer's widget connection, to write again later. */
async function visitorSocket(token: string): Promise<Socket> {
  const socket = connect(`${hub.url}/visitor`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  visitors.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('welcome', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('the unified inbox', () => {
  it('filters, searches in Korean, opens tabs with unread counts and shows SLA timers turn amber and red', async () => {
    const page = await agent1Ready();
    const list = page.getByRole('listbox', { name: '상담 목록' });
    await list.getByRole('option').first().waitFor();

    // A customer starts a chat; agent1 accepts the offer.
    const chat = await startChat('이수민', '환불 요청드립니다 주문한 운동화가 작아요');
    const dialog = page.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await dialog.getByRole('button', { name: '수락', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // The chat's row is at the top of "mine" (live, once) with its first-response timer.
    const chatRow = list.getByRole('option').filter({ hasText: '이수민' });
    await chatRow.waitFor();
    expect(await chatRow.count()).toBe(1);
    expect(await list.getByRole('option').first().textContent()).toContain('이수민');
    await chatRow.getByRole('timer', { name: /^첫 응답 기한까지/ }).waitFor();
    // Accepting opened it as a tab; its timer runs there too.
    const chatTab = page.getByRole('tab', { name: /이수민/ });
    await chatTab.waitFor();
    expect(await chatTab.getAttribute('aria-selected')).toBe('true');

    // With 20 s targets: amber in the last quarter, red once overdue — in the list and in the tab.
    await chatRow.getByRole('timer', { name: /^첫 응답 기한 임박/ }).waitFor({ timeout: 30_000 });
    await chatTab.getByRole('timer', { name: /^첫 응답 기한 임박/ }).waitFor();
    await chatRow.getByRole('timer', { name: /^첫 응답 기한 .* 지남$/ }).waitFor({ timeout: 30_000 });
    await chatTab.getByRole('timer', { name: /지남$/ }).waitFor();
    expect(await chatRow.getByRole('timer').getAttribute('data-level')).toBe('breached');

    // Filter: resolved only — every row says so, and the open chat is gone; back to any status.
    const status = page.getByLabel('상태', { exact: true });
    await status.selectOption({ label: '해결됨' });
    await chatRow.waitFor({ state: 'detached' });
    await list.getByRole('option').first().waitFor();
    const statuses = await list
      .getByRole('option')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('.chip[class*="status"]')?.textContent));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['해결됨']));
    await status.selectOption({ label: '전체' });
    await chatRow.waitFor();

    // Search in Korean: two syllables (recent-message scan) and a longer phrase (trigram index).
    const search = page.getByLabel('메시지 검색', { exact: true });
    await search.fill('환불');
    const results = page.getByRole('listbox', { name: '검색 결과' });
    const hit = results.getByRole('option').filter({ hasText: '이수민' });
    await hit.waitFor();
    expect(await hit.locator('mark').first().textContent()).toBe('환불');
    await search.fill('운동화가 작아');
    await results
      .getByRole('option')
      .filter({ hasText: '이수민' })
      .locator('mark')
      .filter({ hasText: '운동화가 작아' })
      .waitFor();
    expect(await results.getByRole('option').count()).toBe(1);
    await search.fill('');
    await results.waitFor({ state: 'detached' });

    // A second conversation opens as a second tab and is shown.
    const other = list.getByRole('option').filter({ hasNotText: '이수민' }).first();
    await other.click();
    expect(await page.getByRole('tab').count()).toBe(2);
    expect(await chatTab.getAttribute('aria-selected')).toBe('false');

    // The customer writes: the chat's tab counts it as unread; viewing it reads it.
    const visitor = await visitorSocket(chat.token);
    for (const [i, body] of ['사이즈 교환도 되나요?', '답변 기다릴게요'].entries()) {
      const ack = (await visitor.emitWithAck('message.send', {
        clientId: `visitor-msg-${i}-0001`,
        body,
      })) as { ok: boolean };
      expect(ack.ok).toBe(true);
      await page.getByRole('tab', { name: new RegExp(`이수민.*읽지 않은 메시지 ${i + 1}개`) }).waitFor();
    }
    await chatTab.click();
    await page.getByRole('list', { name: '메시지' }).getByText('답변 기다릴게요').waitFor();
    await chatTab.locator('[aria-label^="읽지 않은"]').waitFor({ state: 'detached' });
    expect(await chatTab.getAttribute('aria-selected')).toBe('true');
    expect(await chatTab.locator('[aria-label^="읽지 않은"]').count()).toBe(0);

    // Keyboard: the list is a listbox; arrow down and Enter open the next row as a tab.
    await list.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('tab').nth(2).waitFor();
    // Closing a tab keeps the others.
    await page.getByRole('button', { name: /이수민 탭 닫기/ }).click();
    await chatTab.waitFor({ state: 'detached' });
    expect(await page.getByRole('tab').count()).toBe(2);
  }, 180_000);
});
