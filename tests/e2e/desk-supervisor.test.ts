/**
 * A supervisor runs the floor from the wallboard (Debian Chromium, driven by
 * accessible names): sets agent1 Not ready while work comes in, sees the work
 * in the wait queue, sets agent1 Ready again and assigns the work to them.
 * agent1's desk follows along; after a reload it still offers Finish for the
 * work it holds (GET /routing/my-work).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentStatusView } from '@shared/api';
import type { Conversation } from '@shared/domain';
import type { WorkItemView } from '@shared/protocol';
import { launchChromium } from '../support/chromium';
import { hubApi, requireBuiltDesk } from '../support/desk-e2e';
import { login, startHub, type TestHub } from '../support/hub';

let hub: TestHub;
let browser: Browser;
const contexts: BrowserContext[] = [];
let supervisorToken: string;
let agent1: AgentStatusView;
let queueId: string;
let conversation: Conversation;

const api = hubApi(
  () => hub.url,
  () => supervisorToken,
);

beforeAll(async () => {
  requireBuiltDesk();
  hub = await startHub({ demo: true });
  browser = await launchChromium();
  supervisorToken = (await login(hub.url, 'supervisor1')).token;

  const agents = await api<AgentStatusView[]>('/admin/agent-states');
  expect(agents.status).toBe(200);
  agent1 = agents.body.find((a) => a.username === 'agent1')!;

  const queues = await api<{ id: string; name: string }[]>('/admin/queues');
  queueId = queues.body.find((q) => q.name === '일반 문의')!.id;

  // Answered work reopens its conversation: pick one that no open conversation of agent1's
  // matches by subject and channel, so agent1's inbox shows it apart from the rest.
  const agent1Token = (await login(hub.url, 'agent1')).token;
  const mine = await fetch(`${hub.url}/api/v1/conversations?scope=mine&limit=200`, {
    headers: { authorization: `Bearer ${agent1Token}` },
  });
  const key = (c: Conversation) => `${c.subject}|${c.channel}`;
  const taken = new Set(((await mine.json()) as Conversation[]).filter((c) => c.status === 'open').map(key));
  const conversations = await api<Conversation[]>('/conversations?scope=all&limit=200');
  conversation = conversations.body.find(
    (c) => c.status === 'resolved' && c.assigneeId !== agent1.userId && c.subject && !taken.has(key(c)),
  )!;
  expect(conversation).toBeDefined();
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** Signs in at /desk/ in a browser context of its own; resolves once the socket is up. */
async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${hub.url}/desk/`);
  await page.getByLabel('아이디', { exact: true }).fill(username);
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await connected(page);
  return page;
}

const CHANNEL_NAMES: Record<Conversation['channel'], string> = {
  voice: '전화',
  webchat: '웹 채팅',
  email: '이메일',
  sms: '문자',
  messenger: '메신저',
};

const connected = (page: Page) => page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();

/** agent1's own state buttons: the pressed one is the state the hub says they are in. */
const ownState = (page: Page, name: '대기' | '이석') =>
  page.getByRole('button', { name, exact: true, pressed: true });

describe('the supervisor on the wallboard', () => {
  it('sets agent1 not ready and ready, assigns waiting work to them; Finish survives a reload', async () => {
    const agentPage = await signIn('agent1');
    await agentPage.getByRole('button', { name: '대기', exact: true }).click();
    await ownState(agentPage, '대기').waitFor();

    const supervisorPage = await signIn('supervisor1');
    await supervisorPage.getByRole('heading', { name: '실시간 현황판' }).waitFor();
    const agentRow = supervisorPage
      .getByRole('list', { name: '상담원 현황' })
      .getByRole('listitem')
      .filter({ hasText: agent1.displayName });
    const changeState = agentRow.getByRole('button', { name: `${agent1.displayName} 상태 변경` });

    // Not ready with a reason, from the wallboard: agent1's desk shows it.
    await changeState.click();
    const menu = supervisorPage.getByRole('menu', { name: `${agent1.displayName}의 상태` });
    await menu.getByRole('menuitem', { name: '이석 — 휴식', exact: true }).click();
    await menu.waitFor({ state: 'detached' });
    await ownState(agentPage, '이석').waitFor();
    await agentRow.getByText('이석', { exact: true }).waitFor();

    // Work comes in while nobody is Ready: it waits, and the wait queue shows it.
    const enqueued = await api<{ status: string; item: WorkItemView }>('/routing/work', {
      method: 'POST',
      body: JSON.stringify({ queueId, channel: 'webchat', conversationId: conversation.id }),
    });
    expect(enqueued.status).toBe(201);
    const item = enqueued.body.item;
    const waitQueue = supervisorPage.getByRole('table', { name: '대기열', exact: true });
    const row = waitQueue.getByRole('row').filter({ hasText: '일반 문의' }).filter({ hasText: '웹 채팅' });
    await row.waitFor();
    expect(await waitQueue.getByRole('row').count()).toBe(2); // header and the one item

    // Ready again through the same control (an agent must not be offline to take work).
    await changeState.click();
    await supervisorPage.getByRole('menuitem', { name: '대기', exact: true }).click();
    await ownState(agentPage, '대기').waitFor();

    // Assign it to agent1.
    await row
      .getByRole('combobox', { name: '1번 상담을 배정할 상담원' })
      .selectOption({ label: agent1.displayName });
    await row.getByRole('button', { name: '배정', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    const picked = await api<{ item: WorkItemView }>(`/routing/work/${item.id}`);
    expect(picked.body.item.status).toBe('active');
    expect(picked.body.item.agentId).toBe(agent1.userId);

    // agent1's inbox has the conversation, with Finish for the work.
    const inboxItem = agentPage
      .getByRole('listbox', { name: '상담 목록' })
      .getByRole('option')
      .filter({ hasText: conversation.subject! })
      .filter({ hasText: CHANNEL_NAMES[conversation.channel] })
      .filter({ hasText: '진행 중' });
    await inboxItem.click();
    await agentPage.getByRole('article', { name: conversation.subject! }).waitFor();
    const finish = agentPage.getByRole('button', { name: '상담 종료', exact: true });
    await finish.waitFor();
    // Offered to agent1 as they went Ready, perhaps; picked for them, it is no longer an offer.
    await agentPage.getByRole('alertdialog').waitFor({ state: 'detached' });

    // A reload keeps the session (tab storage) and, from the hub's list, the Finish button.
    await agentPage.reload();
    await connected(agentPage);
    await inboxItem.click();
    await agentPage.getByRole('article', { name: conversation.subject! }).waitFor();
    await finish.waitFor();

    await finish.click();
    await finish.waitFor({ state: 'detached' });
    expect((await api<{ item: WorkItemView }>(`/routing/work/${item.id}`)).body.item.status).toBe('done');
  });
});
