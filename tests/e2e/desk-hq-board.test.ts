/**
 * HQ's group board in the browser desk: a real HQ hub and a real center hub
 * (서울센터) enrolled to it, an agent who goes Ready at the center, and HQ's
 * desk at /desk/ showing that center and the group total. Also the center
 * switcher with HQ among the centers, and today's KPIs above a center's
 * wallboard. Debian Chromium, accessible names only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '@shared/errors';
import { launchChromium } from '../support/chromium';
import { enrollmentToken, siteDesk, type SiteDesk } from '../support/federation';
import { startHub, type TestHub } from '../support/hub';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hq: TestHub | undefined;
let seoul: TestHub | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let agent: SiteDesk | undefined;

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(
      `${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build; npm test does it)`,
    );
  }
  hq = await startHub({ demo: true, env: { IEUM_ROLE: 'hq' } });
  const token = await enrollmentToken(hq.url, '서울센터 허브');
  seoul = await startHub({
    demo: true,
    env: {
      IEUM_DEMO_SITES: 'seoul',
      IEUM_HQ_URL: hq.url,
      IEUM_HQ_ENROLL_TOKEN: token,
      // The switcher test signs in to the center from a page HQ served.
      IEUM_CORS_ORIGINS: hq.url,
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  agent?.socket.disconnect();
  await browser?.close();
  await seoul?.stop();
  await hq?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function newContext(): Promise<BrowserContext> {
  context = await browser!.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  return context;
}

async function signIn(page: Page, hubUrl: string, username: string): Promise<void> {
  const hub = page.getByLabel('허브 주소', { exact: true });
  if ((await hub.inputValue()) !== hubUrl) await hub.fill(hubUrl);
  await page.getByLabel('아이디', { exact: true }).fill(username);
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
}

describe('HQ group board in the browser desk', () => {
  it("shows each center with its agents by name and state, and the group total, at HQ's /desk/", async () => {
    // agent1 (김지은) goes Ready at the center, as her desk would.
    agent = await siteDesk(seoul!.url, 'agent1');
    const ready = (await (agent.socket.emitWithAck as (n: string, p: unknown) => Promise<unknown>)(
      'agent.setState',
      { commandId: `hq-board-${Date.now()}`, state: 'ready' },
    )) as Result<{ state: string }>;
    expect(ready).toMatchObject({ ok: true, value: { state: 'ready' } });

    const page = await (await newContext()).newPage();
    await page.goto(`${hq!.url}/desk/`);
    await signIn(page, hq!.url, 'hq1');

    await page.getByRole('heading', { name: /^그룹 현황/ }).waitFor();
    await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    const center = page.getByRole('region', { name: '서울센터', exact: true });
    const agents = center.getByRole('table', { name: '상담원', exact: true });
    // The board is polled every 5 s: wait until replication has brought her Ready state.
    await agents.getByRole('row').filter({ hasText: '김지은' }).filter({ hasText: '대기' }).waitFor();
    await center
      .getByRole('table', { name: '오늘의 지표' })
      .getByRole('rowheader', { name: '인입' })
      .waitFor();
    await center.getByRole('table', { name: '상태별 상담원' }).waitFor();

    const total = page.getByRole('region', { name: '그룹 합계', exact: true });
    await total
      .getByRole('table', { name: '상태별 상담원' })
      .getByRole('row')
      .filter({ hasText: '대기' })
      .waitFor();
    await total.getByRole('table', { name: '오늘의 지표' }).waitFor();
    const readyInTotal = total
      .getByRole('table', { name: '상태별 상담원' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '대기' }) })
      .getByRole('cell');
    expect(Number(await readyInTotal.textContent())).toBeGreaterThanOrEqual(1);

    // HQ takes no work: no inbox, softphone or agent state buttons.
    expect(await page.getByRole('heading', { name: '소프트폰' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '대기', exact: true }).count()).toBe(0);
  });

  it('switches between a center and HQ from the center switcher; tokens are per tab', async () => {
    const ctx = await newContext();
    // Tab 1 signs in at the center: its manager sees today's figures above the wallboard.
    const centerTab = await ctx.newPage();
    await centerTab.goto(`${hq!.url}/desk/`);
    await signIn(centerTab, seoul!.url, 'manager1');
    const wallboard = centerTab.getByRole('region', { name: /^실시간 현황판/ });
    await wallboard
      .getByRole('table', { name: '오늘의 지표' })
      .getByRole('columnheader', { name: '서비스 레벨' })
      .waitFor();
    await wallboard.getByRole('table', { name: '대기열 현황' }).waitFor();

    // Tab 2 signs in at HQ; both centers are now saved profiles (localStorage is shared).
    const tab = await ctx.newPage();
    await tab.goto(`${hq!.url}/desk/`);
    await signIn(tab, hq!.url, 'hq1');
    await tab.getByRole('region', { name: '서울센터', exact: true }).waitFor();
    const switcher = tab.getByRole('combobox', { name: '센터 전환' });
    expect((await switcher.locator('option').allTextContents()).sort()).toEqual(['본사', '서울센터']);

    // This tab never signed in at the center: the login form comes up with the center's address.
    await switcher.selectOption({ label: '서울센터' });
    await tab.getByRole('heading', { name: '로그인' }).waitFor();
    expect(await tab.getByLabel('허브 주소', { exact: true }).inputValue()).toBe(seoul!.url);
    await signIn(tab, seoul!.url, 'manager1');
    await tab.getByRole('region', { name: /^실시간 현황판/ }).waitFor();

    // Back to HQ in one step: the tab kept its HQ token.
    await tab.getByRole('combobox', { name: '센터 전환' }).selectOption({ label: '본사' });
    await tab.getByRole('region', { name: '그룹 합계', exact: true }).waitFor();
    expect(await tab.getByRole('heading', { name: '로그인' }).count()).toBe(0);
  });
});
