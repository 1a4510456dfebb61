/**
 * Routing on the agent's desk: a supervisor puts work in a queue over REST,
 * the hub offers it to the one Ready agent, and the desk (Debian Chromium,
 * driven by accessible names) shows the offer; Accept opens the conversation
 * and the hub has the item active with that agent; Reject takes it away.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentStatusView } from '@shared/api';
import type { Conversation } from '@shared/domain';
import type { DeskEvent, OfferPayload, WorkItemView } from '@shared/protocol';
import { launchChromium } from '../support/chromium';
import { hubApi, requireBuiltDesk } from '../support/desk-e2e';
import { login, startHub, type TestHub } from '../support/hub';

let hub: TestHub;
let browser: Browser;
let context: BrowserContext | undefined;
let supervisorToken: string;
let agent1Id: string;
let queueId: string;
/** Resolved demo conversations of the site not assigned to agent1; each test takes one. */
let resolvedConversations: Conversation[];

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
  agent1Id = agents.body.find((a) => a.username === 'agent1')!.userId;

  const queues = await api<{ id: string; name: string }[]>('/admin/queues');
  expect(queues.status).toBe(200);
  queueId = queues.body.find((q) => q.name === '일반 문의')!.id;

  const conversations = await api<Conversation[]>('/conversations?scope=all&limit=200');
  expect(conversations.status).toBe(200);
  resolvedConversations = conversations.body.filter(
    (c) => c.status === 'resolved' && c.assigneeId !== agent1Id,
  );
  expect(resolvedConversations.length).toBeGreaterThanOrEqual(3);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** The hub's `event` frames on the desk's socket, to wait for one by type. */
