/**
 * Calls to a queue number as Kamailio drives them (`POST /api/v1/sip/route`,
 * the same one-line protocol the template speaks): the token, the agent
 * offered rings, ring-no-answer goes to the next agent and marks the first
 * not_ready(missed), a decline, the answer, the caller hanging up (abandoned),
 * nobody logged in, and the desk's hang-up and wrap-up finishing the work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '@shared/telephony';
import type { DeskEvent } from '@shared/protocol';
import { DEMO_QUEUE_NUMBERS } from '../../server/demo/seed';
import { routeToken } from '../../server/telephony/queue-calls';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { send, waitFor } from '../support/commands';

const SECRET = 'queue-calls-test-secret-0123456789';
const NUMBER = DEMO_QUEUE_NUMBERS.seoul!;
let hub: TestHubInProcess;
const sockets: DeskSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await hub?.stop();
});

let n = 0;
const cid = () => `qc-${Date.now()}-${++n}`;

async function ask(fields: Record<string, string | number>, token = routeToken(SECRET)) {
  const res = await fetch(`${hub.url}/api/v1/sip/route`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
  });
  return { status: res.status, line: (await res.text()).trim() };
}

async function readyDesk(username: string) {
  const { token, user } = await loginAs(hub.url, username);
  const socket = await connectDesk(hub.url, token);
  sockets.push(socket);
  const events: DeskEvent[] = [];
  socket.on('event', (e) => events.push(e));
  const r = await send(socket, 'agent.setState', { commandId: cid(), state: 'ready' });
  expect(r.ok).toBe(true);
  return { token, userId: user.id, events, socket };
}

async function workItem(id: string) {
  return hub.ctx.db.selectFrom('work_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function agentState(userId: string) {
  return hub.ctx.db
    .selectFrom('agent_status as s')
    .leftJoin('reason_codes as r', 'r.id', 's.reason_code_id')
    .select(['s.state', 'r.code'])
    .where('s.user_id', '=', userId)
    .executeTakeFirstOrThrow();
}

async function siteEvents(type: string) {
  return hub.ctx.db.selectFrom('events').select(['type', 'payload']).where('type', '=', type).execute();
}

describe('queue calls routed by the hub', () => {
  it('refuses a wrong token, and a number that is no queue', async () => {
    hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: 'ws://127.0.0.1:1' });
    const wrong = await ask({ event: 'new', callId: 'c1', number: NUMBER, caller: '01012345678' }, 'nope');
    expect(wrong.status).toBe(401);
    expect(await ask({ event: 'new', callId: 'c2', number: '9999', caller: 'x' })).toEqual({
      status: 200,
      line: 'reject 404 Not Found',
    });
    expect((await ask({ event: 'bogus' })).status).toBe(400);
    // A hub without hold music (no IEUM_RTPENGINE_NG / IEUM_HOLD_MUSIC): the caller waits in silence.
    const sdp = Buffer.from('v=0\r\nm=audio 40000 RTP/AVP 0\r\n').toString('base64');
    expect(await ask({ event: 'hold', callId: 'c3', fromTag: 'ft', sdp })).toEqual({
      status: 200,
      line: 'ok',
    });
  });

  it('says so when nobody is logged in, without queueing work', async () => {
    hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: 'ws://127.0.0.1:1' });
    const r = await ask({ event: 'new', callId: 'c1', number: NUMBER, caller: '01012345678', wait: 0 });
    expect(r.line).toBe('reject 480 No agent available');
    expect(await hub.ctx.db.selectFrom('work_items').selectAll().execute()).toHaveLength(0);
  });

  it('rings the agent offered; ring-no-answer goes to the next one (first missed); answered, hung up, wrapped up', async () => {
    hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: 'ws://127.0.0.1:1' });
    const a1 = await readyDesk('agent1');
    const a2 = await readyDesk('agent2');
    const first = await ask({ event: 'new', callId: 'sip-call-1', number: NUMBER, caller: '010-1234-5678' });
    const [verb, user, ringSeconds, itemId] = first.line.split(' ');
    expect(verb).toBe('ring');
    expect(user).toBe('agent1');
    // Kamailio's timer rings a little shorter than the offer lasts (20 s by default).
    expect(Number(ringSeconds)).toBeGreaterThanOrEqual(17);
    expect(Number(ringSeconds)).toBeLessThan(20);
    await waitFor(() => a1.events.some((e) => e.type === 'offer.created'), 'agent1 offered');
    // The same question again (a retry) gets the same answer, not a second call.
    const again = await ask({ event: 'new', callId: 'sip-call-1', number: NUMBER, caller: '010-1234-5678' });
    expect(again.line).toBe(first.line);

    // Kamailio's ring timer ran out on agent1 (408): agent2 rings, agent1 is not_ready(missed).
    const next = await ask({ event: 'next', item: itemId!, code: 408 });
    expect(next.line.split(' ').slice(0, 2)).toEqual(['ring', 'agent2']);
    expect(await agentState(a1.userId)).toEqual({ state: 'not_ready', code: 'missed' });

    // agent2's 200 OK through Kamailio: the work is theirs.
    expect((await ask({ event: 'answered', item: itemId! })).line).toBe('ok');
    expect(await workItem(itemId!)).toMatchObject({ status: 'active', agent_id: a2.userId });
    expect(await siteEvents('work.answered')).toHaveLength(1);

    // The desk's own call record, tied to the work by the X-Ieum-Item header.
    const report = (type: string, extra: Record<string, unknown> = {}) =>
      api<CallRecord>(hub.url, '/api/v1/calls/events', a2.token, {
        method: 'POST',
        body: JSON.stringify({ callId: 'desk-1', type, at: Date.now(), ...extra }),
      });
    const offered = await report('offered', { remote: '01012345678', workItemId: itemId });
    expect(offered.body.workItemId).toBe(itemId);
    await report('answered');
    await report('ended');
    const done = await workItem(itemId!);
    expect(done.status === 'wrap_up' || done.status === 'done').toBe(true);
    const dispositions = await api<{ id: string }[]>(hub.url, '/api/v1/calls/dispositions', a2.token);
    const wrapped = await api<CallRecord>(hub.url, `/api/v1/calls/${offered.body.id}/wrap-up`, a2.token, {
      method: 'POST',
      body: JSON.stringify({ dispositionId: dispositions.body[0]!.id, at: Date.now() }),
    });
    expect(wrapped.status).toBe(200);
    expect((await workItem(itemId!)).status).toBe('done');
    expect(await siteEvents('work.enqueued')).toHaveLength(1);
  });

  it('a decline keeps the call away from that agent; the caller hanging up is abandoned', async () => {
    hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: 'ws://127.0.0.1:1' });
    const a1 = await readyDesk('agent1');
    await readyDesk('agent2');
    const first = await ask({ event: 'new', callId: 'sip-call-2', number: NUMBER, caller: '0212345678' });
    const itemId = first.line.split(' ')[3]!;
    const next = await ask({ event: 'next', item: itemId, code: 486 });
    expect(next.line.split(' ').slice(0, 2)).toEqual(['ring', 'agent2']);
    // Declining is not missing: agent1 stays ready.
    expect((await agentState(a1.userId)).state).toBe('ready');
    expect((await ask({ event: 'abandoned', item: itemId })).line).toBe('ok');
    expect((await workItem(itemId)).status).toBe('abandoned');
    expect(await siteEvents('work.abandoned')).toHaveLength(1);
  });

  it('turns the caller away when nobody frees up in time (counted abandoned)', async () => {
    hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: 'ws://127.0.0.1:1' });
    await readyDesk('agent1');
    const first = await ask({ event: 'new', callId: 'sip-call-3', number: NUMBER, caller: '01000000000' });
    const itemId = first.line.split(' ')[3]!;
    const started = Date.now();
    const next = await ask({ event: 'next', item: itemId, code: 408, wait: 1 });
    expect(next.line).toBe('reject 480 No agent available');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await workItem(itemId)).status).toBe('abandoned');
  });
});
