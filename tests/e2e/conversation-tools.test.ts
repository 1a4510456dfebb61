/**
 * The conversation view's tools in Chromium with three pages: agent1, the
 * supervisor and the web chat customer. The customer types (the desk shows
 * it) and sends an image (a thumbnail on the desk) and reads the reply (읽음);
 * agent1 tags the chat, writes an internal note mentioning the supervisor by
 * `@` autocomplete; the supervisor gets the mention, opens the conversation,
 * and agent1 sees "박서연님이 보고 있음", then "입력 중" while the supervisor
 * types; the note never reaches the customer; snooze and transfer move the
 * conversation off agent1's work.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium';
import { requireBuiltDesk, startWidgetChat } from '../support/desk-e2e';
import { startHub, type TestHub } from '../support/hub';

const WAIT = { timeout: 30_000 };
let hub: TestHub;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

// A hub per test: agents' states and work do not carry over from one test to the next.
beforeAll(async () => {
  requireBuiltDesk();
  browser = await launchChromium();
}, 120_000);

beforeEach(async () => {
  hub = await startHub({ demo: true });
}, 120_000);

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await hub?.stop();
});

afterAll(async () => {
  await browser?.close();
});

async function page(): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  const p = await context.newPage();
  p.setDefaultTimeout(30_000);
  return p;
}

async function signIn(username: string): Promise<Page> {
  const desk = await page();
  await desk.goto(`${hub.url}/desk/`);
  await desk.getByLabel('아이디', { exact: true }).fill(username);
  await desk.getByLabel('비밀번호', { exact: true }).fill('demo');
  await desk.getByRole('button', { name: '로그인', exact: true }).click();
  await desk.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
  return desk;
}

describe('conversation tools, end to end', () => {
  it('typing, an image, read receipts, tags, a note with @mention, the collision warning, snooze', async () => {
    const agent = await signIn('agent1');
    await agent.getByRole('button', { name: '대기', exact: true }).click();
    await agent.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();

    const customer = await page();
    const chat = await startWidgetChat(customer, hub.url, {
      name: '도구 시험 고객',
      phone: '010-7777-0303',
      question: '사진 보내도 되나요?',
    });
    const log = chat.getByRole('log', { name: '대화 내용' });

    const offer = agent.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await offer.getByRole('button', { name: '수락', exact: true }).click(WAIT);
    await offer.waitFor({ state: 'detached' });
    const messages = agent.getByRole('list', { name: '메시지' });
    await messages.getByText('사진 보내도 되나요?').waitFor();

    // The customer types: the desk says so.
    await chat.getByLabel('메시지', { exact: true }).pressSequentially('잠시만요');
    await messages.getByRole('status').filter({ hasText: '고객이 입력 중…' }).waitFor(WAIT);
    await chat.getByLabel('메시지', { exact: true }).fill('');

    // An image: a thumbnail on the desk.
    await chat.getByLabel('파일 첨부', { exact: true }).setInputFiles({
      name: 'receipt.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await chat.getByRole('button', { name: '보내기' }).click();
    await messages.getByRole('img', { name: 'receipt.png' }).waitFor(WAIT);

    // A reply the customer reads is marked 읽음.
    const composer = agent.getByRole('combobox', { name: '답장', exact: true });
    await composer.fill('네, 사진 확인했습니다.');
    await agent.getByRole('button', { name: '보내기', exact: true }).click();
    await log.getByText('네, 사진 확인했습니다.', { exact: true }).waitFor(WAIT);
    await messages.getByText('· 읽음').waitFor(WAIT);

    // Tags: added, and written to conversation_tags.
    const tags = agent.getByRole('group', { name: '상담 태그' });
    await tags.getByLabel('새 태그').fill('사진문의');
    await tags.getByRole('button', { name: '태그 추가' }).click();
    await tags.getByRole('button', { name: '사진문의 태그 삭제' }).waitFor();

    // The supervisor is on the desk too.
    const supervisor = await signIn('supervisor1');

    // A note mentioning the supervisor, chosen from the @ list.
    await agent.getByRole('radio', { name: '내부 메모' }).check();
    const note = agent.getByRole('combobox', { name: '내부 메모', exact: true });
    await note.click();
    await note.pressSequentially('환불 가능할까요? @박');
    const agents = agent.getByRole('listbox', { name: '언급할 상담원' });
    await agents.getByRole('option', { name: /박서연/ }).waitFor();
    await note.press('Enter');
    await expect.poll(() => note.inputValue()).toBe('환불 가능할까요? @박서연 ');
    await note.pressSequentially('확인 부탁드립니다');
    await agent.getByRole('button', { name: '보내기', exact: true }).click();
    await messages.getByText('환불 가능할까요? @박서연 확인 부탁드립니다').waitFor();

    const mentions = supervisor.getByRole('region', { name: '나를 언급한 메모' });
    await mentions.getByText('환불 가능할까요? @박서연 확인 부탁드립니다').waitFor(WAIT);
    await mentions.getByRole('button', { name: '상담 열기' }).click();
    await supervisor.getByRole('list', { name: '메시지' }).getByText('사진 보내도 되나요?').waitFor();

    // Collision: agent1 sees the supervisor viewing, then typing.
    await agent.getByRole('status').filter({ hasText: '박서연님이 보고 있음' }).waitFor(WAIT);
    await supervisor
      .getByRole('combobox', { name: '답장', exact: true })
      .pressSequentially('제가 안내할게요');
    await agent.getByRole('status').filter({ hasText: '박서연님이 입력 중' }).waitFor(WAIT);

    // The note never reached the customer.
    expect(await log.getByText(/환불 가능할까요/).count()).toBe(0);

    // Snooze: the conversation is hidden from active work until then.
    const tools = agent.getByRole('group', { name: '상담 도구' });
    await tools.getByRole('button', { name: '다시 알림', exact: true }).click();
    await tools.getByRole('button', { name: '다시 알림 설정' }).click();
    await agent.getByText(/에 다시 알림$/).waitFor(WAIT);

    const db = new Database(join(hub.dataDir, 'ieum.sqlite'), { readonly: true });
    try {
      const tagRows = db.prepare("select tag from conversation_tags where tag = '사진문의'").all();
      expect(tagRows).toHaveLength(1);
      const snoozed = db
        .prepare(
          "select count(*) as n from conversations where status = 'snoozed' and snoozed_until is not null",
        )
        .get() as { n: number };
      expect(snoozed.n).toBe(1);
    } finally {
      db.close();
    }
  });

  it('a long history pages back on scroll-up, each message once, while live messages keep arriving', async () => {
    const agent = await signIn('agent2');
    await agent.getByRole('button', { name: '대기', exact: true }).click();
    await agent.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();

    const customer = await page();
    const chat = await startWidgetChat(customer, hub.url, {
      name: '긴 대화 고객',
      phone: '010-7777-0404',
      question: '지난 대화 이어서 할게요',
    });
    const offer = agent.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await offer.waitFor(WAIT);

    // 130 earlier messages in this conversation, older than anything the desk has loaded.
    const db = new Database(join(hub.dataDir, 'ieum.sqlite'));
    try {
      db.pragma('busy_timeout = 5000');
      const conv = db
        .prepare(
          "select id, site_id, created_at from conversations where subject = '지난 대화 이어서 할게요'",
        )
        .get() as { id: string; site_id: string; created_at: number };
      const insert = db.prepare(
        "insert into messages (id, site_id, conversation_id, direction, author_id, body, client_id, created_at) values (?, ?, ?, 'in', null, ?, null, ?)",
      );
      db.transaction(() => {
        for (let i = 1; i <= 130; i++) {
          insert.run(
            `old-${i}`,
            conv.site_id,
            conv.id,
            `지난 메시지 ${i}번`,
            Number(conv.created_at) - (200 - i) * 60_000,
          );
        }
      })();
    } finally {
      db.close();
    }

    await offer.getByRole('button', { name: '수락', exact: true }).click();
    const messages = agent.getByRole('list', { name: '메시지' });
    await messages.getByText('지난 대화 이어서 할게요').waitFor();
    // The newest 100 are shown; the first ones are not yet.
    await messages.getByText('지난 메시지 130번', { exact: true }).waitFor();
    expect(await messages.getByText('지난 메시지 1번', { exact: true }).count()).toBe(0);

    // A live message arrives while we page back.
    await chat.getByLabel('메시지', { exact: true }).fill('지금 보낸 메시지');
    await chat.getByRole('button', { name: '보내기' }).click();
    await messages.getByText('지금 보낸 메시지').waitFor(WAIT);

    // Scrolling to the top loads the next older page, until the start.
    const older = () => messages.getByText(/^지난 메시지 \d+번$/).count();
    const atStart = async () => (await messages.getByText('대화의 처음입니다.').count()) > 0;
    for (let pageNo = 0; pageNo < 5 && !(await atStart()); pageNo++) {
      const before = await older();
      await messages.evaluate((el) => (el.scrollTop = 0));
      await expect.poll(async () => (await older()) > before || (await atStart()), WAIT).toBe(true);
    }
    await messages.getByText('지난 메시지 1번', { exact: true }).waitFor(WAIT);
    await messages.getByText('대화의 처음입니다.').waitFor(WAIT);
    for (const body of ['지난 메시지 1번', '지난 메시지 31번', '지난 메시지 130번', '지금 보낸 메시지']) {
      expect(await messages.getByText(body, { exact: true }).count(), body).toBe(1);
    }
    expect(await messages.getByText(/^지난 메시지 \d+번$/).count()).toBe(130);
  });

  it('transfer to an agent from the view: it leaves agent1 and lands on agent2’s desk', async () => {
    const first = await signIn('agent1');
    await first.getByRole('button', { name: '대기', exact: true }).click();
    await first.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
    const customer = await page();
    const chat = await startWidgetChat(customer, hub.url, {
      name: '전달 시험 고객',
      phone: '010-7777-0505',
      question: '환불 담당자와 이야기하고 싶어요',
    });
    const offer = first.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await offer.getByText('전달 시험 고객', { exact: true }).waitFor(WAIT);
    await offer.getByRole('button', { name: '수락', exact: true }).click();
    await first.getByRole('list', { name: '메시지' }).getByText('환불 담당자와 이야기하고 싶어요').waitFor();

    // agent2 is online (not taking new work) to receive it.
    const second = await signIn('agent2');
    await second.getByRole('button', { name: '이석', exact: true }).click();

    const tools = first.getByRole('group', { name: '상담 도구' });
    await tools.getByRole('button', { name: '전달', exact: true }).click();
    await tools.getByLabel('전달 대상').selectOption({ label: '상담원: 이준호' });
    await tools.getByRole('button', { name: '전달하기' }).click();
    await first.getByText('왼쪽 목록에서 상담을 선택하세요.').waitFor(WAIT);
    await second.getByText('환불 담당자와 이야기하고 싶어요').first().waitFor(WAIT);
    await chat.getByRole('status').filter({ hasText: '이준호 상담원과 연결되었습니다.' }).waitFor(WAIT);
  });
});