function watchHubEvents(
  page: Page,
): (type: DeskEvent['type'], match?: (e: DeskEvent) => boolean) => Promise<DeskEvent> {
  const seen: DeskEvent[] = [];
  const waiters: { test: (e: DeskEvent) => boolean; resolve: (e: DeskEvent) => void }[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      // socket.io over engine.io: `42["event",{…}]`.
      const m = typeof payload === 'string' ? /^42\d*(\[.*)$/s.exec(payload) : null;
      if (!m) return;
      const [name, event] = JSON.parse(m[1]!) as [string, DeskEvent];
      if (name !== 'event') return;
      seen.push(event);
      for (const w of [...waiters]) {
        if (w.test(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    }),
  );
  return (type, match = () => true) => {
    const test = (e: DeskEvent) => e.type === type && match(e);
    const earlier = seen.find(test);
    return earlier ? Promise.resolve(earlier) : new Promise((r) => waiters.push({ test, resolve: r }));
  };
}

async function signIn(
  username: string,
): Promise<{ page: Page; hubEvent: ReturnType<typeof watchHubEvents> }> {
  context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const hubEvent = watchHubEvents(page);
  await page.goto(`${hub.url}/desk/`);
  await page.getByLabel('아이디', { exact: true }).fill(username);
  await page.getByLabel('비밀번호', { exact: true }).fill('demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
  return { page, hubEvent };
}

/** agent1 signs in at /desk/ and goes Ready through the UI; resolves once the hub has acked. */
async function agent1Ready(): Promise<{ page: Page; hubEvent: ReturnType<typeof watchHubEvents> }> {
  const { page, hubEvent } = await signIn('agent1');
  await page.getByRole('button', { name: '대기', exact: true }).click();
  await page.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
  return { page, hubEvent };
}

async function enqueue(conversationId: string): Promise<WorkItemView> {
  const res = await api<{ status: string; item: WorkItemView }>('/routing/work', {
    method: 'POST',
    body: JSON.stringify({ queueId, channel: 'webchat', conversationId }),
  });
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('queued');
  return res.body.item;
}

async function workItem(id: string): Promise<WorkItemView> {
  const res = await api<{ item: WorkItemView }>(`/routing/work/${id}`);
  expect(res.status).toBe(200);
  return res.body.item;
}

describe('offers on the desk', () => {
  it('shows an offer with the customer; Accept opens the conversation and the hub makes it agent1s', async () => {
    const { page, hubEvent } = await agent1Ready();
    const conversation = resolvedConversations[0]!;
    const item = await enqueue(conversation.id);

    const offered = await hubEvent('offer.created', (e) => (e.payload as OfferPayload).item.id === item.id);
    const offer = offered.payload as OfferPayload;
    expect(offer.customerName).toBeTruthy();
    const dialog = page.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await dialog.getByText(offer.customerName!, { exact: true }).waitFor();
    await dialog.getByText('웹 채팅', { exact: true }).waitFor();
    expect(await dialog.getByText(conversation.subject!, { exact: true }).isVisible()).toBe(true);
    expect(await dialog.getByRole('timer').textContent()).toMatch(/^00:[0-2]\d$/);

    await dialog.getByRole('button', { name: '수락', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // The conversation is in the inbox and open, with the button to finish the work.
    const list = page.getByRole('listbox', { name: '상담 목록' });
    await list.getByRole('option', { selected: true }).filter({ hasText: conversation.subject! }).waitFor();
    await page.getByRole('article', { name: conversation.subject! }).waitFor();
    const finish = page.getByRole('button', { name: '상담 종료', exact: true });
    await finish.waitFor();

    const accepted = await workItem(item.id);
    expect(accepted.status).toBe('active');
    expect(accepted.agentId).toBe(agent1Id);
    // Agents have no wallboard.
    expect(await page.getByRole('heading', { name: '실시간 현황판' }).count()).toBe(0);

    // Finish: the queue has no wrap-up time, so the item is done and the button goes.
    await finish.click();
    await finish.waitFor({ state: 'detached' });
    expect((await workItem(item.id)).status).toBe('done');
  });

  it('Reject takes the offer off the desk and puts the work back in the queue', async () => {
    const { page, hubEvent } = await agent1Ready();
    const item = await enqueue(resolvedConversations[1]!.id);

    const offered = await hubEvent('offer.created', (e) => (e.payload as OfferPayload).item.id === item.id);
    const dialog = page.getByRole('alertdialog', { name: '새 상담 배정 요청' });
    await dialog.getByText((offered.payload as OfferPayload).customerName!, { exact: true }).waitFor();

    await dialog.getByRole('button', { name: '거절', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await hubEvent('offer.withdrawn', (e) => (e.payload as { itemId: string }).itemId === item.id);

    const back = await workItem(item.id);
    expect(back.status).toBe('waiting');
    expect(back.agentId).toBeNull();
    // My own reject needs no notice.
    expect(await page.getByRole('status').filter({ hasText: '다른 상담원에게' }).count()).toBe(0);

    // Nobody else is Ready: the customer gives up, so nothing is offered again later.
    const abandoned = await api<WorkItemView>(`/routing/work/${item.id}/abandon`, { method: 'POST' });
    expect(abandoned.status).toBe(200);
  });

  it('the supervisor wallboard shows waiting work live from routing.stats, and the agents by name', async () => {
    const { page } = await signIn('supervisor1');
    await page.getByRole('heading', { name: '실시간 현황판' }).waitFor();
    const row = page.getByRole('table', { name: '대기열 현황' }).getByRole('row', { name: /^일반 문의/ });
    // Cells after the row header: waiting, longest wait, SL %, answered, abandoned.
    const waiting = row.getByRole('cell').nth(0);
    const abandoned = row.getByRole('cell').nth(4);
    await waiting.filter({ hasText: /^0$/ }).waitFor();
    const abandonedBefore = Number(await abandoned.textContent());

    // Nobody is Ready (agent1's desk is closed), so the work waits and the pushed snapshot shows it.
    const item = await enqueue(resolvedConversations[2]!.id);
    await waiting.filter({ hasText: /^1$/ }).waitFor();
    await api<WorkItemView>(`/routing/work/${item.id}/abandon`, { method: 'POST' });
    await waiting.filter({ hasText: /^0$/ }).waitFor();
    await abandoned.filter({ hasText: new RegExp(`^${abandonedBefore + 1}$`) }).waitFor();

    const agents = await api<AgentStatusView[]>('/admin/agent-states');
    const agent1Name = agents.body.find((a) => a.username === 'agent1')!.displayName;
    await page
      .getByRole('list', { name: '상담원 현황' })
      .getByRole('listitem')
      .filter({ hasText: agent1Name })
      .waitFor();
  });
});
