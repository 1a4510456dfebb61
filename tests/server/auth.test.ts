import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectDesk, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';

let hub: TestHubInProcess;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

type Err = { error: { code: string; message: string; details?: { retryAfterSeconds?: number } } };

describe('login', () => {
  it('returns a token and the user for the right password, and audits it', async () => {
    const res = await api<{
      token: string;
      user: { username: string; role: string };
      site: { code: string };
    }>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: JSON.stringify({ username: 'agent1', password: 'demo' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'agent1', role: 'agent' });
    expect(res.body.site.code).toBe('seoul');
    expect(res.body.token.split('.')).toHaveLength(3);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/);
    const admin = await loginAs(hub.url, 'admin1');
    const auditLog = await api<{ action: string; actorId: string }[]>(
      hub.url,
      '/api/v1/admin/audit-log',
      admin.token,
    );
    expect(auditLog.body.some((a) => a.action === 'auth.login')).toBe(true);
  });

  it('refuses a wrong password with a typed 401 and the same answer for an unknown user', async () => {
    const wrong = await api<Err>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: JSON.stringify({ username: 'agent2', password: 'nope' }),
    });
    const unknown = await api<Err>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: JSON.stringify({ username: 'nobody', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('throttles guessing after five failures, even with the right password', async () => {
    const attempt = (password: string) =>
      api<Err>(hub.url, '/api/v1/auth/login', null, {
        method: 'POST',
        body: JSON.stringify({ username: 'busan2', password }),
        headers: { 'x-test': 'throttle' },
      });
    for (let i = 0; i < 5; i++) expect((await attempt('guess' + i)).status).toBe(401);
    const locked = await attempt('demo');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('LOGIN_THROTTLED');
    expect(locked.body.error.details?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('answers malformed JSON, wrong types and SQL-looking input with typed errors', async () => {
    const malformed = await api<Err>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: '{"username":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('BAD_REQUEST');
    const wrongTypes = await api<Err>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: JSON.stringify({ username: 42, password: ['x'] }),
    });
    expect(wrongTypes.status).toBe(400);
    expect(wrongTypes.body.error.code).toBe('VALIDATION_FAILED');
    const sqlish = await api<Err>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: JSON.stringify({ username: "admin1' OR '1'='1", password: "' OR 1=1 --" }),
    });
    expect(sqlish.status).toBe(401);
    const huge = await api<Err>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(2_000_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(hub.logs.some((l) => l.msg === 'bad request')).toBe(true);
    expect((await api(hub.url, '/healthz', null)).status).toBe(200);
  });
});

describe('tokens', () => {
  it('rejects a forged token over HTTP and socket.io', async () => {
    const forged = await new SignJWT({ site: 'x', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('someone')
      .setIssuer('ieum-hub')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-hub-secret-not-the-hub-secret'));
    const res = await api<Err>(hub.url, '/api/v1/me', forged);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    await expect(connectDesk(hub.url, forged)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('rejects an expired token as TOKEN_EXPIRED', async () => {
    const me = await loginAs(hub.url, 'agent1');
    const secret = new TextEncoder().encode(
      readFileSync(join(hub.ctx.config.dataDir, 'token.key'), 'utf8').trim(),
    );
    const expired = await new SignJWT({ site: me.user.siteId, role: 'agent' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(me.user.id)
      .setIssuer('ieum-hub')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(secret);
    const res = await api<Err>(hub.url, '/api/v1/me', expired);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
    await expect(connectDesk(hub.url, expired)).rejects.toMatchObject({ data: { code: 'TOKEN_EXPIRED' } });
  });

  it('serves /api/v1/me with state and reason codes for a valid token', async () => {
    const me = await loginAs(hub.url, 'agent1');
    const res = await api<{
      user: { username: string };
      status: { state: string };
      reasonCodes: { kind: string }[];
    }>(hub.url, '/api/v1/me', me.token);
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('agent1');
    expect(res.body.status.state).toBe('offline');
    expect(res.body.reasonCodes.filter((r) => r.kind === 'not_ready').length).toBeGreaterThan(2);
  });
});

describe('cross-origin desks', () => {
  const preflight = (origin: string) =>
    fetch(`${hub.url}/api/v1/auth/login`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('lets the Electron desk (app://desk) call the API, and no other page', async () => {
    const desk = await preflight('app://desk');
    expect(desk.status).toBe(204);
    expect(desk.headers.get('access-control-allow-origin')).toBe('app://desk');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const login = await fetch(`${hub.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { origin: 'app://desk', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent1', password: 'demo' }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('access-control-allow-origin')).toBe('app://desk');
  });
});
