/**
 * "Other centers" in the customer 360 of the browser desk: HQ and two
 * centers (서울, 부산) in process; the same customer (same phone) wrote to
 * both. At 서울 the agent sees nothing from 부산 until the customer's
 * group-share consent is recorded — at 부산 by its agent, at 서울 with the
 * pane's button — then 부산's consultation appears, its subject masked.
 * Debian Chromium, accessible names only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartChatResponse } from '@shared/webchat';
import { launchChromium } from '../support/chromium';
import { enrollmentToken } from '../support/federation';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hq: TestHubInProcess;
let seoul: TestHubInProcess;
let busan: TestHubInProcess;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(
      `${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build; npm test does it)`,
    );
  }
  hq = await startTestHub({ role: 'hq' });
  const start = async (site: 'seoul' | 'busan') =>
    startTestHub({
      demoSites: [site],
      hqUrl: hq.url,
      hqEnrollToken: await enrollmentToken(hq.url, site),
      federationHeartbeatSeconds: 0.3,
    });
  [seoul, busan] = await Promise.all([start('seoul'), start('busan')]);
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await Promise.all([seoul?.stop(), busan?.stop()]);
  await hq?.stop();
});

async function chat(url: string, site: string, body: string) {
  const res = await api<StartChatResponse>(url, '/api/v1/webchat/sessions', null, {
    method: 'POST',
    body: JSON.stringify({ site, name: '남궁공유', phone: '010-6161-7272', consent: true, body }),
  });
  expect(res.status).toBe(201);
  return res.body.conversationId;
}

describe('other centers in the customer 360', () => {
  it('shows the other center’s consultation only after the customer’s consent, masked', async () => {
    const atBusan = await chat(busan.url, 'busan', '부산 문의');
    await busan.ctx.db
      .updateTable('conversations')
      .set({ subject: '배송 지연 010-6161-7272' })
      .where('id', '=', atBusan)
      .execute();
    await chat(seoul.url, 'seoul', '서울 문의');
    // At busan the customer agreed on the phone; busan's agent recorded it.
    const busanAgent = (await loginAs(busan.url, 'busan1')).token;
    const found = await api<{ id: string }[]>(
      busan.url,
      `/api/v1/customers?query=${encodeURIComponent('남궁공유')}`,
      busanAgent,
    );
    const consent = await api(
      busan.url,
      `/api/v1/customers/${found.body[0]!.id}/consents/group_share`,
      busanAgent,
      {
        method: 'PUT',
        body: JSON.stringify({ granted: true }),
      },
    );
    expect(consent.status).toBe(200);

    context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${seoul.url}/desk/`);
    await page.getByLabel('아이디', { exact: true }).fill('agent1');
    await page.getByLabel('비밀번호', { exact: true }).fill('demo');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    const pane = page.getByRole('complementary', { name: '고객 정보' });
    await pane.getByLabel('고객 검색 (이름, 전화번호, 이메일)').fill('남궁공유');
    await pane.getByRole('button', { name: '찾기', exact: true }).click();
    await pane.getByRole('button', { name: '남궁공유 고객 보기' }).click();

    const others = pane.getByRole('region', { name: '다른 센터 상담' });
    await others.getByText('고객이 그룹 내 상담 이력 공유에 동의하지 않아', { exact: false }).waitFor();
    expect(await others.getByRole('listitem').count()).toBe(0);

    await others.getByRole('button', { name: '공유 동의 기록' }).click();
    const entry = others.getByRole('list', { name: '다른 센터 상담' }).getByRole('listitem');
    await entry.filter({ hasText: '부산센터' }).waitFor({ timeout: 30_000 });
    const text = (await entry.first().textContent()) ?? '';
    expect(text).toContain('배송 지연');
    expect(text).not.toContain('6161-7272');
    await others.getByRole('button', { name: '공유 동의 철회 기록' }).waitFor();
  });
});
