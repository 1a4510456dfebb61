/**
 * Multi-site, in process: a site hub enrolls with HQ and replicates its event
 * log; HQ refuses forged, replayed, skewed, truncated and gapped requests, and
 * a removed hub, without applying anything twice or half.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FederatedSiteView, ReplicationBatch } from '@shared/federation';
import { signRequest } from '../../server/federation/signing';
import { startReplicator } from '../../server/federation/replicator';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import {
  enrollmentToken,
  hqSites,
  sendMessages,
  siteDesk,
  totals,
  waitCaughtUp,
} from '../support/federation';

let hq: TestHubInProcess;
let seoul: TestHubInProcess;
let seoulSiteId: string;
let link: { memberId: string; key: string };

beforeAll(async () => {
  hq = await startTestHub({ role: 'hq' });
  const token = await enrollmentToken(hq.url, '서울센터 허브');
  seoul = await startTestHub({
    demoSites: ['seoul'],
    hqUrl: hq.url,
    hqEnrollToken: token,
    federationHeartbeatSeconds: 0.3,
  });
  seoulSiteId = (await loginAs(seoul.url, 'agent1')).user.siteId;
});
afterAll(async () => {
  await seoul?.stop();
  await hq?.stop();
});

async function waitEnrolled() {
  for (;;) {
    const row = await seoul.ctx.db.selectFrom('federation_link').selectAll().executeTakeFirst();
    if (row) return { memberId: row.member_id, key: row.key };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Posts a batch to HQ as the site hub would, with control over every part of it. */
async function postBatch(
  batch: ReplicationBatch | Buffer,
  opts: { key?: string; time?: number; headers?: Record<string, string>; cut?: boolean } = {},
) {
  let body = Buffer.isBuffer(batch) ? batch : gzipSync(JSON.stringify(batch));
  const path = '/api/v1/federation/events';
  const headers =
    opts.headers ??
    signRequest(opts.key ?? link.key, link.memberId, 'POST', path, body, opts.time ?? Date.now());
  if (opts.cut) body = body.subarray(0, Math.floor(body.length / 2));
  const res = await fetch(`${hq.url}${path}`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      error?: { code: string; details?: Record<string, unknown> };
      ackedSeq?: number;
    },
  };
}

async function seoulOnHq(): Promise<FederatedSiteView> {
  const site = (await hqSites(hq.url)).find((s) => s.siteId === seoulSiteId);
  if (!site) throw new Error('seoul is not at HQ');
  return site;
}

