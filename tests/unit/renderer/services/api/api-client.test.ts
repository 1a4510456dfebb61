import { describe, expect, it } from 'vitest';
import { createApiClient } from '@renderer/services/api/api-client';
import { normalizeHubUrl } from '@renderer/services/api/hub-url';
import { kpisFixture } from '../../fixtures/kpis';

const site = { id: 's1', code: 'seoul', name: '서울센터', timezone: 'Asia/Seoul' };
const user = {
  id: 'u1',
  siteId: 's1',
  username: 'agent1',
  displayName: '김지은',
  role: 'agent',
  teamId: null,
  skills: [],
  active: true,
};

function fetchReturning(status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}) {
  return (async (url: string, init?: RequestInit) => {
    seen.url = url;
    seen.init = init;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
}

describe('api client', () => {
  it('logs in and validates the answer', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const body = { token: 't', expiresAt: '2030-01-01T00:00:00Z', user, site };
    const result = await createApiClient('http://hub:7411', fetchReturning(200, body, seen)).login(
      'agent1',
      'demo',
    );
    expect(result).toEqual({ ok: true, value: body });
    expect(seen.url).toBe('http://hub:7411/api/v1/auth/login');
    expect(JSON.parse(String(seen.init?.body))).toEqual({ username: 'agent1', password: 'demo' });
  });

  it('maps the hub error body to the typed error', async () => {
    const client = createApiClient(
      'http://hub',
      fetchReturning(429, { error: { code: 'LOGIN_THROTTLED', message: 'wait' } }),
    );
    expect(await client.login('a', 'b')).toEqual({
      ok: false,
      error: { code: 'LOGIN_THROTTLED', message: 'wait' },
    });
  });

  it('falls back to the HTTP status for bodies it does not understand', async () => {
    expect(await createApiClient('http://hub', fetchReturning(401, 'nope')).me('t')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(
      await createApiClient('http://hub', fetchReturning(500, { error: { code: 'WAT', message: '' } })).me(
        't',
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('reports an unreachable hub as UNAVAILABLE and a malformed answer as INTERNAL', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await createApiClient('http://hub', offline).me('t')).toMatchObject({
      error: { code: 'UNAVAILABLE' },
    });
    expect(await createApiClient('http://hub', fetchReturning(200, { user })).me('t')).toMatchObject({
      error: { code: 'INTERNAL' },
    });
  });

  it('sends the token as a Bearer header to /me', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const me = {
      user,
      site,
      status: { userId: 'u1', state: 'offline', reasonCodeId: null, since: 'x' },
      reasonCodes: [],
    };
    expect((await createApiClient('http://hub', fetchReturning(200, me, seen)).me('abc')).ok).toBe(true);
    expect(seen.url).toBe('http://hub/api/v1/me');
    expect(seen.init?.headers).toEqual({ Authorization: 'Bearer abc' });
  });
});

describe('api client: what the hub is, and the boards', () => {
  it('reads /healthz at the hub root (not under /api/v1) without a token', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const health = { status: 'ok', role: 'hq', db: 'sqlite', version: '0.1.0' };
    const result = await createApiClient('http://hq:7300', fetchReturning(200, health, seen)).health();
    expect(result).toEqual({ ok: true, value: health });
    expect(seen.url).toBe('http://hq:7300/healthz');
    expect(seen.init?.headers ?? {}).not.toHaveProperty('Authorization');
  });

  it("reads today's KPIs and HQ's board with the token, and refuses a board of the wrong shape", async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const kpis = kpisFixture();
    expect(await createApiClient('http://hub', fetchReturning(200, kpis, seen)).kpisToday('abc')).toEqual({
      ok: true,
      value: kpis,
    });
    expect(seen.url).toBe('http://hub/api/v1/reports/kpis');
    expect(seen.init?.headers).toEqual({ Authorization: 'Bearer abc' });

    const board = { at: '2026-11-23T01:00:00.000Z', sites: [], total: { byState: {}, kpis } };
    expect(await createApiClient('http://hq', fetchReturning(200, board, seen)).hqBoard('t')).toEqual({
      ok: true,
      value: board,
    });
    expect(seen.url).toBe('http://hq/api/v1/hq/board');
    const bad = await createApiClient('http://hq', fetchReturning(200, { at: 1 })).hqBoard('t');
    expect(bad).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('normalizeHubUrl', () => {
  it.each([
    ['http://127.0.0.1:7411/desk/', 'http://127.0.0.1:7411'],
    ['  hub.example.co.kr ', 'https://hub.example.co.kr'],
    ['https://hub:8443', 'https://hub:8443'],
    ['ftp://hub', null],
    ['', null],
    ['javascript:alert(1)', null],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHubUrl(input)).toBe(expected);
  });
});
