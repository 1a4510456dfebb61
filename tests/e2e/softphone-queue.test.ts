/**
 * A customer dials the center's main number (a queue number): Kamailio asks
 * the hub which agent rings, the routing engine offers the call like any
 * work. The first agent lets it ring out (Kamailio's ring timer): they become
 * not_ready (응대 누락) and the next agent rings, with the customer on screen
 * before answer. Audio through rtpengine both ways, DTMF to the phone, hang
 * up, wrap-up; the hub has the call, its work item and the KPIs.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelinePage } from '@shared/customers';
import type { Kpis } from '@shared/kpis';
import { formatKoreanPhone } from '@shared/phone-number';
import type { CallRecord } from '@shared/telephony';
import { DEMO_QUEUE_NUMBERS } from '../../server/demo/seed';
import { createRtpengineNg, type RtpengineNg } from '../../server/telephony/rtpengine-ng';
import { launchChromium } from '../support/chromium';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import {
  freePort,
  kamailioAvailability,
  startKamailio,
  startRtpengine,
  type TestKamailio,
  type TestRtpengine,
} from '../support/kamailio';
import { baresipCall } from '../support/kamailio-baresip';
import { sippCustomerCall } from '../support/kamailio-sipp';
import {
  RECORD_PEER_CONNECTIONS,
  RECOVERY_NOTE,
  audioFlows,
  audioIn,
  rememberText,
} from '../support/kamailio-webrtc';
import { signIn } from '../support/desk-e2e';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
const SECRET = 'e2e-queue-secret-shared-with-kamailio';
const OFFER_SECONDS = 6;
const HOLD_MUSIC = resolve(import.meta.dirname, '../../resources/kamailio/hold-music.wav');
const availability = kamailioAvailability();

let rtpengine: TestRtpengine | undefined;
/** rtpengine's control socket, to see its media sessions as an operator would (`list`). */
let ng: RtpengineNg;
let kamailio: TestKamailio | undefined;
let hub: TestHubInProcess;
let browser: Browser;
/** Desks opened so far, by username: later tests go on with them. */
const desks = new Map<string, Page>();

beforeAll(async () => {
  if (!availability.ok) return;
  if (!existsSync(RENDERER_INDEX)) throw new Error(`${RENDERER_INDEX} is missing: build the desk first`);
  rtpengine = await startRtpengine();
  ng = createRtpengineNg(rtpengine.ngSocket);
  // The hub hands desks the WebSocket address, and Kamailio asks the hub: each needs the other's port.
  const wsPort = await freePort();
  hub = await startTestHub({
    sipSecret: SECRET,
    sipWsUrl: `ws://127.0.0.1:${wsPort}`,
    sipDomain: 'ieum.test',
    rtpengineNg: rtpengine.ngSocket,
    holdMusicFile: HOLD_MUSIC,
  });
  kamailio = await startKamailio({
    secret: SECRET,
    rtpengine: rtpengine.ngSocket,
    hubUrl: hub.url,
    wsPort,
    queueWait: 5,
  });
  browser = await launchChromium({ media: true });
});

afterAll(async () => {
  ng?.close();
  await browser?.close();
  await hub?.stop();
  await kamailio?.stop();
  await rtpengine?.stop();
});

/**
 * Keeps the desk's Media Session action handlers where the test can press
 * them: Chromium gives a page no way to synthesize a headset's media key, so
 * this stands in for the OS delivering one.
 */
const RECORD_MEDIA_SESSION = (): void => {
  const session = navigator.mediaSession;
  const handlers: Record<string, () => void> = {};
  (window as unknown as { __mediaKeys: typeof handlers }).__mediaKeys = handlers;
  const original = session.setActionHandler.bind(session);
  session.setActionHandler = (action, handler) => {
    original(action, handler);
    if (handler) handlers[action] = handler as () => void;
    else delete handlers[action];
  };
};