describe('enrollment', () => {
  it('enrolls the site hub with its one-time token and lists its site at HQ', async () => {
    link = await waitEnrolled();
    const site = await seoulOnHq();
    expect(site).toMatchObject({ code: 'seoul', name: '서울센터', revoked: false });
  });

  it('refuses a used token and an unknown one', async () => {
    const site = { id: '01900000-0000-7000-8000-000000000001', code: 'x', name: 'x', timezone: 'Asia/Seoul' };
    for (const token of ['not-a-real-token-at-all', 'a'.repeat(32)]) {
      const res = await api<{ error: { code: string } }>(hq.url, '/api/v1/federation/enroll', null, {
        method: 'POST',
        body: JSON.stringify({ token, name: 'x', sites: [site] }),
      });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect((await hqSites(hq.url)).map((s) => s.code)).toEqual(['seoul']);
  });

  it('refuses an agent asking for an enrollment token', async () => {
    const { token } = await loginAs(hq.url, 'hq1');
    const res = await api(hq.url, '/api/v1/hq/enrollments', token, { method: 'POST', body: '{"name":"x"}' });
    expect(res.status).toBe(403);
  });
});

describe('replication', () => {
  it('brings every event of the site to HQ, and HQ totals equal the site totals', async () => {
    const desk = await siteDesk(seoul.url, 'agent1');
    expect(await sendMessages(desk, 25, 'rep')).toBe(25);
    desk.socket.close();
    const { site, hq: atHq } = await waitCaughtUp(hq.url, seoul.url, 'manager1', seoulSiteId);
    expect(site.byType['message.created']).toBeGreaterThanOrEqual(25);
    expect(atHq).toEqual(site);
    const view = await seoulOnHq();
    expect(view.lagEvents).toBe(0);
    expect(view.lastContactAt).not.toBeNull();
  });

  it('computes the same KPIs at HQ as at the site, and a group total at HQ', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    // One piece of routed work at the site: offered, answered, handled.
    const desk = await siteDesk(seoul.url, 'agent1');
    const send = (name: string, payload: unknown) =>
      (desk.socket.emitWithAck as (n: string, p: unknown) => Promise<{ ok: boolean; value?: unknown }>)(
        name,
        payload,
      );
    await send('agent.setState', { commandId: `kpi-ready-${Date.now()}`, state: 'ready' });
    const { token: sup } = await loginAs(seoul.url, 'supervisor1');
    const queues = await api<{ id: string; name: string }[]>(seoul.url, '/api/v1/admin/queues', sup);
    const queueId = queues.body.find((q) => q.name === '일반 문의')!.id;
    const offered = new Promise<string>((resolve) =>
      desk.socket.on('event', (e) => {
        if (e.type === 'offer.created') resolve((e.payload as { item: { id: string } }).item.id);
      }),
    );
    const enq = await api<{ status: string }>(seoul.url, '/api/v1/routing/work', sup, {
      method: 'POST',
      body: JSON.stringify({ queueId, channel: 'webchat', conversationId: desk.conversationId }),
    });
    expect(enq.body.status).toBe('queued');
    const itemId = await offered;
    expect((await send('offer.accept', { commandId: `kpi-acc-${Date.now()}`, itemId })).ok).toBe(true);
    expect((await send('work.complete', { commandId: `kpi-done-${Date.now()}`, itemId })).ok).toBe(true);
    await send('agent.setState', { commandId: `kpi-off-${Date.now()}`, state: 'offline' });
    desk.socket.close();
    await waitCaughtUp(hq.url, seoul.url, 'manager1', seoulSiteId);
    const to = new Date(Date.now() + 1000).toISOString();
    const q = `siteId=${seoulSiteId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const atSite = await api<Record<string, unknown>>(
      seoul.url,
      `/api/v1/reports/kpis?${q}`,
      (await loginAs(seoul.url, 'manager1')).token,
    );
    const { token: analyst } = await loginAs(hq.url, 'hq1');
    const atHq = await api<Record<string, unknown>>(hq.url, `/api/v1/reports/kpis?${q}`, analyst);
    expect(atSite.status).toBe(200);
    expect(atSite.body).toMatchObject({ offered: 1, answered: 1 });
    expect(atHq.body).toEqual(atSite.body);
    const group = await api<{ sites: { code: string; kpis: unknown }[]; total: unknown }>(
      hq.url,
      `/api/v1/reports/kpis/group?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      analyst,
    );
    expect(group.body.sites.map((s) => s.code)).toEqual(['seoul']);
    expect(group.body.total).toEqual(atSite.body);
  });

  it('shows HQ a group wallboard: each center with its agents by name and state, and figures for today', async () => {
    const { token: analyst } = await loginAs(hq.url, 'hq1');
    const board = await api<{
      sites: {
        site: { code: string; lagEvents: number };
        agents: { displayName: string | null; state: string }[];
        kpis: { offered: number };
      }[];
      total: { kpis: { offered: number }; byState: Record<string, number> };
    }>(hq.url, '/api/v1/hq/board', analyst);
    expect(board.status).toBe(200);
    const seoulRow = board.body.sites.find((s) => s.site.code === 'seoul')!;
    // agent1 went ready and then offline in the KPI test; HQ knows her by name.
    expect(seoulRow.agents.find((a) => a.displayName === '김지은')?.state).toBe('offline');
    expect(seoulRow.kpis.offered).toBeGreaterThanOrEqual(1);
    expect(board.body.total.kpis.offered).toBe(seoulRow.kpis.offered);
    const { token: agentAtHq } = await loginAs(hq.url, 'admin1');
    expect((await api(hq.url, '/api/v1/hq/board', agentAtHq)).status).toBe(200);
  });

  it('a resent batch changes nothing', async () => {
    const before = await totals(hq.url, 'hq1', seoulSiteId);
    const events = await seoul.ctx.db
      .selectFrom('events')
      .select(['seq', 'type', 'payload', 'at'])
      .where('site_id', '=', seoulSiteId)
      .orderBy('seq')
      .limit(10)
      .execute();
    const batch: ReplicationBatch = {
      siteId: seoulSiteId,
      headSeq: before.lastSeq,
      events: events.map((e) => ({ seq: Number(e.seq), type: e.type, payload: e.payload, at: Number(e.at) })),
    };
    const res = await postBatch(batch);
    expect(res.status).toBe(200);
    expect(res.body.ackedSeq).toBe(before.lastSeq);
    expect(await totals(hq.url, 'hq1', seoulSiteId)).toEqual(before);
  });
});

