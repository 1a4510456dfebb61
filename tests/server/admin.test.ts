import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';

let hub: TestHubInProcess;
let admin: string;
let manager: string;
let agent: string;
let busanSup: string;
beforeAll(async () => {
  hub = await startTestHub();
  [admin, manager, agent, busanSup] = await Promise.all(
    ['admin1', 'manager1', 'agent1', 'supervisor2'].map(async (u) => (await loginAs(hub.url, u)).token),
  );
});
afterAll(() => hub.stop());

type Err = { error: { code: string } };
const post = (path: string, token: string, body: unknown) =>
  api<Record<string, unknown> & Err>(hub.url, path, token, { method: 'POST', body: JSON.stringify(body) });

describe('admin API', () => {
  it('lists the two demo sites for a group admin and only its own for a site manager', async () => {
    const all = await api<{ code: string }[]>(hub.url, '/api/v1/admin/sites', admin);
    expect(all.body.map((s) => s.code).sort()).toEqual(['busan', 'seoul']);
    const own = await api<{ code: string }[]>(hub.url, '/api/v1/admin/sites', manager);
    expect(own.body.map((s) => s.code)).toEqual(['seoul']);
  });

  it('creates a team, a skill, a queue, codes and a canned response, and audits each change', async () => {
    const team = await post('/api/v1/admin/teams', manager, { name: '야간팀' });
    expect(team.status).toBe(201);
    expect((await post('/api/v1/admin/skills', manager, { name: '보험청구' })).status).toBe(201);
    const queue = await post('/api/v1/admin/queues', manager, {
      name: '보험 청구',
      channels: ['voice', 'webchat'],
      // No agent has the new skill yet, so requiring it would make the queue unreachable (routing.test.ts).
      skills: [],
      priority: 40,
      slaSeconds: 20,
      slaTargetPct: 80,
    });
    expect(queue.status).toBe(201);
    expect(queue.body).toMatchObject({ channels: ['voice', 'webchat'], slaSeconds: 20 });
    expect(
      (await post('/api/v1/admin/reason-codes', manager, { code: 'coach', label: '코칭', kind: 'not_ready' }))
        .status,
    ).toBe(201);
    expect((await post('/api/v1/admin/dispositions', manager, { code: 'sale', label: '판매' })).status).toBe(
      201,
    );
    expect(
      (
        await post('/api/v1/admin/canned-responses', manager, {
          shortcut: 'bye',
          title: '끝인사',
          body: '감사합니다',
        })
      ).status,
    ).toBe(201);
    const auditLog = await api<{ action: string }[]>(hub.url, '/api/v1/admin/audit-log', manager);
    const actions = auditLog.body.map((a) => a.action);
    for (const a of ['teams', 'skills', 'queues', 'reason-codes', 'dispositions', 'canned-responses']) {
      expect(actions).toContain(`admin.${a}.created`);
    }
  });

  it('creates a user who can log in, never returns the password, and refuses duplicates with 409', async () => {
    const created = await post('/api/v1/admin/users', manager, {
      username: 'agent9',
      displayName: '신입 상담원',
      role: 'agent',
      password: 'correct horse battery',
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toMatch(/password|argon/);
    expect((await loginAs(hub.url, 'agent9', 'correct horse battery')).user.role).toBe('agent');
    const dup = await post('/api/v1/admin/users', manager, {
      username: 'agent9',
      displayName: 'x',
      role: 'agent',
      password: 'another password',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
    const off = await api<{ active: boolean }>(
      hub.url,
      `/api/v1/admin/users/${created.body.id as string}`,
      manager,
      {
        method: 'PATCH',
        body: JSON.stringify({ active: false }),
      },
    );
    expect(off.body.active).toBe(false);
    const login = await api<Err>(hub.url, '/api/v1/auth/login', null, {
      method: 'POST',
      body: JSON.stringify({ username: 'agent9', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(401);
  });

  it('keeps sites apart: no reading or writing another site, no agent writes', async () => {
    const seoul = await api<{ id: string; code: string }[]>(hub.url, '/api/v1/admin/sites', admin);
    const seoulId = seoul.body.find((s) => s.code === 'seoul')!.id;
    const cross = await api<Err>(hub.url, `/api/v1/admin/teams?siteId=${seoulId}`, busanSup);
    expect(cross.status).toBe(403);
    const states = await api<Err>(hub.url, `/api/v1/admin/agent-states?siteId=${seoulId}`, busanSup);
    expect(states.status).toBe(403);
    const byAgent = await post('/api/v1/admin/teams', agent, { name: '몰래 만든 팀' });
    expect(byAgent.status).toBe(403);
    const agentRead = await api<Err>(hub.url, '/api/v1/admin/users', agent);
    expect(agentRead.status).toBe(403);
    const busanTeams = await api<{ name: string }[]>(hub.url, '/api/v1/admin/teams', busanSup);
    expect(busanTeams.body.map((t) => t.name)).toEqual(['부산 상담팀']);
  });

  it('validates bodies with typed errors and stores SQL-looking names literally', async () => {
    const bad = await post('/api/v1/admin/queues', manager, {
      name: '',
      channels: ['fax'],
      priority: 'high',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const name = "x'); DELETE FROM users; --";
    const ok = await post('/api/v1/admin/teams', manager, { name });
    expect(ok.body.name).toBe(name);
    expect((await loginAs(hub.url, 'agent1')).user).toBeTruthy();
  });

  it('serves an OpenAPI document describing the API', async () => {
    const doc = await api<{ openapi: string; paths: Record<string, unknown> }>(
      hub.url,
      '/api/v1/openapi.json',
      null,
    );
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/admin/users',
        '/api/v1/admin/agent-states',
        '/healthz',
      ]),
    );
  });

  it('answers unknown routes with a typed 404', async () => {
    const res = await api<Err>(hub.url, '/api/v1/nope', admin);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
