/** The hub's SIP credentials: auth_ephemeral format, expiry, and "not configured". */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKoreanPhone } from '@shared/phone-number';
import { type CallRecord, type CallerLookup, SipCredentials } from '@shared/telephony';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import { issueSipCredentials } from '../../server/telephony/sip-credentials';

const SECRET = 'a-secret-shared-with-kamailio';
let hub: TestHubInProcess;
let bare: TestHubInProcess;

beforeAll(async () => {
  [hub, bare] = await Promise.all([
    startTestHub({
      sipSecret: SECRET,
      sipWsUrl: 'ws://127.0.0.1:8080',
      sipDomain: 'seoul.ieum',
      sipCredentialTtlSeconds: 600,
    }),
    startTestHub(),
  ]);
});
afterAll(async () => {
  await Promise.all([hub?.stop(), bare?.stop()]);
});

describe('GET /api/v1/sip/credentials', () => {
  it('issues expiring credentials Kamailio can check with the shared secret', async () => {
    const { token } = await loginAs(hub.url, 'agent1');
    const before = Math.floor(Date.now() / 1000);
    const res = await api<SipCredentials>(hub.url, '/api/v1/sip/credentials', token);
    expect(res.status).toBe(200);
    const creds = SipCredentials.parse(res.body);
    const [expiry, user] = creds.username.split(':');
    expect(user).toBe('agent1');
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 600);
    expect(Number(expiry)).toBeLessThanOrEqual(before + 602);
    expect(creds.password).toBe(createHmac('sha1', SECRET).update(creds.username).digest('base64'));
    expect(creds).toMatchObject({
      aor: 'sip:agent1@seoul.ieum',
      extension: 'agent1',
      wsUri: 'ws://127.0.0.1:8080',
    });
    expect(hub.logs.some((l) => l.msg === 'sip credentials issued')).toBe(true);
    // The secret itself never appears in a log line.
    expect(JSON.stringify(hub.logs)).not.toContain(SECRET);
  });

  it('refuses callers without a token', async () => {
    const res = await api(hub.url, '/api/v1/sip/credentials', null);
    expect(res.status).toBe(401);
  });

  it('says UNAVAILABLE / sip_not_configured on a hub without a SIP server', async () => {
    const { token } = await loginAs(bare.url, 'agent1');
    const res = await api<{ error: { code: string; details: unknown } }>(
      bare.url,
      '/api/v1/sip/credentials',
      token,
    );
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', details: { reason: 'sip_not_configured' } });
  });
});

describe('GET /api/v1/sip/server', () => {
  it('tells anyone where desks reach the SIP server, and nothing else; null on a hub without one', async () => {
    const res = await api<Record<string, unknown>>(hub.url, '/api/v1/sip/server', null);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ wsUrl: 'ws://127.0.0.1:8080' });
    expect((await api(bare.url, '/api/v1/sip/server', null)).body).toEqual({ wsUrl: null });
  });
});

describe('issueSipCredentials', () => {
  it('keeps SIP user parts safe', () => {
    const c = issueSipCredentials(
      'Kim Min:su',
      { secret: SECRET, wsUri: 'wss://x', domain: 'd', ttlSeconds: 60 },
      0,
    );
    expect(c.extension).toBe('kim_min_su');
    expect(c.username).toBe('60:kim_min_su');
    expect(c.expiresAt).toBe('1970-01-01T00:01:00.000Z');
  });
});

