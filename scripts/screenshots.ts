/**
 * Screenshots for docs/agent-guide.md, taken from the running desk: starts a
 * demo hub on a free port, drives Debian's Chromium (playwright-core) through
 * a chat — the customer on /widget/demo, agent1 and supervisor1 on /desk/ —
 * then agent1's inbox with tabs and a Korean search, and writes docs/img/*.png. Re-run after UI changes:
 *
 *   npx electron-vite build && npm run screenshots [-- --out DIR]
 *
 * Needs the built desk (out/renderer) and /usr/bin/chromium
 * (scripts/system-deps.sh test). Prints the files it wrote as JSON.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../tests/support/chromium';
import { startHub, type TestHub } from '../tests/support/hub';
import { startWidgetChat } from '../tests/support/desk-e2e';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const OUT = resolve(ROOT, values.out ?? 'docs/img');
const written: string[] = [];

async function shot(target: Page | Locator, name: string): Promise<void> {
  const path = join(OUT, `${name}.png`);
  await target.screenshot({ path, animations: 'disabled' });
  written.push(path);
}

async function signIn(browser: Browser, hub: TestHub, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  const desk = await context.newPage();
  desk.setDefaultTimeout(30_000);
  await desk.goto(`${hub.url}/desk/`);
  await desk.getByLabel('아이디', { exact: true }).fill(username);
  await desk.getByLabel('비밀번호', { exact: true }).fill('demo');
  await desk.getByRole('button', { name: '로그인', exact: true }).click();
  await desk.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
  return desk;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('build the desk first: npx electron-vite build');
  }
  mkdirSync(OUT, { recursive: true });
  const hub = await startHub({ demo: true });
  const browser = await launchChromium();
  try {
    const agent = await signIn(browser, hub, 'agent1');
    await agent.getByRole('button', { name: '대기', exact: true }).click();
    await agent.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();

    const customerContext = await browser.newContext({
      locale: 'ko-KR',
      viewport: { width: 520, height: 820 },
    });
    const customer = await customerContext.newPage();
    customer.setDefaultTimeout(30_000);
    const chat = await startWidgetChat(customer, hub.url, {
      name: '홍길동',
      phone: '010-2345-6789',
      question: '어제 주문한 러닝화 배송이 언제 오나요?',
    });

    const offer = agent.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await offer.waitFor();
    await shot(agent, 'offer');
    await offer.getByRole('button', { name: '수락', exact: true }).click();
    await offer.waitFor({ state: 'detached' });
    const panel = agent.getByRole('complementary', { name: '고객 정보' });
    await panel.getByRole('list', { name: '주문 내역' }).waitFor();

    // `/` and the canned responses.
    const composer = agent.getByRole('combobox', { name: '답장', exact: true });
    await composer.click();
    await composer.pressSequentially('/');
    await agent.getByRole('listbox', { name: '상용구' }).waitFor();
    await shot(agent.getByRole('article'), 'canned-picker');
    await composer.pressSequentially('or');
    await composer.press('Enter');
    await agent.getByRole('button', { name: '보내기', exact: true }).click();
    await chat
      .getByRole('log', { name: '대화 내용' })
      .getByText(/주문번호/)
      .waitFor();

    await chat.getByLabel('메시지', { exact: true }).pressSequentially('네 맞아요');
    await agent.getByRole('status').filter({ hasText: '고객이 입력 중…' }).waitFor();
    await shot(agent, 'desk-conversation');
    await shot(panel, 'customer-orders');
    await shot(customer, 'widget-chat');

    // Tags.
    const tags = agent.getByRole('group', { name: '상담 태그' });
    await tags.getByLabel('새 태그').fill('배송문의');
    await tags.getByRole('button', { name: '태그 추가' }).click();
    await tags.getByRole('button', { name: '배송문의 태그 삭제' }).waitFor();

    // A note with an @mention.
    const supervisor = await signIn(browser, hub, 'supervisor1');
    await agent.getByRole('radio', { name: '내부 메모' }).check();
    const note = agent.getByRole('combobox', { name: '내부 메모', exact: true });
    await note.click();
    await note.pressSequentially('배송 지연 보상 가능할까요? @');
    await agent.getByRole('listbox', { name: '언급할 상담원' }).waitFor();
    await shot(agent.getByRole('article'), 'note-mention');
    await note.pressSequentially('박');
    await note.press('Enter');
    await agent.getByRole('button', { name: '보내기', exact: true }).click();

    const mentions = supervisor.getByRole('region', { name: '나를 언급한 메모' });
    await mentions.waitFor();
    await shot(supervisor, 'mention-notice');
    await mentions.getByRole('button', { name: '상담 열기' }).click();
    await supervisor
      .getByRole('combobox', { name: '답장', exact: true })
      .pressSequentially('제가 확인할게요');
    await agent.getByRole('status').filter({ hasText: '박서연님이 입력 중' }).waitFor();
    const tools = agent.getByRole('group', { name: '상담 도구' });
    await tools.getByRole('button', { name: '전달', exact: true }).click();
    await shot(agent.getByRole('article').locator('header'), 'conversation-tools');
    await tools.getByRole('button', { name: '전달', exact: true }).click();

    // Resolve; the customer answers the survey; the score in the 360 timeline.
    await tools.getByRole('button', { name: '해결', exact: true }).click();
    const survey = chat.getByRole('form', { name: '상담 만족도 조사' });
    await survey.waitFor();
    await survey
      .getByRole('group', { name: /얼마나 만족/ })
      .getByRole('radio', { name: '5' })
      .check();
    await shot(customer, 'widget-survey');
    await survey.getByRole('button', { name: '제출' }).click();
    await panel.getByText('CSAT 5/5').waitFor();
    await shot(panel, 'customer-timeline');

    // The inbox: two conversations open as tabs, then a Korean search with its matches marked.
    const list = agent.getByRole('listbox', { name: '상담 목록' });
    await list.getByRole('option').nth(1).click();
    await list.getByRole('option').nth(0).click();
    await agent.getByRole('list', { name: '메시지' }).getByRole('listitem').first().waitFor();
    await shot(agent, 'inbox');
    await agent.getByLabel('메시지 검색', { exact: true }).fill('배송');
    await agent.getByRole('listbox', { name: '검색 결과' }).getByRole('option').first().waitFor();
    await shot(agent, 'inbox-search');

    process.stdout.write(
      `${JSON.stringify({ written: written.map((p) => p.slice(ROOT.length + 1)) }, null, 2)}\n`,
    );
  } finally {
    await browser.close();
    await hub.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `screenshots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
