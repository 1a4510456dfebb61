/**
 * A customer on an ordinary phone (baresip, plain RTP/PCMU) calls an agent:
 * Kamailio routes the call and rtpengine (userspace, scripts/rtpengine.sh)
 * bridges the phone's RTP to the desk's WebRTC (ICE, DTLS-SRTP). The desk shows
 * the customer before answer, audio passes both ways, the call is recorded.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKoreanPhone } from '@shared/phone-number';
import type { CallRecord } from '@shared/telephony';
import { launchChromium } from '../support/chromium';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import {
  kamailioAvailability,
  startKamailio,
  startRtpengine,
  type TestKamailio,
  type TestRtpengine,
} from '../support/kamailio';
import { baresipCall } from '../support/kamailio-baresip';
import { RECORD_PEER_CONNECTIONS, audioFlows } from '../support/kamailio-webrtc';
import { signIn } from '../support/desk-e2e';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');
const SECRET = 'e2e-phone-secret-shared-with-kamailio';
const availability = kamailioAvailability();

let rtpengine: TestRtpengine | undefined;
let kamailio: TestKamailio | undefined;
let hub: TestHubInProcess;
let browser: Browser;

beforeAll(async () => {
  if (!availability.ok) return;
  if (!existsSync(RENDERER_INDEX)) throw new Error(`${RENDERER_INDEX} is missing: build the desk first`);
  rtpengine = await startRtpengine();
  kamailio = await startKamailio({ secret: SECRET, rtpengine: rtpengine.ngSocket });
  hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: kamailio.wsUrl, sipDomain: kamailio.domain });
  browser = await launchChromium({ media: true });
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await kamailio?.stop();
  await rtpengine?.stop();
});

async function openDesk(username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR' });
  await context.addInitScript(RECORD_PEER_CONNECTIONS);
  const page = await context.newPage();
  await signIn(page, hub.url, username);
  await page.getByRole('status', { name: '등록 상태' }).filter({ hasText: '등록됨' }).waitFor();
  return page;
}

describe.skipIf(!availability.ok)('a customer phone through Kamailio and rtpengine', () => {
  it('rings the desk with the customer on screen; audio both ways; recorded', async () => {
    const agent = await openDesk('agent2');
    const { token, user } = await loginAs(hub.url, 'agent2');
    const customer = await hub.ctx.db
      .selectFrom('identities')
      .innerJoin('customers', 'customers.id', 'identities.customer_id')
      .select(['identities.handle', 'customers.name'])
      .where('identities.channel', '=', 'voice')
      .where('identities.site_id', '=', user.siteId)
      .executeTakeFirstOrThrow();
    const phone = await baresipCall({
      sipPort: kamailio!.sipPort,
      from: formatKoreanPhone(customer.handle).replace(/-/g, ''),
      to: `sip:agent2@${kamailio!.domain}`,
      seconds: 40,
    });
    try {
      const call = agent.getByRole('region', { name: '현재 통화' });
      try {
        await call.getByText(`고객: ${customer.name}`).waitFor({ timeout: 15_000 });
      } catch (error) {
        throw new Error(
          `${String(error)}\nbaresip:\n${phone.output()}\nkamailio:\n${kamailio!.log().slice(-3000)}`,
        );
      }
      await call.getByRole('button', { name: '받기', exact: true }).click();
      await call.getByRole('status').filter({ hasText: '통화 중' }).waitFor();
      try {
        // The phone's 440 Hz tone reaches the desk through rtpengine…
        const heard = await audioFlows(agent);
        expect(heard.level).toBeGreaterThan(0);
        // …and the desk's microphone reaches the phone: baresip receives (and sends) PCMU at 64 kbit/s.
        await expect.poll(() => phone.audioBitrates()?.rx ?? 0, { timeout: 10_000 }).toBeGreaterThan(32_000);
        expect(phone.audioBitrates()!.tx).toBeGreaterThan(32_000);
      } catch (error) {
        throw new Error(
          `${String(error)}\nbaresip:\n${phone.output()}\nrtpengine:\n${rtpengine!.log().slice(-3000)}`,
        );
      }
      await call.getByRole('button', { name: '끊기', exact: true }).click();
      await agent.getByRole('form', { name: '후처리' }).waitFor();
    } finally {
      phone.kill();
    }
    await expect
      .poll(async () => (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body[0]?.state)
      .toBe('ended');
    const [recorded] = (await api<CallRecord[]>(hub.url, '/api/v1/calls', token)).body;
    expect(recorded).toMatchObject({ direction: 'inbound', remote: customer.handle, endReason: 'completed' });
    expect(recorded!.talkMs).toBeGreaterThan(0);
  });
});
