/**
 * The hub restarts in the middle of a call. The call does not depend on it
 * (the desks talk through Kamailio with credentials they already hold), so it
 * goes on; the steps the desks report while the hub is away (the hang-up, the
 * wrap-up) wait and reach the hub once it is back, and the call is recorded
 * whole.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '@shared/telephony';
import { launchChromium } from '../support/chromium';
import { login, startHub, type TestHub } from '../support/hub';
import { kamailioAvailability, startKamailio, type TestKamailio } from '../support/kamailio';
import { audioFlows, audioIn } from '../support/kamailio-webrtc';
import { openPhoneDesk } from '../support/desk-e2e';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
const SECRET = 'e2e-hub-restart-secret-shared-with-kamailio';
const availability = kamailioAvailability();

let kamailio: TestKamailio | undefined;
let hub: TestHub;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!availability.ok) return;
  if (!existsSync(RENDERER_INDEX)) throw new Error(`${RENDERER_INDEX} is missing: build the desk first`);
  kamailio = await startKamailio({ secret: SECRET });
  hub = await startHub({
    demo: true,
    env: {
      IEUM_SIP_SECRET: SECRET,
      IEUM_SIP_WS_URL: kamailio.wsUrl,
      IEUM_SIP_DOMAIN: kamailio.domain,
    },
  });
  browser = await launchChromium({ media: true });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await hub?.stop();
  await kamailio?.stop();
});

const openDesk = (username: string) => openPhoneDesk(browser, hub.url, username, contexts);

const callState = (page: Page) => page.getByRole('region', { name: '현재 통화' }).getByRole('status');

describe.skipIf(!availability.ok)('the hub restarts mid-call', () => {
  it('the call goes on, and its hang-up and wrap-up reach the hub once it is back', async () => {
    const [a1, a2] = [await openDesk('agent1'), await openDesk('agent2')];
    await a1.getByLabel('전화번호', { exact: true }).fill('agent2');
    await a1.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await a2.getByRole('button', { name: '받기', exact: true }).click();
    await callState(a1).filter({ hasText: '통화 중' }).waitFor();
    await audioFlows(a1);

    await hub.halt();
    // The desk notices (허브 연결 중… / 재연결 중) …
    await expect.poll(() => a1.getByRole('status').filter({ hasText: '허브 연결됨' }).count()).toBe(0);
    // The call does not need the hub: the media still flows.
    await callState(a1).filter({ hasText: '통화 중' }).waitFor();
    const before = await audioIn(a1);
    await audioFlows(a1, before.bytes);

    // agent2 hangs up and agent1 wraps up while the hub is away.
    await a2.getByRole('button', { name: '끊기', exact: true }).click();
    const wrapUp = a1.getByRole('form', { name: '후처리' });
    await wrapUp.waitFor();
    await wrapUp.getByLabel('처리 결과').selectOption({ index: 1 });
    const disposition = await wrapUp.getByLabel('처리 결과').evaluate((el: HTMLSelectElement) => el.value);
    await wrapUp.getByRole('button', { name: '후처리 완료' }).click();

    await hub.restart();
    await a1.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    await wrapUp.waitFor({ state: 'detached', timeout: 30_000 });
    const { token } = await login(hub.url, 'agent1');
    const res = await fetch(`${hub.url}/api/v1/calls`, { headers: { authorization: `Bearer ${token}` } });
    const [call] = (await res.json()) as CallRecord[];
    expect(call).toMatchObject({
      remote: 'agent2',
      state: 'ended',
      endReason: 'completed',
      dispositionId: disposition,
    });
    expect(call!.talkMs).toBeGreaterThan(0);
  });
});
