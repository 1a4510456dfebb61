/**
 * The widget asks what the site's survey template asks (Debian Chromium,
 * accessible names): a manager sets the `default` template — its own title
 * and CSAT wording, no NPS, CES kept — an agent handles the chat over the
 * desk protocol, and the customer's survey shows exactly those questions; the
 * answer is stored with the template's name.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '@shared/errors';
import type { DeskEvent, WorkItemView } from '@shared/protocol';
import { launchChromium } from '../support/chromium';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { startWidgetChat } from '../support/desk-e2e';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
let hub: TestHubInProcess;
let browser: Browser;
let context: BrowserContext | undefined;
let desk: DeskSocket | undefined;

beforeAll(async () => {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build)`);
  }
  hub = await startTestHub();
  browser = await launchChromium();
});

afterAll(async () => {
  desk?.close();
  await context?.close();
  await browser?.close();
  await hub?.stop();
});

let n = 0;
const send = <T>(name: string, payload: Record<string, unknown>) =>
  (desk as unknown as { emitWithAck(n: string, p: unknown): Promise<Result<T>> }).emitWithAck(name, {
    commandId: `survey-template-${Date.now()}-${++n}`,
    ...payload,
  });

describe('web chat survey template', () => {
  it('the widget shows the template’s title and questions, and only those', async () => {
    const { token: manager } = await loginAs(hub.url, 'manager1');
    const made = await api(hub.url, '/api/v1/admin/survey-templates', manager, {
      method: 'POST',
      body: JSON.stringify({
        name: 'default',
        questions: {
          title: { ko: '서비스 평가' },
          csat: { text: { ko: '오늘 응대에 만족하셨나요?' } },
          nps: { ask: false },
          ces: { ask: true },
        },
      }),
    });
    expect(made.status).toBe(201);

    const { token } = await loginAs(hub.url, 'agent1');
    desk = await connectDesk(hub.url, token);
    const events: DeskEvent[] = [];
    desk.on('event', (e) => events.push(e));
    expect((await send('agent.setState', { state: 'ready' })).ok).toBe(true);

    context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    const customer = await context.newPage();
    const chat = await startWidgetChat(customer, hub.url, {
      name: '설문 고객',
      phone: '010-5555-0202',
      question: '설문 템플릿 확인',
    });
    await chat.getByRole('log', { name: '대화 내용' }).getByText('설문 템플릿 확인').waitFor();

    const deadline = Date.now() + 20_000;
    let item: WorkItemView | undefined;
    while (!item && Date.now() < deadline) {
      item = (events.find((e) => e.type === 'offer.created')?.payload as { item: WorkItemView } | undefined)
        ?.item;
      if (!item) await new Promise((r) => setTimeout(r, 50));
    }
    expect(item).toBeDefined();
    expect((await send('offer.accept', { itemId: item!.id })).ok).toBe(true);
    expect((await send('work.complete', { itemId: item!.id })).ok).toBe(true);

    const survey = chat.getByRole('form', { name: '서비스 평가' });
    await survey.waitFor();
    await survey.getByRole('group', { name: '오늘 응대에 만족하셨나요?' }).waitFor();
    await survey.getByRole('group', { name: /문제를 해결하기가/ }).waitFor();
    expect(await survey.getByRole('group', { name: /추천할 가능성/ }).count()).toBe(0);
    await survey
      .getByRole('group', { name: '오늘 응대에 만족하셨나요?' })
      .getByRole('radio', { name: '4' })
      .check();
    await survey.getByRole('button', { name: '제출' }).click();
    await chat.getByRole('status').filter({ hasText: '소중한 의견 감사합니다.' }).waitFor();

    const logged = await hub.ctx.db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'survey.answered')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(logged.payload)).toMatchObject({ csat: 4, nps: null, ces: null, template: 'default' });
  });
});
