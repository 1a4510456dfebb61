/** The hub's SIP credentials: auth_ephemeral format, expiry, and "not configured". */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipCredentials } from '@shared/telephony';
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
