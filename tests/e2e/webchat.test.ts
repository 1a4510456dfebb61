/**
 * Web chat end to end in Debian Chromium, two pages: a customer on
 * `/widget/demo` fills the pre-chat form and writes; agent1 on `/desk/`
 * (Ready) gets the offer, accepts and replies; the customer sees the reply
 * exactly once, also after a reload; the agent finishes; the customer answers the survey, and the
 * hub has it. Driven by accessible names, waiting on what the pages show.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startHub, type TestHub } from '../support/hub';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hub: TestHub;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build)`);
  }
  hub = await startHub({ demo: true });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await hub?.stop();
});

async function page() {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

describe('web chat', () => {
  it('customer → agent → reply once → finish → survey stored on the hub', async () => {
    // The agent is Ready first, so the chat is offered at once.
    const desk = await page();
    await desk.goto(`${hub.url}/desk/`);
    await desk.getByLabel('아이디', { exact: true }).fill('agent1');
    await desk.getByLabel('비밀번호', { exact: true }).fill('demo');
    await desk.getByRole('button', { name: '로그인', exact: true }).click();
    await desk.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    await desk.getByRole('button', { name: '대기', exact: true }).click();
    await desk.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();

    const customer = await page();
    await customer.goto(`${hub.url}/widget/demo`);
    await customer.getByRole('button', { name: '채팅 상담' }).click();
    const chat = customer.getByRole('dialog', { name: '채팅 상담' });
    await chat.getByLabel('이름', { exact: true }).fill('웹채팅 고객');
    await chat.getByLabel('휴대전화 번호', { exact: true }).fill('010-5555-0101');
    const question = '<b>배송</b> 언제 오나요?';
    await chat.getByLabel('문의 내용', { exact: true }).fill(question);
    // Consent is required: without it nothing starts.
    await chat.getByRole('button', { name: '상담 시작' }).click();
    await chat.getByRole('alert').filter({ hasText: '동의해 주셔야' }).waitFor();
    await chat.getByRole('checkbox', { name: /개인정보.*동의합니다/ }).check();
    await chat.getByRole('button', { name: '상담 시작' }).click();
    const log = chat.getByRole('log', { name: '대화 내용' });
    // The customer's HTML is shown as text.
    await log.getByText(question, { exact: true }).waitFor();

    const offer = desk.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await offer.getByText('웹채팅 고객', { exact: true }).waitFor();
    await offer.getByRole('button', { name: '수락', exact: true }).click();
    await offer.waitFor({ state: 'detached' });
    await chat.getByRole('status').filter({ hasText: '김지은 상담원과 연결되었습니다.' }).waitFor();

    const answer = '안녕하세요, 내일 도착 예정입니다.';
    await desk.getByLabel('답장', { exact: true }).fill(answer);
    await desk.getByRole('button', { name: '보내기', exact: true }).click();
    await log.getByText(answer, { exact: true }).waitFor();

    // A reload keeps the conversation (token in localStorage) and shows every message once.
    await customer.reload();
    await customer.getByRole('button', { name: '채팅 상담' }).click();
    await log.getByText(answer, { exact: true }).waitFor();
    await log.getByText(question, { exact: true }).waitFor();
    expect(await log.getByText(answer, { exact: true }).count()).toBe(1);

    await desk.getByRole('button', { name: '상담 종료', exact: true }).click();
    const survey = chat.getByRole('form', { name: '상담 만족도 조사' });
    await survey.waitFor();
    // The reply is there exactly once, also after the survey arrived.
    expect(await log.getByText(answer, { exact: true }).count()).toBe(1);
    await survey.getByRole('button', { name: '제출' }).click();
    await survey.getByRole('alert').filter({ hasText: '만족도를 골라 주세요.' }).waitFor();
    await survey
      .getByRole('group', { name: /얼마나 만족/ })
      .getByRole('radio', { name: '5' })
      .check();
    await survey
      .getByRole('group', { name: /추천할 가능성/ })
      .getByRole('radio', { name: '9' })
      .check();
    await survey.getByRole('button', { name: '제출' }).click();
    await chat.getByRole('status').filter({ hasText: '소중한 의견 감사합니다.' }).waitFor();

    const db = new Database(join(hub.dataDir, 'ieum.sqlite'), { readonly: true });
    try {
      const row = db.prepare('select csat, nps, ces from surveys').get();
      expect(row).toEqual({ csat: 5, nps: 9, ces: null });
      const logged = db.prepare("select payload from events where type = 'survey.answered'").all() as {
        payload: string;
      }[];
      expect(logged.map((e) => (JSON.parse(e.payload) as { csat: number }).csat)).toEqual([5]);
    } finally {
      db.close();
    }
  });
});
