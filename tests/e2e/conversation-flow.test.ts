/**
 * Issue 4's main flow in Debian Chromium, two pages: a returning customer
 * on `/widget/demo` starts a chat; agent1 on `/desk/` gets the offer,
 * accepts, sees the customer's earlier consultations and CRM orders in the
 * 360 panel, picks a canned response with `/` and the keyboard (variables
 * filled in), sends it; the customer sees it; the agent resolves; the
 * customer answers the survey; the 360 timeline shows the conversation and
 * the score. Also: customer HTML shown as text on the desk, a reply over
 * the channel's limit refused in the composer with the text kept.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { requireBuiltDesk, startWidgetChat } from '../support/desk-e2e';
import { startHub, type TestHub } from '../support/hub';

const WAIT = { timeout: 30_000 };
let hub: TestHub;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltDesk();
  hub = await startHub({ demo: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await hub?.stop();
});

async function page(): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  const p = await context.newPage();
  p.setDefaultTimeout(30_000);
  return p;
}

/** A demo customer with only resolved history (no open chat on anyone's desk) and a phone number. */
function returningCustomer(): { name: string; phone: string; subject: string } {
  const db = new Database(join(hub.dataDir, 'ieum.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        `select c.name as name, i.handle as phone, v.subject as subject
           from customers c
           join identities i on i.customer_id = c.id and i.channel = 'voice'
           join sites s on s.id = c.site_id and s.code = 'seoul'
           join conversations v on v.customer_id = c.id
          where not exists (select 1 from conversations o where o.customer_id = c.id and o.status != 'resolved')
          order by c.created_at limit 1`,
      )
      .get() as { name: string; phone: string; subject: string };
  } finally {
    db.close();
  }
}

describe('conversation view, end to end', () => {
  it('offer → 360 history and orders → canned reply by / → resolve → survey → score in the timeline', async () => {
    const known = returningCustomer();
    const localPhone = known.phone.replace(/^\+82/, '0');

    const desk = await page();
    await desk.goto(`${hub.url}/desk/`);
    await desk.getByLabel('아이디', { exact: true }).fill('agent1');
    await desk.getByLabel('비밀번호', { exact: true }).fill('demo');
    await desk.getByRole('button', { name: '로그인', exact: true }).click();
    await desk.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    await desk.getByRole('button', { name: '대기', exact: true }).click();
    await desk.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();

    const customer = await page();
    const question = '<script>alert(1)</script> 주문한 물건 언제 와요?';
    const chat = await startWidgetChat(customer, hub.url, {
      name: known.name,
      phone: localPhone,
      question: question,
    });
    const log = chat.getByRole('log', { name: '대화 내용' });
    await log.getByText(question, { exact: true }).waitFor();

    const offer = desk.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await offer.getByText(known.name, { exact: true }).waitFor(WAIT);
    await offer.getByRole('button', { name: '수락', exact: true }).click();
    await offer.waitFor({ state: 'detached' });

    // The customer's script is shown as text on the desk, never run.
    const messages = desk.getByRole('list', { name: '메시지' });
    await messages.getByText(question, { exact: true }).waitFor();

    // 360: the earlier consultation, and orders from the demo CRM.
    const panel = desk.getByRole('complementary', { name: '고객 정보' });
    await panel.getByText(known.name, { exact: true }).first().waitFor();
    const earlier = panel.getByRole('list', { name: '이전 상담' });
    await earlier.getByText(known.subject).first().waitFor();
    const orders = panel.getByRole('list', { name: '주문 내역' });
    await orders
      .getByText(/^주문번호 ORD-\d{8}$/)
      .first()
      .waitFor();

    // `/` opens the canned responses; typing filters, the keyboard picks.
    const composer = desk.getByRole('combobox', { name: '답장', exact: true });
    await composer.click();
    await composer.pressSequentially('/hel');
    const listbox = desk.getByRole('listbox', { name: '상용구' });
    await listbox.waitFor();
    await expect.poll(() => listbox.getByRole('option').count()).toBe(1);
    await listbox.getByRole('option', { name: /\/hello · 첫 인사/, selected: true }).waitFor();
    await composer.press('Enter');
    await listbox.waitFor({ state: 'detached' });
    const filled = `안녕하세요, ${known.name} 고객님. 상담원 김지은입니다. 무엇을 도와드릴까요?`;
    await expect.poll(() => composer.inputValue()).toBe(filled);
    await desk.getByRole('button', { name: '보내기', exact: true }).click();
    await log.getByText(filled, { exact: true }).waitFor(WAIT);
    await messages.getByText(filled, { exact: true }).waitFor();
    expect(await messages.getByText(filled, { exact: true }).count()).toBe(1);

    // Over the web chat limit: refused in the composer, the text stays.
    const long = '가'.repeat(2001);
    await composer.fill(long);
    await desk.getByRole('alert').filter({ hasText: '메시지가 너무 깁니다 (2,001/2,000자)' }).waitFor();
    expect(await desk.getByRole('button', { name: '보내기', exact: true }).isDisabled()).toBe(true);
    expect(await composer.inputValue()).toBe(long);
    await composer.fill('');

    // Resolve from the conversation's tools: the customer gets the survey.
    await desk
      .getByRole('group', { name: '상담 도구' })
      .getByRole('button', { name: '해결', exact: true })
      .click();
    const survey = chat.getByRole('form', { name: '상담 만족도 조사' });
    await survey.waitFor(WAIT);
    await survey
      .getByRole('group', { name: /얼마나 만족/ })
      .getByRole('radio', { name: '4' })
      .check();
    await survey.getByRole('button', { name: '제출' }).click();
    await chat.getByRole('status').filter({ hasText: '소중한 의견 감사합니다.' }).waitFor();

    // The 360 timeline now holds this conversation and its score.
    await earlier.getByText('CSAT 4/5').waitFor(WAIT);
    await earlier.getByText(question.slice(0, 20)).first().waitFor();
  });
});
