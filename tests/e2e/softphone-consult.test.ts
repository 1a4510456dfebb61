/**
 * Consult-then-transfer (attended) on a real Kamailio: agent1 calls agent2
 * (audio both ways), puts them on hold to consult supervisor1, cancels and
 * returns, consults again and completes: agent2's phone calls supervisor1 in
 * place of the consultation (REFER with Replaces), audio flows there, and each
 * desk wraps up its part. A call arriving while an agent talks hears busy.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '@shared/telephony';
import { launchChromium } from '../support/chromium';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import { audioFlows, audioIn } from '../support/kamailio-webrtc';
import { kamailioAvailability, startKamailio, type TestKamailio } from '../support/kamailio';
import { sippCustomerCall } from '../support/kamailio-sipp';
import { openPhoneDesk } from '../support/desk-e2e';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
const SECRET = 'e2e-consult-secret-shared-with-kamailio';
const availability = kamailioAvailability();

let kamailio: TestKamailio | undefined;
let hub: TestHubInProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

const openDesk = (username: string, prepare?: (context: BrowserContext) => Promise<void>) =>
  openPhoneDesk(browser, hub.url, username, contexts, prepare);

const call = (page: Page) => page.getByRole('region', { name: '현재 통화' });
const callState = (page: Page) => call(page).getByRole('status').first();
const consult = (page: Page) => page.getByRole('region', { name: '상담 통화' });

beforeAll(async () => {
  if (!availability.ok) return;
  if (!existsSync(RENDERER_INDEX)) throw new Error(`${RENDERER_INDEX} is missing: build the desk first`);
  kamailio = await startKamailio({ secret: SECRET });
  hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: kamailio.wsUrl, sipDomain: kamailio.domain });
  browser = await launchChromium({ media: true });
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await kamailio?.stop();
});

describe.skipIf(!availability.ok)('consult-then-transfer', () => {
  it('agent1 consults supervisor1 with agent2 on hold, goes back, consults again and hands agent2 over', async () => {
    const [a1, a2, sup] = await Promise.all([
      openDesk('agent1'),
      openDesk('agent2'),
      openDesk('supervisor1'),
    ]);
    await a1.getByLabel('전화번호', { exact: true }).fill('agent2');
    await a1.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await call(a2).getByRole('button', { name: '받기', exact: true }).click();
    await callState(a1).filter({ hasText: '통화 중' }).waitFor();
    const [atA1, atA2] = await Promise.all([audioFlows(a1), audioFlows(a2)]);
    expect(atA1.level).toBeGreaterThan(0);
    expect(atA2.level).toBeGreaterThan(0);

    // Somebody else calling agent2 now hears busy; agent2's call goes on.
    const other = await sippCustomerCall({
      sipPort: kamailio!.sipPort,
      domain: kamailio!.domain,
      from: '01012121212',
      to: 'agent2',
      expect: 486,
    });
    const busy = await other.done;
    expect(busy.code, busy.output).toBe(0);
    await callState(a2).filter({ hasText: '통화 중' }).waitFor();

    // Consult: agent2 waits on hold while supervisor1 rings.
    await a1.getByLabel('돌려줄 번호').fill('supervisor1');
    await a1.getByRole('button', { name: '상담 후 돌려주기', exact: true }).click();
    await callState(a1).filter({ hasText: '보류 중' }).waitFor();
    await call(sup).getByText('agent1').waitFor();
    await call(sup).getByRole('button', { name: '받기', exact: true }).click();
    await consult(a1).getByRole('status').filter({ hasText: '상담 중' }).waitFor();
    expect((await audioFlows(sup)).level).toBeGreaterThan(0);

    // Cancel: back to agent2, off hold.
    await consult(a1).getByRole('button', { name: '상담 취소', exact: true }).click();
    await callState(a1).filter({ hasText: '통화 중' }).waitFor();
    await consult(a1).waitFor({ state: 'detached' });
    // …and hears agent2 again (the consultation's end does not silence the call that goes on).
    const back = await audioIn(a1);
    expect((await audioFlows(a1, back.bytes)).level).toBeGreaterThan(0);
    await sup.getByRole('form', { name: '후처리' }).waitFor();
    await sup.getByRole('form', { name: '후처리' }).getByLabel('처리 결과').selectOption({ index: 1 });
    await sup.getByRole('button', { name: '후처리 완료' }).click();

    // Consult again and complete: agent2's phone calls supervisor1 in place of the consultation.
    await a1.getByLabel('돌려줄 번호').fill('supervisor1');
    await a1.getByRole('button', { name: '상담 후 돌려주기', exact: true }).click();
    await call(sup).getByRole('button', { name: '받기', exact: true }).click();
    await consult(a1).getByRole('status').filter({ hasText: '상담 중' }).waitFor();
    await consult(a1).getByRole('button', { name: '돌려주기 완료', exact: true }).click();
    await a1.getByRole('form', { name: '후처리' }).waitFor();
    await call(sup).getByText('agent2').waitFor({ timeout: 15_000 });
    await Promise.all([
      callState(sup).filter({ hasText: '통화 중' }).waitFor(),
      callState(a2).filter({ hasText: '통화 중' }).waitFor(),
    ]);
    const [atSup, atA2After] = await Promise.all([audioFlows(sup), audioFlows(a2)]);
    expect(atSup.level).toBeGreaterThan(0);
    expect(atA2After.level).toBeGreaterThan(0);

    // supervisor1 hangs up; both wrap up with a disposition.
    await call(sup).getByRole('button', { name: '끊기', exact: true }).click();
    for (const page of [a1, sup]) {
      const wrapUp = page.getByRole('form', { name: '후처리' });
      await wrapUp.getByLabel('처리 결과').selectOption({ index: 1 });
      await wrapUp.getByRole('button', { name: '후처리 완료' }).click();
      await page.getByRole('button', { name: '전화 걸기', exact: true }).waitFor();
    }

    const { token } = await loginAs(hub.url, 'agent1');
    const a1Calls = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body;
    const transferred = a1Calls.find((c) => c.remote === 'agent2');
    expect(transferred).toMatchObject({ direction: 'outbound', remote: 'agent2', endReason: 'transferred' });
    // Both consultations (the cancelled one and the one handed over) are calls of their own,
    // tied to the customer's call.
    const consultations = a1Calls.filter((c) => c.remote === 'supervisor1');
    expect(consultations).toHaveLength(2);
    for (const c of consultations) {
      expect(c).toMatchObject({ consultOf: transferred!.id, state: 'ended', endReason: 'completed' });
      expect(c.talkMs).toBeGreaterThan(0);
    }
    // …and the agent's recent calls say which were consultations.
    await a1
      .getByRole('list', { name: '최근 통화' })
      .getByRole('listitem')
      .filter({ hasText: '상담 통화' })
      .filter({ hasText: 'supervisor1' })
      .first()
      .waitFor();
    expect(transferred!.holdMs).toBeGreaterThan(0);
    expect(transferred!.dispositionId).toBeTruthy();
    const { token: supToken } = await loginAs(hub.url, 'supervisor1');
    const supCalls = (await api<CallRecord[]>(hub.url, '/api/v1/calls', supToken)).body;
    expect(supCalls.find((c) => c.remote === 'agent2')).toMatchObject({
      state: 'ended',
      endReason: 'completed',
    });
  });

  it('the network changes mid-call: the desk renegotiates media with an ICE restart (re-INVITE); the call goes on', async () => {
    const [a1, a2] = await Promise.all([openDesk('agent1'), openDesk('agent2')]);
    await a1.getByLabel('전화번호', { exact: true }).fill('agent2');
    await a1.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await call(a2).getByRole('button', { name: '받기', exact: true }).click();
    await callState(a1).filter({ hasText: '통화 중' }).waitFor();
    await audioFlows(a2);
    const ufrag = (page: Page) =>
      page.evaluate(() => {
        const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter(
          (pc) => pc.connectionState !== 'closed',
        );
        return /a=ice-ufrag:(\S+)/.exec(pcs.at(-1)?.localDescription?.sdp ?? '')?.[1] ?? null;
      });
    const [before1, before2] = [await ufrag(a1), await ufrag(a2)];
    expect(before1).toBeTruthy();
    // The OS says the network is back (Wi-Fi to cable, VPN up): what the browser tells the page.
    await a1.evaluate(() => window.dispatchEvent(new Event('online')));
    // Both ends have new ICE credentials: the re-INVITE's offer and answer restarted ICE.
    await expect.poll(() => ufrag(a1), { timeout: 15_000 }).not.toBe(before1);
    await expect.poll(() => ufrag(a2), { timeout: 15_000 }).not.toBe(before2);
    expect(await ufrag(a1)).toBeTruthy();
    await callState(a1).filter({ hasText: '통화 중' }).waitFor();
    const [at1, at2] = await Promise.all([audioIn(a1), audioIn(a2)]);
    expect((await audioFlows(a1, at1.bytes)).level).toBeGreaterThan(0);
    expect((await audioFlows(a2, at2.bytes)).level).toBeGreaterThan(0);
    await call(a2).getByRole('button', { name: '끊기', exact: true }).click();
    await a1.getByRole('form', { name: '후처리' }).waitFor();
  });
});
