/**
 * The customer 360 pane in the browser desk (Debian Chromium, driven by
 * accessible names): agent1 opens a demo conversation, sees the customer's
 * name and earlier consultations, adds a note, and finds it again after a reload;
 * supervisor1 finds a customer, reveals a masked card number (audited),
 * merges another record into it and undoes the merge.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile, CustomerSummary, TimelinePage } from '@shared/customers';
import { formatKoreanPhone } from '@shared/phone-number';
import type { Conversation } from '@shared/domain';
import { launchChromium } from '../support/chromium';
import { login, startHub, type TestHub } from '../support/hub';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hub: TestHub;
let browser: Browser;
let context: BrowserContext | undefined;
let agentToken: string;

async function api<T>(path: string, token = agentToken): Promise<T> {
  const res = await fetch(`${hub.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(
      `${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build; npm test does it)`,
    );
  }
  hub = await startHub({ demo: true });
  browser = await launchChromium();
  agentToken = (await login(hub.url, 'agent1')).token;
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function signIn(page: Page, username = 'agent1'): Promise<void> {
  await page.getByLabel('아이디', { exact: true }).fill(username);
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
}

/** One of agent1's open demo conversations whose customer has earlier history. */
async function conversationWithHistory() {
  const mine = await api<Conversation[]>('/conversations?scope=mine&limit=200');
  for (const c of mine.filter((x) => x.status === 'open' && x.lastMessageAt)) {
    const timeline = await api<TimelinePage>(`/customers/${c.customerId}/timeline?limit=50`);
    const earlier = timeline.items.filter((i) => i.kind === 'conversation' && i.id !== c.id);
    if (earlier.length > 0) {
      const profile = await api<CustomerProfile>(`/customers/${c.customerId}`);
      return { conversation: c, profile, earlier };
    }
  }
  throw new Error('no demo conversation of agent1 has a customer with earlier consultations');
}

describe('customer 360 pane', () => {
  it('shows the customer and earlier consultations; a note added is there after a reload', async () => {
    const { conversation, profile, earlier } = await conversationWithHistory();
    context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${hub.url}/desk/`);
    await signIn(page);

    const openIt = async () => {
      const list = page.getByRole('listbox', { name: '상담 목록' });
      // The list item of that conversation: its time is the conversation's last message.
      await list
        .getByRole('option')
        .filter({ has: page.locator(`time[datetime="${conversation.lastMessageAt}"]`) })
        .click();
    };
    await openIt();

    const pane = page.getByRole('complementary', { name: '고객 정보' });
    await pane.getByText(profile.name, { exact: true }).waitFor();
    const history = pane.getByRole('list', { name: '이전 상담' });
    await history.getByRole('listitem').first().waitFor();
    // Every earlier conversation is listed (first page), and the open one is not.
    for (const item of earlier.slice(0, 5)) {
      if (item.kind !== 'conversation') continue;
      await history.locator(`time[datetime="${item.at}"]`).first().waitFor();
    }
    expect(await history.locator(`time[datetime="${conversation.lastMessageAt}"]`).count()).toBe(0);
    // The four consents (privacy, marketing, third party, group sharing) were never asked of this demo customer.
    expect(await pane.getByText('동의 없음').count()).toBe(4);

    const note = `e2e 고객 메모 ${Date.now()}`;
    await pane.getByLabel('새 메모', { exact: true }).fill(note);
    await pane.getByRole('button', { name: '메모 추가', exact: true }).click();
    const notes = pane.getByRole('list', { name: '고객 메모' });
    await notes.getByText(note, { exact: true }).waitFor();
    expect(await pane.getByLabel('새 메모', { exact: true }).inputValue()).toBe('');
    // The hub has it.
    const stored = await api<CustomerProfile>(`/customers/${profile.id}`);
    expect(stored.notes.map((n) => n.body)).toContain(note);

    await page.reload();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await openIt();
    await page
      .getByRole('complementary', { name: '고객 정보' })
      .getByRole('list', { name: '고객 메모' })
      .getByText(note, { exact: true })
      .waitFor();
    // Agents neither merge records nor reveal numbers.
    expect(await page.getByRole('heading', { name: '고객 기록 병합' }).count()).toBe(0);
  });

  it('lets a supervisor reveal a masked number (audited), merge two records and undo the merge', async () => {
    const { conversation, profile } = await conversationWithHistory();
    // agent1 writes a card number into an internal note of that conversation.
    const card = '4111-1111-1111-1111';
    const socket = io(hub.url, {
      auth: { token: agentToken },
      transports: ['websocket'],
      reconnection: false,
    });
    const sent = (await socket.emitWithAck('message.send', {
      commandId: `e2e-pii-${Date.now()}-xxxxxxxx`,
      conversationId: conversation.id,
      body: `카드 ${card} 로 결제 요청`,
      kind: 'note',
    })) as { ok: boolean; value: { id: string; body: string } };
    socket.close();
    expect(sent.ok).toBe(true);
    expect(sent.value.body).toBe('카드 4111-****-****-1111 로 결제 요청');
    // Another record of the site, to merge into the first.
    const others = await api<CustomerSummary[]>('/customers?query=user&limit=50');
    const other = others.find((c) => c.id !== profile.id && c.name !== profile.name)!;

    context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${hub.url}/desk/`);
    await signIn(page, 'supervisor1');
    const pane = page.getByRole('complementary', { name: '고객 정보' });
    await pane.getByLabel('고객 검색 (이름, 전화번호, 이메일)').fill(formatKoreanPhone(profile.phones[0]!));
    await pane.getByRole('button', { name: '찾기', exact: true }).click();
    await pane.getByRole('button', { name: `${profile.name} 고객 보기` }).click();
    await pane.getByText(profile.name, { exact: true }).waitFor();

    // The note shows masked; the supervisor reveals it, and the hub audits that.
    const history = pane.getByRole('list', { name: '이전 상담' });
    await history.getByText('카드 4111-****-****-1111 로 결제 요청').waitFor();
    await history.getByRole('button', { name: '가린 번호 보기' }).first().click();
    await history.getByText(`카드 ${card} 로 결제 요청`).waitFor();
    const managerToken = (await login(hub.url, 'manager1')).token;
    const audit = await api<{ action: string; target: string }[]>('/admin/audit-log?limit=50', managerToken);
    expect(audit.some((a) => a.action === 'pii.revealed' && a.target === sent.value.id)).toBe(true);

    // Merge the other record into this one, then undo.
    await pane.getByLabel('병합할 고객 검색 (이름, 전화번호, 이메일)').fill(other.emails[0]!);
    await pane.getByRole('button', { name: '검색', exact: true }).click();
    await pane.getByRole('button', { name: `이 기록으로 병합: ${other.name}` }).click();
    await pane
      .getByRole('status')
      .filter({ hasText: `${other.name} 고객 기록을 병합했습니다.` })
      .waitFor();
    const merged = await api<CustomerProfile>(`/customers/${profile.id}`);
    expect(merged.emails.sort()).toEqual([...profile.emails, ...other.emails].sort());
    await pane.getByText(other.emails[0]!, { exact: false }).first().waitFor();

    await pane.getByRole('button', { name: '병합 취소', exact: true }).click();
    await pane.getByRole('status').filter({ hasText: '병합을 취소했습니다.' }).waitFor();
    expect((await api<CustomerProfile>(`/customers/${profile.id}`)).emails).toEqual(profile.emails);
    expect((await api<CustomerProfile>(`/customers/${other.id}`)).mergedInto).toBeNull();
  });
});