describe('refused site requests', () => {
  const emptyBatch = (): ReplicationBatch => ({ siteId: seoulSiteId, headSeq: 0, events: [] });

  it('refuses a forged signature', async () => {
    const res = await postBatch(emptyBatch(), { key: Buffer.alloc(32, 7).toString('base64url') });
    expect(res.status).toBe(401);
    expect(res.body.error?.details?.reason).toBe('bad_signature');
  });

  it('refuses a replayed request', async () => {
    const body = gzipSync(JSON.stringify(emptyBatch()));
    const headers = signRequest(
      link.key,
      link.memberId,
      'POST',
      '/api/v1/federation/events',
      body,
      Date.now(),
    );
    expect((await postBatch(body, { headers })).status).toBe(200);
    const replay = await postBatch(body, { headers });
    expect(replay.status).toBe(401);
    expect(replay.body.error?.details?.reason).toBe('replayed');
  });

  it('refuses a request from a wrong clock and tells the site the time', async () => {
    const res = await postBatch(emptyBatch(), { time: Date.now() - 3_600_000 });
    expect(res.status).toBe(401);
    expect(res.body.error?.details?.reason).toBe('clock_skew');
    expect(Math.abs(Number(res.body.error?.details?.serverTime) - Date.now())).toBeLessThan(5000);
  });

  it('refuses a batch cut in half and applies none of it', async () => {
    const before = await totals(hq.url, 'hq1', seoulSiteId);
    const next = before.lastSeq + 1;
    const batch: ReplicationBatch = {
      siteId: seoulSiteId,
      headSeq: next,
      events: [{ seq: next, type: 'test.event', payload: '{}', at: Date.now() }],
    };
    const res = await postBatch(batch, { cut: true });
    expect(res.status).toBe(401); // the signature covered the whole body
    const unsigned = await postBatch(gzipSync(JSON.stringify(batch)).subarray(0, 20));
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error?.code).toBe('BAD_REQUEST');
    expect(await totals(hq.url, 'hq1', seoulSiteId)).toEqual(before);
  });

  it('refuses a gap and names the seq it expects', async () => {
    const before = await totals(hq.url, 'hq1', seoulSiteId);
    const res = await postBatch({
      siteId: seoulSiteId,
      headSeq: before.lastSeq + 10,
      events: [{ seq: before.lastSeq + 5, type: 'test.event', payload: '{}', at: Date.now() }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error?.details?.expectedSeq).toBe(before.lastSeq + 1);
    expect(await totals(hq.url, 'hq1', seoulSiteId)).toEqual(before);
  });

  it('refuses a batch for a site that belongs to another hub', async () => {
    const { user } = await loginAs(hq.url, 'admin1');
    const res = await postBatch({ siteId: user.siteId, headSeq: 0, events: [] });
    expect(res.status).toBe(403);
  });
});

describe('a site with a wrong clock', () => {
  it('corrects its signing time from HQ and keeps replicating', async () => {
    // A second replicator on the site's data, an hour slow, as a site with a bad clock would be.
    const slow = startReplicator(seoul.ctx, { clock: () => Date.now() - 3_600_000 });
    try {
      for (;;) {
        const status = await slow.status();
        if (status.clockOffsetMs > 3_500_000 && status.lastError === null && status.lastSuccessAt) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await slow.stop();
    }
    const desk = await siteDesk(seoul.url, 'agent2');
    await sendMessages(desk, 3, 'clock');
    desk.socket.close();
    await waitCaughtUp(hq.url, seoul.url, 'manager1', seoulSiteId);
  });
});

describe('group configuration from HQ', () => {
  const reasonAtSeoul = async (code: string) =>
    seoul.ctx.db
      .selectFrom('reason_codes')
      .select(['id', 'label', 'kind'])
      .where('site_id', '=', seoulSiteId)
      .where('code', '=', code)
      .executeTakeFirst();
  async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('reaches every center, is applied once, and a local override stays and is visible at HQ', async () => {
    const { token: hqAdmin } = await loginAs(hq.url, 'admin1');
    const put = (label: string) =>
      api<{ version: number }>(hq.url, '/api/v1/hq/config/reason_code/coaching', hqAdmin, {
        method: 'PUT',
        body: JSON.stringify({ label, kind: 'not_ready' }),
      });
    expect((await put('코칭')).status).toBe(200);
    const applied = await until(async () => {
      const r = await reasonAtSeoul('coaching');
      return r?.label === '코칭' ? r : undefined;
    }, 'coaching at seoul');
    expect(applied.kind).toBe('not_ready');
    await put('코칭 세션');
    await until(
      async () => ((await reasonAtSeoul('coaching'))?.label === '코칭 세션' ? true : undefined),
      'new label',
    );
    // Applied in place: still one row, same id.
    expect((await reasonAtSeoul('coaching'))?.id).toBe(applied.id);

    // The center's manager renames it: from now on it is theirs.
    const { token: manager } = await loginAs(seoul.url, 'manager1');
    const patched = await api(seoul.url, `/api/v1/admin/reason-codes/${applied.id}`, manager, {
      method: 'PATCH',
      body: JSON.stringify({ label: '서울 코칭' }),
    });
    expect(patched.status).toBe(200);
    await put('코칭 (그룹)');
    const view = await until(async () => {
      const list = await api<{ kind: string; key: string; overriddenBy: { code: string | null }[] }[]>(
        hq.url,
        '/api/v1/hq/config',
        hqAdmin,
      );
      const item = list.body.find((i) => i.key === 'coaching');
      return item && item.overriddenBy.length > 0 ? item : undefined;
    }, 'override reported to HQ');
    expect(view.overriddenBy.map((o) => o.code)).toEqual(['seoul']);
    expect((await reasonAtSeoul('coaching'))?.label).toBe('서울 코칭');

    // Bad payloads are refused at HQ with a typed error.
    const bad = await api<{ error: { code: string } }>(hq.url, '/api/v1/hq/config/reason_code/x', hqAdmin, {
      method: 'PUT',
      body: JSON.stringify({ label: '' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a group user made at HQ can sign in at the center, and is closed there when HQ removes it', async () => {
    const { token: hqAdmin } = await loginAs(hq.url, 'admin1');
    const made = await api(hq.url, '/api/v1/hq/config/user/groupadmin', hqAdmin, {
      method: 'PUT',
      body: JSON.stringify({ displayName: '그룹 관리자', role: 'site_manager', password: 'group-pass-1' }),
    });
    expect(made.status).toBe(200);
    const listed = await api<{ key: string; payload: Record<string, unknown> }[]>(
      hq.url,
      '/api/v1/hq/config',
      hqAdmin,
    );
    expect(listed.body.find((i) => i.key === 'groupadmin')?.payload).toEqual({
      displayName: '그룹 관리자',
      role: 'site_manager',
    });
    const login = () =>
      fetch(`${seoul.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'groupadmin', password: 'group-pass-1' }),
      });
    await until(
      async () => ((await login()).status === 200 ? true : undefined),
      'group user signs in at seoul',
    );
    const short = await api(hq.url, '/api/v1/hq/config/user/weak', hqAdmin, {
      method: 'PUT',
      body: JSON.stringify({ displayName: 'x', role: 'agent', password: 'short' }),
    });
    expect(short.status).toBe(400);
    await api(hq.url, '/api/v1/hq/config/user/groupadmin', hqAdmin, { method: 'DELETE' });
    await until(
      async () => ((await login()).status === 401 ? true : undefined),
      'group user closed at seoul',
    );
  });

  it('a disposition deleted at HQ is removed at the center', async () => {
    const { token: hqAdmin } = await loginAs(hq.url, 'admin1');
    const disposition = () =>
      seoul.ctx.db
        .selectFrom('dispositions')
        .select('id')
        .where('site_id', '=', seoulSiteId)
        .where('code', '=', 'group_refund')
        .executeTakeFirst();
    await api(hq.url, '/api/v1/hq/config/disposition/group_refund', hqAdmin, {
      method: 'PUT',
      body: JSON.stringify({ label: '환불 처리' }),
    });
    await until(disposition, 'disposition at seoul');
    await api(hq.url, '/api/v1/hq/config/disposition/group_refund', hqAdmin, { method: 'DELETE' });
    await until(async () => ((await disposition()) ? undefined : true), 'disposition removed');
  });
});

describe('a site hub removed from the group', () => {
  it('is refused by HQ while the site keeps working on its own', async () => {
    const { token } = await loginAs(hq.url, 'admin1');
    const del = await api(hq.url, `/api/v1/hq/members/${link.memberId}`, token, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const res = await postBatch({ siteId: seoulSiteId, headSeq: 0, events: [] });
    expect(res.status).toBe(403);
    const desk = await siteDesk(seoul.url, 'agent1');
    expect(await sendMessages(desk, 2, 'alone')).toBe(2);
    desk.socket.close();
    const { token: mgr } = await loginAs(seoul.url, 'manager1');
    for (;;) {
      const status = await api<{ lastError: string | null }>(seoul.url, '/api/v1/federation/status', mgr);
      if (status.body.lastError?.includes('removed')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await seoulOnHq()).revoked).toBe(true);
  });
});
