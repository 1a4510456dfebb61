/**
 * The desk's phone on a real Kamailio started by scripts/kamailio.sh: two
 * desks in Chromium with fake microphones register with credentials from the
 * hub, agent1 calls agent2, audio flows both ways, hold, resume, DTMF, hang up,
 * wrap-up with a disposition, and the hub has the call with its durations; a
 * blind transfer to a third desk. A
 * customer's phone (sipp) rings the desk, which shows the customer before
 * answer. The desks register again after Kamailio restarts. Then the faults an
 * agent meets: refused credentials, Kamailio down, no mic.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatKoreanPhone } from '@shared/phone-number';
import type { CallRecord } from '@shared/telephony';
import { launchChromium } from '../support/chromium';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import { sippCustomerCall } from '../support/kamailio-sipp';
import {
  RECORD_PEER_CONNECTIONS,
  RECOVERY_NOTE,
  audioFlows,
  audioIn,
  rememberText,
} from '../support/kamailio-webrtc';
import { freePort, kamailioAvailability, startKamailio, type TestKamailio } from '../support/kamailio';
import { signIn } from '../support/desk-e2e';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
const SECRET = 'e2e-secret-shared-with-kamailio';
const availability = kamailioAvailability();
if (!availability.ok) console.warn(`softphone e2e skipped: ${availability.reason}`);

let kamailio: TestKamailio | undefined;
let hub: TestHubInProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function openDesk(hubUrl: string, username: string, init?: () => void): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  await context.addInitScript(RECORD_PEER_CONNECTIONS);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await signIn(page, hubUrl, username);
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
  return page;
}

const registration = (page: Page) => page.getByRole('status', { name: '등록 상태' });
const callState = (page: Page) => page.getByRole('region', { name: '현재 통화' }).getByRole('status');

beforeAll(async () => {
  if (!availability.ok) return;
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(
      `${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build; npm test does it)`,
    );
  }
  kamailio = await startKamailio({ secret: SECRET });
  hub = await startTestHub({
    sipSecret: SECRET,
    sipWsUrl: kamailio.wsUrl,
    sipDomain: kamailio.domain,
    sipCredentialTtlSeconds: 3600,
  });
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

describe.skipIf(!availability.ok)('softphone through Kamailio', () => {
  it('agent1 calls agent2: audio both ways, hold, resume, DTMF, hang up, wrap-up on the hub', async () => {
    const [caller, callee] = await Promise.all([openDesk(hub.url, 'agent1'), openDesk(hub.url, 'agent2')]);
    try {
      await Promise.all([
        registration(caller).filter({ hasText: '등록됨' }).waitFor(),
        registration(callee).filter({ hasText: '등록됨' }).waitFor(),
      ]);
    } catch (error) {
      throw new Error(`desks did not register: ${String(error)}\n${kamailio!.log().slice(-3000)}`);
    }
    await caller.getByText('내 내선: agent1').waitFor();

    await caller.getByLabel('전화번호', { exact: true }).fill('agent2');
    await caller.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await callState(caller).filter({ hasText: '발신 중' }).waitFor();
    await callState(callee).filter({ hasText: '수신 전화' }).waitFor();
    await callee.getByRole('region', { name: '현재 통화' }).getByText('agent1').waitFor();
    await callee.getByRole('button', { name: '받기', exact: true }).click();
    await Promise.all([
      callState(caller).filter({ hasText: '통화 중' }).waitFor(),
      callState(callee).filter({ hasText: '통화 중' }).waitFor(),
    ]);

    // Audio both ways: RTP bytes arrive and carry sound (the fake microphone's beep).
    const [atCaller, atCallee] = await Promise.all([audioFlows(caller), audioFlows(callee)]);
    expect(atCaller.level).toBeGreaterThan(0);
    expect(atCallee.level).toBeGreaterThan(0);

    // DTMF (RFC 4733) from the pad during the call.
    const callPad = caller
      .getByRole('region', { name: '현재 통화' })
      .getByRole('group', { name: '다이얼 패드' });
    await callPad.getByRole('button', { name: '5', exact: true }).click();
    await callPad.getByRole('button', { name: '#', exact: true }).click();
    await caller.getByText('보낸 톤: 5#').waitFor();

    // Hold: the agent sees it with its own timer; resume brings audio back.
    await caller.getByRole('button', { name: '보류', exact: true }).click();
    await callState(caller).filter({ hasText: '보류 중' }).waitFor();
    await caller.getByRole('timer', { name: '보류 시간' }).waitFor();
    await caller.getByRole('button', { name: '보류 해제', exact: true }).click();
    await callState(caller).filter({ hasText: '통화 중' }).waitFor();
    expect(await caller.getByRole('timer', { name: '보류 시간' }).count()).toBe(0);
    const afterResume = await audioIn(callee);
    await audioFlows(callee, afterResume.bytes);

    // Mute toggles and shows pressed.
    await caller.getByRole('button', { name: '음소거', exact: true }).click();
    await caller.getByRole('button', { name: '음소거', exact: true, pressed: true }).waitFor();

    // Live call quality: an estimated MOS from jitter, loss and RTT, excellent on loopback.
    const quality = await caller.getByText(/^통화 품질 \d\.\d/).textContent();
    expect(Number(/통화 품질 (\d\.\d)/.exec(quality ?? '')?.[1])).toBeGreaterThanOrEqual(4);

    // The call timer runs.
    expect(await caller.getByRole('timer', { name: '통화 시간' }).textContent()).toMatch(/^\d\d:\d\d$/);

    await caller.getByRole('button', { name: '끊기', exact: true }).click();
    // Both sides talked, so both are asked for a disposition before the next call.
    const wrapUp = caller.getByRole('form', { name: '후처리' });
    await Promise.all([wrapUp.waitFor(), callee.getByRole('form', { name: '후처리' }).waitFor()]);
    expect(await callee.getByRole('region', { name: '현재 통화' }).count()).toBe(0);
    expect(await caller.getByRole('button', { name: '전화 걸기', exact: true }).count()).toBe(0);

    // Wrap-up: the caller picks a disposition; the hub has the call with its durations.
    await wrapUp.getByLabel('처리 결과').selectOption({ index: 1 });
    const disposition = await wrapUp.getByLabel('처리 결과').evaluate((el: HTMLSelectElement) => el.value);
    await wrapUp.getByLabel('메모').fill('내선 통화 시험');
    await wrapUp.getByRole('button', { name: '후처리 완료' }).click();
    const recent = caller.getByRole('list', { name: '최근 통화' });
    await recent.getByRole('listitem').filter({ hasText: 'agent2' }).filter({ hasText: '보류' }).waitFor();
    await caller.getByRole('button', { name: '전화 걸기', exact: true }).waitFor();
    const { token } = await loginAs(hub.url, 'agent1');
    const calls = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body;
    expect(calls[0]).toMatchObject({
      direction: 'outbound',
      remote: 'agent2',
      state: 'ended',
      endReason: 'completed',
      dispositionId: disposition,
      note: '내선 통화 시험',
    });
    expect(calls[0]!.talkMs).toBeGreaterThan(0);
    expect(calls[0]!.holdMs).toBeGreaterThan(0);
    expect(calls[0]!.ringMs).toBeGreaterThan(0);
    expect(calls[0]!.wrapUpMs).toBeGreaterThanOrEqual(0);
  });

  it('a customer calls from an ordinary phone: the desk shows who it is before answer', async () => {
    const agent = await openDesk(hub.url, 'agent2');
    await registration(agent).filter({ hasText: '등록됨' }).waitFor();
    const { user } = await loginAs(hub.url, 'agent2');
    const customer = await hub.ctx.db
      .selectFrom('identities')
      .innerJoin('customers', 'customers.id', 'identities.customer_id')
      .select(['identities.handle', 'customers.name'])
      .where('identities.channel', '=', 'voice')
      .where('identities.site_id', '=', user.siteId)
      .executeTakeFirstOrThrow();
    // The trunk presents the national form, e.g. 01012345678.
    const national = formatKoreanPhone(customer.handle).replace(/-/g, '');
    const phone = await sippCustomerCall({
      sipPort: kamailio!.sipPort,
      domain: kamailio!.domain,
      from: national,
      to: 'agent2',
    });
    try {
      const call = agent.getByRole('region', { name: '현재 통화' });
      await callState(agent).filter({ hasText: '수신 전화' }).waitFor();
      await call.getByText(`고객: ${customer.name}`).waitFor();
      await call.getByText(formatKoreanPhone(customer.handle)).waitFor();
      await call.getByRole('button', { name: '거절', exact: true }).click();
      const result = await phone.done;
      expect(result.code, result.output).toBe(0);
      await agent.getByRole('button', { name: '전화 걸기', exact: true }).waitFor();
    } finally {
      phone.kill();
    }
    const { token } = await loginAs(hub.url, 'agent2');
    await expect
      .poll(async () => (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body[0]?.state)
      .toBe('ended');
    const calls = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body;
    expect(calls[0]).toMatchObject({ direction: 'inbound', remote: customer.handle, answeredAt: null });
  });

  it('agent2 transfers agent1 to supervisor1 (blind, REFER): the call goes on there', async () => {
    const [a1, a2, sup] = await Promise.all([
      openDesk(hub.url, 'agent1'),
      openDesk(hub.url, 'agent2'),
      openDesk(hub.url, 'supervisor1'),
    ]);
    await Promise.all([a1, a2, sup].map((p) => registration(p).filter({ hasText: '등록됨' }).waitFor()));
    await a1.getByLabel('전화번호', { exact: true }).fill('agent2');
    await a1.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await a2.getByRole('button', { name: '받기', exact: true }).click();
    await callState(a1).filter({ hasText: '통화 중' }).waitFor();

    await a2.getByLabel('돌려줄 번호').fill('supervisor1');
    await a2.getByRole('button', { name: '돌려주기', exact: true }).click();
    // agent2 leaves the call at once (wrap-up); agent1's desk calls supervisor1.
    await a2.getByRole('form', { name: '후처리' }).waitFor();
    await callState(sup).filter({ hasText: '수신 전화' }).waitFor();
    await sup.getByRole('region', { name: '현재 통화' }).getByText('agent1').waitFor();
    await sup.getByRole('button', { name: '받기', exact: true }).click();
    await Promise.all([
      callState(sup).filter({ hasText: '통화 중' }).waitFor(),
      callState(a1).filter({ hasText: '통화 중' }).waitFor(),
    ]);
    const heard = await audioFlows(sup);
    expect(heard.level).toBeGreaterThan(0);
    await sup.getByRole('button', { name: '끊기', exact: true }).click();
    await a1.getByRole('form', { name: '후처리' }).waitFor();

    const { token } = await loginAs(hub.url, 'agent2');
    const [transferred] = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body;
    expect(transferred).toMatchObject({ direction: 'inbound', remote: 'agent1', endReason: 'transferred' });
  });

  it('registers again by itself after Kamailio restarts, and takes calls', async () => {
    const [agent, other] = await Promise.all([openDesk(hub.url, 'agent1'), openDesk(hub.url, 'agent2')]);
    await Promise.all([
      registration(agent).filter({ hasText: '등록됨' }).waitFor(),
      registration(other).filter({ hasText: '등록됨' }).waitFor(),
    ]);
    // Record every state the badge shows from here on: the reconnect can pass faster than a
    // locator polls, so waiting for '다시 연결 중' itself raced (seen red once on CI).
    await agent.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { registrationSeen: string[] }).registrationSeen = seen;
      const read = () => document.querySelector('[aria-label="등록 상태"]')?.textContent ?? '';
      new MutationObserver(() => {
        const now = read();
        if (seen.at(-1) !== now) seen.push(now);
      }).observe(document.body, { childList: true, characterData: true, subtree: true });
    });
    await kamailio!.restart();
    // The desk noticed: it left 등록됨 at least once (다시 연결 중, 등록 중 …).
    await agent.waitForFunction(
      () =>
        (window as unknown as { registrationSeen: string[] }).registrationSeen.some(
          (s) => !s.includes('등록됨'),
        ),
      undefined,
      { timeout: 30_000 },
    );
    await Promise.all([
      registration(agent).filter({ hasText: '등록됨' }).waitFor({ timeout: 20_000 }),
      registration(other).filter({ hasText: '등록됨' }).waitFor({ timeout: 20_000 }),
    ]);
    // Kamailio lost every registration; agent1 can be reached again only because the desk re-registered.
    await other.getByLabel('전화번호', { exact: true }).fill('agent1');
    await other.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await callState(agent).filter({ hasText: '수신 전화' }).waitFor();
    await agent.getByRole('button', { name: '거절', exact: true }).click();
    await other.getByRole('alert').filter({ hasText: '응답하지 않습니다' }).waitFor();
  });

  it(
    'keeps a call through a Kamailio restart: audio goes on, and hold and hang-up still reach the other desk',
    { timeout: 90_000 },
    async () => {
      const [a1, a2] = await Promise.all([openDesk(hub.url, 'agent1'), openDesk(hub.url, 'agent2')]);
      await Promise.all([
        registration(a1).filter({ hasText: '등록됨' }).waitFor(),
        registration(a2).filter({ hasText: '등록됨' }).waitFor(),
      ]);
      await a1.getByLabel('전화번호', { exact: true }).fill('agent2');
      await a1.getByRole('button', { name: '전화 걸기', exact: true }).click();
      await callState(a2).filter({ hasText: '수신 전화' }).waitFor();
      await a2.getByRole('button', { name: '받기', exact: true }).click();
      await Promise.all([
        callState(a1).filter({ hasText: '통화 중' }).waitFor(),
        callState(a2).filter({ hasText: '통화 중' }).waitFor(),
      ]);
      await audioFlows(a2);
      const sawNote = await Promise.all([a1, a2].map((page) => rememberText(page, RECOVERY_NOTE)));

      // Kamailio restarts mid-call: every WebSocket drops and every registration is lost.
      await kamailio!.restart();
      // Both desks say the call is being reconnected, register again, and the note goes away.
      for (const [i, page] of [a1, a2].entries()) {
        await sawNote[i]!();
        await page.getByText(RECOVERY_NOTE).waitFor({ state: 'detached', timeout: 60_000 });
        await registration(page).filter({ hasText: '등록됨' }).waitFor({ timeout: 30_000 });
      }
      await Promise.all([
        callState(a1).filter({ hasText: '통화 중' }).waitFor(),
        callState(a2).filter({ hasText: '통화 중' }).waitFor(),
      ]);
      expect(await a1.getByRole('alert').filter({ hasText: '다시 연결하지 못했습니다' }).count()).toBe(0);
      // Each desk asked the other whether the call was still there (an in-dialog INFO) and
      // found it through route[DESK_MOVED]: both desks' old connections were gone.
      expect(kamailio!.log()).toContain('follows it to its new connection');
      // The media never stopped.
      const before = await audioIn(a2);
      await audioFlows(a2, before.bytes);

      // Signalling works again both ways: agent1 holds (a re-INVITE to agent2's new
      // connection) and resumes; agent2 hangs up and agent1's desk hears it.
      await a1.getByRole('button', { name: '보류', exact: true }).click();
      await callState(a1).filter({ hasText: '보류 중' }).waitFor();
      await a1.getByRole('button', { name: '보류 해제', exact: true }).click();
      await callState(a1).filter({ hasText: '통화 중' }).waitFor();
      await a2.getByRole('button', { name: '끊기', exact: true }).click();
      await Promise.all([
        a1.getByRole('form', { name: '후처리' }).waitFor(),
        a2.getByRole('form', { name: '후처리' }).waitFor(),
      ]);
      const { token } = await loginAs(hub.url, 'agent1');
      const [kept] = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body;
      expect(kept).toMatchObject({
        direction: 'outbound',
        remote: 'agent2',
        state: 'ended',
        endReason: 'completed',
      });
      expect(kept!.holdMs).toBeGreaterThan(0);
    },
  );

  it('says so clearly when Kamailio refuses the credentials, and offers to reconnect', async () => {
    const wrong = await startTestHub({
      sipSecret: 'not-the-secret-kamailio-knows',
      sipWsUrl: kamailio!.wsUrl,
      sipDomain: kamailio!.domain,
    });
    try {
      const page = await openDesk(wrong.url, 'agent1');
      await registration(page).filter({ hasText: '등록 실패' }).waitFor();
      await page.getByRole('alert').filter({ hasText: '인증 정보를 거부' }).waitFor();
      await page.getByRole('button', { name: '다시 연결', exact: true }).waitFor();
      // The desk leaves before its hub stops, so the hub has no open connection to wait for.
      await page.context().close();
    } finally {
      await wrong.stop();
    }
  });

  it('says so clearly when Kamailio is down', async () => {
    const down = await startTestHub({
      sipSecret: SECRET,
      sipWsUrl: `ws://127.0.0.1:${await freePort()}`,
      sipDomain: kamailio!.domain,
    });
    try {
      const page = await openDesk(down.url, 'agent1');
      await registration(page).filter({ hasText: '다시 연결 중' }).waitFor();
      await page.getByRole('alert').filter({ hasText: '전화 서버에 연결할 수 없습니다' }).waitFor();
      await page.context().close();
    } finally {
      await down.stop();
    }
  });

  it('says so clearly when the microphone is denied', async () => {
    const page = await openDesk(hub.url, 'agent1', () => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await registration(page).filter({ hasText: '등록됨' }).waitFor();
    await page.getByLabel('전화번호', { exact: true }).fill('agent2');
    await page.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '마이크 사용이 거부되었습니다' }).waitFor();
    // The desk keeps working: the dial form is back and the phone still registered.
    await page.getByRole('button', { name: '전화 걸기', exact: true }).waitFor();
    expect(await registration(page).textContent()).toBe('등록됨');
  });
});