async function pressMediaKey(page: Page, action: string): Promise<void> {
  await page.evaluate((a) => {
    const handlers = (window as unknown as { __mediaKeys: Record<string, () => void> }).__mediaKeys;
    if (!handlers[a])
      throw new Error(`no media session handler for ${a}: ${Object.keys(handlers).join(',')}`);
    handlers[a]();
  }, action);
}

async function openReadyDesk(username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR' });
  await context.addInitScript(RECORD_PEER_CONNECTIONS);
  await context.addInitScript(RECORD_MEDIA_SESSION);
  const page = await context.newPage();
  await signIn(page, hub.url, username);
  await page.getByRole('status', { name: '등록 상태' }).filter({ hasText: '등록됨' }).waitFor();
  await page.getByRole('button', { name: '대기', exact: true }).click();
  await page.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
  desks.set(username, page);
  return page;
}

/** The media sessions rtpengine holds now (`list`), as an operator would see them. */
async function rtpengineSessions(): Promise<string[]> {
  return (await ng.command({ command: 'list', limit: 100 }))['calls'] as string[];
}

async function workItems(status: string) {
  return hub.ctx.db.selectFrom('work_items').selectAll().where('status', '=', status).execute();
}

describe.skipIf(!availability.ok)('a customer calls the queue number', () => {
  it('rings the agent the hub picks; ring-no-answer goes to the next; answered, DTMF, audio, wrap-up, KPIs', async () => {
    const { token: managerToken } = await loginAs(hub.url, 'manager1');
    const queues = await api<{ id: string; name: string }[]>(hub.url, '/api/v1/admin/queues', managerToken);
    const queue = queues.body.find((q) => q.name === '대표번호')!;
    const patched = await api(hub.url, `/api/v1/admin/queues/${queue.id}`, managerToken, {
      method: 'PATCH',
      body: JSON.stringify({ routing: { offerTimeoutSeconds: OFFER_SECONDS } }),
    });
    expect(patched.status).toBe(200);

    // agent1 goes Ready first, so the engine offers to them first (idle longest).
    const first = await openReadyDesk('agent1');
    const second = await openReadyDesk('agent2');
    const { token, user } = await loginAs(hub.url, 'agent2');
    const customer = await hub.ctx.db
      .selectFrom('identities')
      .innerJoin('customers', 'customers.id', 'identities.customer_id')
      .select(['identities.handle', 'customers.name', 'customers.id'])
      .where('identities.channel', '=', 'voice')
      .where('identities.site_id', '=', user.siteId)
      .executeTakeFirstOrThrow();
    const phone = await baresipCall({
      sipPort: kamailio!.sipPort,
      from: formatKoreanPhone(customer.handle).replace(/-/g, ''),
      to: `sip:${DEMO_QUEUE_NUMBERS.seoul}@${kamailio!.domain}`,
      seconds: 60,
      verbose: true,
    });
    const why = () =>
      `\nbaresip:\n${phone.output().slice(-2000)}\nkamailio:\n${kamailio!.log().slice(-3000)}\nhub:\n${hub.logs
        .filter((l) => l.module === 'queue-calls')
        .map((l) => JSON.stringify(l))
        .join('\n')}`;
    try {
      // agent1's desk rings with the customer on screen, and nobody answers.
      const ringing = first.getByRole('region', { name: '현재 통화' });
      try {
        await ringing.getByText(`고객: ${customer.name}`).waitFor({ timeout: 20_000 });
      } catch (error) {
        throw new Error(`${String(error)}${why()}`);
      }
      // Nobody has answered, and the caller hears the hold music: early media (183) from rtpengine,
      // a media session of its own beside the call's.
      await expect.poll(() => /183 Session Progress \(application\/sdp\)/.test(phone.output())).toBe(true);
      // baresip (-v) says when RTP starts arriving; before anyone answered, only the music sends it.
      expect(phone.output()).toMatch(/incoming rtp for 'audio' established/);
      const holdSession = (await rtpengineSessions()).find((c) => c.startsWith('ieum-hold-'));
      expect(holdSession).toBeTruthy();
      // Kamailio's ring timer (a second under the offer) moves the call on; agent1 missed it.
      await ringing.waitFor({ state: 'detached', timeout: 15_000 });
      await first.getByRole('status', { name: '현재 상태' }).getByText('응대 누락').waitFor();
      expect(await first.getByRole('button', { name: '대기', exact: true, pressed: true }).count()).toBe(0);

      // agent2 rings next, the caller's 360 before answer.
      const call = second.getByRole('region', { name: '현재 통화' });
      try {
        await call.getByText(`고객: ${customer.name}`).waitFor({ timeout: 15_000 });
      } catch (error) {
        throw new Error(`${String(error)}${why()}`);
      }
      await call.getByRole('button', { name: '받기', exact: true }).click();
      try {
        await call.getByRole('status').filter({ hasText: '통화 중' }).waitFor();
      } catch (error) {
        throw new Error(`${String(error)}${why()}`);
      }
      try {
        const heard = await audioFlows(second);
        expect(heard.level).toBeGreaterThan(0);
        await expect.poll(() => phone.audioBitrates()?.rx ?? 0, { timeout: 10_000 }).toBeGreaterThan(32_000);
      } catch (error) {
        throw new Error(`${String(error)}${why()}\nrtpengine:\n${rtpengine!.log().slice(-2000)}`);
      }
      // Answered: the music's session is gone, the call's own goes on.
      await expect.poll(async () => (await rtpengineSessions()).includes(holdSession!)).toBe(false);
      // DTMF from the desk's pad reaches the phone (RFC 4733 through rtpengine).
      const pad = call.getByRole('group', { name: '다이얼 패드' });
      await pad.getByRole('button', { name: '5', exact: true }).click();
      await second.getByText('보낸 톤: 5').waitFor();
      try {
        // baresip (-v) prints each RFC 4733 event it decodes.
        await expect
          .poll(() => /received (event|DTMF): '5'/.test(phone.output()), { timeout: 10_000 })
          .toBe(true);
      } catch (error) {
        const sdp = await second.evaluate(() =>
          (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.map(
            (pc) => `${pc.remoteDescription?.sdp}\n---\n${pc.localDescription?.sdp}`,
          ),
        );
        const said = phone.output().replace(/\[[\d:]+\] audio=\S+ \(bit\/s\)\s*/g, '');
        throw new Error(`${String(error)}\nbaresip:\n${said}\nSDP:${sdp.join('\n')}`);
      }

      await call.getByRole('button', { name: '끊기', exact: true }).click();
      const wrapUp = second.getByRole('form', { name: '후처리' });
      await wrapUp.waitFor();
      await wrapUp.getByLabel('처리 결과').selectOption({ index: 1 });
      await wrapUp.getByRole('button', { name: '후처리 완료' }).click();
      await second.getByRole('button', { name: '전화 걸기', exact: true }).waitFor();
    } finally {
      phone.kill();
    }

    // The hub: agent2's call tied to its work item, with its durations and disposition…
    const [recorded] = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body;
    expect(recorded).toMatchObject({ direction: 'inbound', remote: customer.handle, endReason: 'completed' });
    expect(recorded!.workItemId).toBeTruthy();
    expect(recorded!.talkMs).toBeGreaterThan(0);
    expect(recorded!.wrapUpMs).toBeGreaterThanOrEqual(0);
    expect(recorded!.dispositionId).toBeTruthy();
    const item = await hub.ctx.db
      .selectFrom('work_items')
      .selectAll()
      .where('id', '=', recorded!.workItemId!)
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      channel: 'voice',
      queue_id: queue.id,
      status: 'done',
      agent_id: expect.any(String),
    });
    // …agent1's ring that nobody answered…
    const { token: token1 } = await loginAs(hub.url, 'agent1');
    const [missed] = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token1)).body;
    expect(missed).toMatchObject({ direction: 'inbound', endReason: 'not_answered', answeredAt: null });
    // …the call in the customer's 360 timeline, with its disposition…
    const timeline = await api<TimelinePage>(hub.url, `/api/v1/customers/${customer.id}/timeline`, token);
    const entry = timeline.body.items.find((i) => i.kind === 'call' && i.id === recorded!.id);
    expect(entry).toMatchObject({ kind: 'call', direction: 'inbound', agentName: expect.any(String) });
    expect(entry && entry.kind === 'call' && entry.disposition).toBeTruthy();
    // …and the day's KPIs: one call offered and answered, its talk time counted.
    const kpis = (await api<Kpis>(hub.url, '/api/v1/reports/kpis', managerToken)).body;
    expect(kpis.byChannel.voice).toBe(1);
    expect(kpis.offered).toBe(1);
    expect(kpis.answered).toBe(1);
    expect(kpis.calls.talkSeconds).toBeGreaterThan(0);
  });

  it('the caller hangs up while the desk rings: the call is abandoned, the agent stays ready', async () => {
    const agent = desks.get('agent2')!;
    await agent.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
    const before = (await workItems('abandoned')).length;
    const phone = await sippCustomerCall({
      sipPort: kamailio!.sipPort,
      domain: kamailio!.domain,
      from: '01055556666',
      to: DEMO_QUEUE_NUMBERS.seoul!,
      cancelAfterMs: 1_500,
      expect: 487,
    });
    const ringing = agent.getByRole('region', { name: '현재 통화' });
    await ringing.waitFor({ timeout: 15_000 });
    const result = await phone.done;
    expect(result.code, result.output).toBe(0);
    await ringing.waitFor({ state: 'detached' });
    await expect.poll(async () => (await workItems('abandoned')).length).toBe(before + 1);
    // The caller had music while waiting; hanging up ended it.
    await expect
      .poll(async () => (await rtpengineSessions()).filter((c) => c.startsWith('ieum-hold-')))
      .toEqual([]);
    // Hanging up on a ringing agent is not the agent's miss.
    expect(await agent.getByRole('button', { name: '대기', exact: true, pressed: true }).count()).toBe(1);
    const kpis = (
      await api<Kpis>(hub.url, '/api/v1/reports/kpis', (await loginAs(hub.url, 'manager1')).token)
    ).body;
    expect(kpis.abandoned).toBeGreaterThanOrEqual(1);
  });

  it('refuses an INVITE with no SDP or unreadable SDP (488); the desk says why and keeps working', async () => {
    const agent = desks.get('agent2')!;
    for (const [offer, message] of [
      ['none', '미디어 정보(SDP)가 없는 전화'],
      ['garbage', '미디어 정보(SDP)를 읽을 수 없는 전화'],
    ] as const) {
      const phone = await sippCustomerCall({
        sipPort: kamailio!.sipPort,
        domain: kamailio!.domain,
        from: '01077778888',
        to: 'agent2',
        offer,
        expect: 488,
      });
      const result = await phone.done;
      expect(result.code, result.output).toBe(0);
      await agent.getByRole('alert').filter({ hasText: message }).waitFor();
      expect(await agent.getByRole('region', { name: '현재 통화' }).count()).toBe(0);
    }
    // Still registered, and a proper call still rings.
    await agent.getByRole('status', { name: '등록 상태' }).filter({ hasText: '등록됨' }).waitFor();
    const declined = await sippCustomerCall({
      sipPort: kamailio!.sipPort,
      domain: kamailio!.domain,
      from: '01077778888',
      to: 'agent2',
    });
    const call = agent.getByRole('region', { name: '현재 통화' });
    try {
      await call.getByRole('button', { name: '거절', exact: true }).click({ timeout: 15_000 });
    } catch (error) {
      declined.kill();
      const pane = await agent
        .getByRole('region', { name: '소프트폰' })
        .textContent()
        .catch(() => '');
      throw new Error(`${String(error)}\ndesk: ${pane}\nsipp:\n${(await declined.done).output.slice(-3000)}`);
    }
    expect((await declined.done).code).toBe(0);
  });

  it('callers waiting for a free agent do not hold up Kamailio: another phone reaches a desk meanwhile', async () => {
    const agent = desks.get('agent2') ?? (await openReadyDesk('agent2'));
    // agent2 steps away: the queue has an agent logged in and nobody free, so callers wait.
    await agent.getByRole('button', { name: '이석', exact: true }).click();
    await agent.getByRole('button', { name: '이석', exact: true, pressed: true }).waitFor();
    const waitingBefore = (await workItems('waiting')).length;
    // More waiting callers than Kamailio has SIP workers for UDP (2 in tests).
    const waiting = await Promise.all(
      ['01070000001', '01070000002', '01070000003'].map((from) =>
        sippCustomerCall({
          sipPort: kamailio!.sipPort,
          domain: kamailio!.domain,
          from,
          to: DEMO_QUEUE_NUMBERS.seoul!,
          expect: 480,
        }),
      ),
    );
    try {
      await expect.poll(async () => (await workItems('waiting')).length).toBe(waitingBefore + 3);
      // While all three wait, a phone calls agent2 directly: its INVITE is not stuck behind them.
      const direct = await sippCustomerCall({
        sipPort: kamailio!.sipPort,
        domain: kamailio!.domain,
        from: '01070000009',
        to: 'agent2',
      });
      const call = agent.getByRole('region', { name: '현재 통화' });
      await call.getByRole('button', { name: '거절', exact: true }).waitFor({ timeout: 10_000 });
      expect((await workItems('waiting')).length).toBe(waitingBefore + 3);
      await call.getByRole('button', { name: '거절', exact: true }).click();
      expect((await direct.done).code).toBe(0);
      // Nobody came back in time: each waiting caller hears 480, and the hub counts them abandoned.
      for (const w of waiting) expect((await w.done).code).toBe(0);
      expect((await workItems('waiting')).length).toBe(waitingBefore);
      // They waited to music, and it ended with their wait.
      expect((await rtpengineSessions()).filter((c) => c.startsWith('ieum-hold-'))).toEqual([]);
    } finally {
      for (const w of waiting) w.kill();
      await agent.getByRole('button', { name: '대기', exact: true }).click();
      await agent.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
    }
  });

  it(
    "a customer's call goes on through a Kamailio restart: audio through rtpengine, and the caller's hang-up reaches the desk",
    { timeout: 90_000 },
    async () => {
      const agent = desks.get('agent2') ?? (await openReadyDesk('agent2'));
      const phone = await baresipCall({
        sipPort: kamailio!.sipPort,
        from: '01099990001',
        to: `sip:agent2@${kamailio!.domain}`,
        seconds: 90,
      });
      try {
        const call = agent.getByRole('region', { name: '현재 통화' });
        await call.getByRole('button', { name: '받기', exact: true }).click({ timeout: 15_000 });
        await call.getByRole('status').filter({ hasText: '통화 중' }).waitFor();
        await audioFlows(agent);
        const sawNote = await rememberText(agent, RECOVERY_NOTE);

        // Kamailio restarts; rtpengine, which carries the media, does not.
        await kamailio!.restart();
        await sawNote();
        await agent.getByText(RECOVERY_NOTE).waitFor({ state: 'detached', timeout: 60_000 });
        await agent.getByRole('status', { name: '등록 상태' }).filter({ hasText: '등록됨' }).waitFor();
        await call.getByRole('status').filter({ hasText: '통화 중' }).waitFor();
        // Audio both ways after the restart: the desk hears the phone, the phone hears the desk.
        const before = await audioIn(agent);
        await audioFlows(agent, before.bytes);
        const heardBefore = phone.output().length;
        await expect
          .poll(() => (phone.output().length > heardBefore ? (phone.audioBitrates()?.rx ?? 0) : 0), {
            timeout: 10_000,
          })
          .toBeGreaterThan(32_000);

        // The customer hangs up: the BYE names the desk's old connection, Kamailio finds the new one.
        phone.hangUp();
        const wrapUp = agent.getByRole('form', { name: '후처리' });
        try {
          await wrapUp.waitFor({ timeout: 15_000 });
        } catch (error) {
          throw new Error(
            `${String(error)}\nbaresip:\n${phone.output().slice(-2000)}\nkamailio:\n${kamailio!.log().slice(-3000)}`,
          );
        }
        expect(kamailio!.log()).toMatch(/BYE for desk agent2\.\S+ follows it to its new connection/);
        await wrapUp.getByLabel('처리 결과').selectOption({ index: 1 });
        await wrapUp.getByRole('button', { name: '후처리 완료' }).click();
        await wrapUp.waitFor({ state: 'detached' });
      } finally {
        phone.kill();
      }
    },
  );

  it('the answer, mute and hang-up hotkeys work the phone while the desk has focus', async () => {
    const agent = desks.get('agent2') ?? (await openReadyDesk('agent2'));
    const phone = await baresipCall({
      sipPort: kamailio!.sipPort,
      from: '01099990000',
      to: `sip:agent2@${kamailio!.domain}`,
      seconds: 40,
    });
    try {
      const call = agent.getByRole('region', { name: '현재 통화' });
      await call.getByRole('button', { name: '받기', exact: true }).waitFor({ timeout: 15_000 });
      await agent.keyboard.press('Control+Shift+A');
      await call.getByRole('status').filter({ hasText: '통화 중' }).waitFor();
      await agent.keyboard.press('Control+Shift+M');
      await call.getByRole('button', { name: '음소거', exact: true, pressed: true }).waitFor();
      await agent.keyboard.press('Control+Shift+M');
      await call.getByRole('button', { name: '음소거', exact: true, pressed: false }).waitFor();
      await agent.keyboard.press('Control+Shift+H');
      const wrapUp = agent.getByRole('form', { name: '후처리' });
      await wrapUp.waitFor();
      await wrapUp.getByLabel('처리 결과').selectOption({ index: 1 });
      await wrapUp.getByRole('button', { name: '후처리 완료' }).click();
    } finally {
      phone.kill();
    }
  });

  it("the headset's call button answers a ringing call and hangs it up; its mic key mutes", async () => {
    const agent = desks.get('agent2') ?? (await openReadyDesk('agent2'));
    const phone = await baresipCall({
      sipPort: kamailio!.sipPort,
      from: '01099990001',
      to: `sip:agent2@${kamailio!.domain}`,
      seconds: 40,
    });
    const playback = () => agent.evaluate(() => navigator.mediaSession.playbackState);
    try {
      const call = agent.getByRole('region', { name: '현재 통화' });
      await call.getByRole('button', { name: '받기', exact: true }).waitFor({ timeout: 15_000 });
      // Ringing: the desk holds the media session paused, so the call button sends "play".
      expect(await playback()).toBe('paused');
      expect(await agent.evaluate(() => navigator.mediaSession.metadata?.title)).toBe('이음 전화 수신 중');
      await pressMediaKey(agent, 'play');
      const answeredAt = await agent.evaluate(() => Date.now());
      await call.getByRole('status').filter({ hasText: '통화 중' }).waitFor();
      expect(await playback()).toBe('playing');
      await pressMediaKey(agent, 'togglemicrophone');
      await call.getByRole('button', { name: '음소거', exact: true, pressed: true }).waitFor();
      await pressMediaKey(agent, 'togglemicrophone');
      await call.getByRole('button', { name: '음소거', exact: true, pressed: false }).waitFor();
      // Past the press gap (one press arriving twice is ignored): a second press hangs up.
      await agent.waitForFunction((t) => Date.now() - t > 700, answeredAt, { timeout: 5_000 });
      await pressMediaKey(agent, 'pause');
      const wrapUp = agent.getByRole('form', { name: '후처리' });
      await wrapUp.waitFor();
      expect(await playback()).toBe('none');
      await wrapUp.getByLabel('처리 결과').selectOption({ index: 1 });
      await wrapUp.getByRole('button', { name: '후처리 완료' }).click();
    } finally {
      phone.kill();
    }
  });
});