describe('calls reported by the desk', () => {
  const post = (token: string, body: unknown) =>
    api<CallRecord>(hub.url, '/api/v1/calls/events', token, { method: 'POST', body: JSON.stringify(body) });

  it('stores a call step by step with its durations, idempotently, then its wrap-up', async () => {
    const { token } = await loginAs(hub.url, 'agent2');
    const identity = await hub.ctx.db
      .selectFrom('identities')
      .innerJoin('customers', 'customers.id', 'identities.customer_id')
      .select(['identities.handle', 'customers.id', 'customers.name'])
      .where('identities.channel', '=', 'voice')
      .where('identities.site_id', '=', (await loginAs(hub.url, 'agent2')).user.siteId)
      .executeTakeFirstOrThrow();
    const callId = `call-${Date.now()}`;
    const t0 = 1_800_000_000_000;
    // The caller number as a trunk might send it: national format with dashes.
    const offered = await post(token, {
      callId,
      type: 'offered',
      at: t0,
      remote: formatKoreanPhone(identity.handle),
      remoteName: null,
    });
    expect(offered.status).toBe(200);
    expect(offered.body).toMatchObject({
      direction: 'inbound',
      remote: identity.handle,
      customerId: identity.id,
    });
    for (const [type, at] of [
      ['answered', t0 + 4_000],
      ['answered', t0 + 9_000],
      ['held', t0 + 10_000],
      ['resumed', t0 + 13_000],
      ['ended', t0 + 30_000],
      ['held', t0 + 31_000],
    ] as const) {
      expect((await post(token, { callId, type, at })).status).toBe(200);
    }
    const ended = (await post(token, { callId, type: 'ended', at: t0 + 40_000 })).body;
    expect(ended).toMatchObject({
      state: 'ended',
      endReason: 'completed',
      ringMs: 4_000,
      holdMs: 3_000,
      talkMs: 23_000,
      wrapUpMs: null,
    });

    const dispositions = await api<{ id: string; code: string }[]>(
      hub.url,
      '/api/v1/calls/dispositions',
      token,
    );
    expect(dispositions.body.length).toBeGreaterThan(0);
    const wrapped = await api<CallRecord>(hub.url, `/api/v1/calls/${ended.id}/wrap-up`, token, {
      method: 'POST',
      body: JSON.stringify({ dispositionId: dispositions.body[0]!.id, note: ' 요금 문의 ', at: t0 + 45_000 }),
    });
    expect(wrapped.status).toBe(200);
    expect(wrapped.body).toMatchObject({
      dispositionId: dispositions.body[0]!.id,
      note: '요금 문의',
      wrapUpMs: 15_000,
    });

    const list = await api<CallRecord[]>(hub.url, '/api/v1/calls', token);
    expect(list.body.find((c) => c.callId === callId)).toMatchObject({ id: ended.id, talkMs: 23_000 });

    // Each step is in the site's event log.
    const types = await hub.ctx.db
      .selectFrom('events')
      .select('type')
      .where('type', 'like', 'call.%')
      .execute();
    expect(types.map((t) => t.type)).toEqual(
      expect.arrayContaining([
        'call.offered',
        'call.answered',
        'call.held',
        'call.resumed',
        'call.ended',
        'call.wrapped_up',
      ]),
    );
    // Exactly one of each for this call: retries added nothing.
    expect(types.filter((t) => t.type === 'call.answered')).toHaveLength(1);

    // Another agent cannot read it.
    const { token: other } = await loginAs(hub.url, 'agent1');
    expect((await api(hub.url, `/api/v1/calls/${ended.id}`, other)).status).toBe(404);
  });

  it('refuses a wrap-up before the end, an unknown disposition, and steps of an unknown call', async () => {
    const { token } = await loginAs(hub.url, 'agent1');
    const callId = `c-${Date.now()}`;
    const dialed = await post(token, { callId, type: 'dialed', at: 1_800_000_000_000, remote: 'agent2' });
    expect(dialed.body).toMatchObject({ direction: 'outbound', remote: 'agent2', customerId: null });
    const early = await api(hub.url, `/api/v1/calls/${dialed.body.id}/wrap-up`, token, {
      method: 'POST',
      body: JSON.stringify({ dispositionId: 'x', at: 1_800_000_000_001 }),
    });
    expect(early.status).toBe(409);
    await post(token, { callId, type: 'ended', at: 1_800_000_001_000, reason: 'not_answered' });
    const unknown = await api(hub.url, `/api/v1/calls/${dialed.body.id}/wrap-up`, token, {
      method: 'POST',
      body: JSON.stringify({ dispositionId: 'no-such', at: 1_800_000_002_000 }),
    });
    expect(unknown.status).toBe(400);
    expect((await post(token, { callId: 'never', type: 'answered', at: 1 })).status).toBe(404);
    expect((await post(token, { callId, type: 'bogus', at: 1 })).status).toBe(400);
  });

  it("ends an agent's part of the call at a blind transfer", async () => {
    const { token } = await loginAs(hub.url, 'agent2');
    const callId = `t-${Date.now()}`;
    const t0 = 1_800_000_000_000;
    await post(token, { callId, type: 'offered', at: t0, remote: 'agent1' });
    await post(token, { callId, type: 'answered', at: t0 + 1_000 });
    await post(token, { callId, type: 'transferred', at: t0 + 6_000, reason: 'supervisor1' });
    const after = await post(token, { callId, type: 'ended', at: t0 + 7_000 });
    expect(after.body).toMatchObject({ state: 'ended', endReason: 'transferred', talkMs: 5_000 });
  });

  it('records a consultation as a call of its own, tied to the call it was for', async () => {
    const { token } = await loginAs(hub.url, 'agent2');
    const callId = `c-${Date.now()}`;
    const t0 = 1_800_000_000_000;
    const customerCall = await post(token, { callId, type: 'offered', at: t0, remote: '01012345678' });
    await post(token, { callId, type: 'answered', at: t0 + 1_000 });
    await post(token, { callId, type: 'held', at: t0 + 2_000 });
    const consult = await post(token, {
      callId: `${callId}-consult`,
      type: 'dialed',
      at: t0 + 2_500,
      remote: 'supervisor1',
      consultFor: callId,
    });
    expect(consult.status).toBe(200);
    expect(consult.body).toMatchObject({ direction: 'outbound', consultOf: customerCall.body.id });
    expect(customerCall.body.consultOf).toBeNull();
    // A consultation for a call the hub never heard of still stands, on its own.
    const orphan = await post(token, {
      callId: `${callId}-orphan`,
      type: 'dialed',
      at: t0 + 3_000,
      remote: 'supervisor1',
      consultFor: 'no-such-call',
    });
    expect(orphan.body).toMatchObject({ consultOf: null });
    // Another agent cannot tie a consultation to agent2's call.
    const other = await loginAs(hub.url, 'agent1');
    const foreign = await post(other.token, {
      callId: `${callId}-foreign`,
      type: 'dialed',
      at: t0 + 3_000,
      remote: 'supervisor1',
      consultFor: callId,
    });
    expect(foreign.body).toMatchObject({ consultOf: null });
  });

  it('pops the caller by number in any Korean format', async () => {
    const { token, user } = await loginAs(hub.url, 'agent1');
    const identity = await hub.ctx.db
      .selectFrom('identities')
      .select(['handle', 'customer_id'])
      .where('channel', '=', 'voice')
      .where('site_id', '=', user.siteId)
      .executeTakeFirstOrThrow();
    const national = formatKoreanPhone(identity.handle);
    for (const number of [
      national,
      national.replace(/-/g, ''),
      identity.handle,
      `+82 ${national.slice(1)}`,
    ]) {
      const res = await api<CallerLookup>(
        hub.url,
        `/api/v1/calls/caller?number=${encodeURIComponent(number)}`,
        token,
      );
      expect(res.body).toMatchObject({ normalized: identity.handle, customer: { id: identity.customer_id } });
    }
    const none = await api<CallerLookup>(hub.url, '/api/v1/calls/caller?number=agent2', token);
    expect(none.body).toMatchObject({ normalized: null, customer: null });
  });
});
