/**
 * HQ and two centers as separate processes. Traffic flows at both centers
 * while HQ is stopped, while the link is cut, and while a center is killed
 * with -9 mid-replication; each time HQ catches up to exactly what each
 * center has: no event missing, none counted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../support/hub';
import { loginAs } from '../support/in-process-hub';
import {
  enrollmentToken,
  hqSites,
  sendMessages,
  siteDesk,
  totals,
  waitCaughtUp,
} from '../support/federation';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

let hq: TestHub;
let proxy: TcpProxy;
const centers: { code: 'seoul' | 'busan'; agent: string; manager: string; hub?: TestHub; siteId?: string }[] =
  [
    { code: 'seoul', agent: 'agent1', manager: 'manager1' },
    { code: 'busan', agent: 'busan1', manager: 'admin1' },
  ];

beforeAll(async () => {
  hq = await startHub({ demo: true, env: { IEUM_ROLE: 'hq' } });
  proxy = await startTcpProxy(hq.port);
  for (const c of centers) {
    const token = await enrollmentToken(hq.url, `${c.code} hub`);
    c.hub = await startHub({
      demo: true,
      env: { IEUM_DEMO_SITES: c.code, IEUM_HQ_URL: proxy.url, IEUM_HQ_ENROLL_TOKEN: token },
    });
    c.siteId = (await loginAs(c.hub.url, c.agent)).user.siteId;
  }
});

afterAll(async () => {
  for (const c of centers) await c.hub?.stop();
  await proxy?.close();
  await hq?.stop();
});

/** Sends at every center; every message must be acked whatever HQ's state. */
async function trafficEverywhere(count: number, label: string) {
  for (const c of centers) {
    const desk = await siteDesk(c.hub!.url, c.agent);
    expect(await sendMessages(desk, count, `${label}-${c.code}`)).toBe(count);
    desk.socket.close();
  }
}

async function allCaughtUp() {
  for (const c of centers) {
    const { site, hq: atHq } = await waitCaughtUp(hq.url, c.hub!.url, c.manager, c.siteId!, 60_000);
    expect(atHq).toEqual(site);
  }
}

describe('a group of centers and HQ', () => {
  it('replicates both centers, each under its own name at HQ', async () => {
    await trafficEverywhere(10, 'start');
    await allCaughtUp();
    const sites = await hqSites(hq.url);
    expect(sites.map((s) => s.code)).toEqual(['busan', 'seoul']);
    expect(sites.every((s) => s.lagEvents === 0)).toBe(true);
  });

  it('keeps the centers working while HQ is down, and catches up when it returns', async () => {
    await hq.halt();
    await trafficEverywhere(30, 'hq-down');
    await hq.restart();
    await allCaughtUp();
  });

  it('keeps the centers working while the link is cut, and catches up when it is back', async () => {
    proxy.cut();
    await trafficEverywhere(30, 'cut');
    // While cut, HQ is behind each center by at least what was just sent.
    for (const c of centers) {
      const atHq = await totals(hq.url, 'hq1', c.siteId!);
      const atSite = await totals(c.hub!.url, c.manager, c.siteId!);
      expect(atSite.lastSeq - atHq.lastSeq).toBeGreaterThanOrEqual(30);
    }
    proxy.restore();
    await allCaughtUp();
  });

  it('loses nothing and doubles nothing when a center is killed mid-replication', async () => {
    const seoul = centers[0]!;
    proxy.cut();
    await trafficEverywhere(200, 'backlog');
    proxy.restore();
    // Kill as soon as HQ has applied part of the backlog, before the center saves every ack.
    const before = (await hqSites(hq.url)).find((s) => s.code === 'seoul')!.lastSeq;
    for (;;) {
      const now = (await hqSites(hq.url)).find((s) => s.code === 'seoul')!.lastSeq;
      if (now > before) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await seoul.hub!.kill();
    await seoul.hub!.restart();
    await trafficEverywhere(5, 'after-kill');
    await allCaughtUp();
  });
});
