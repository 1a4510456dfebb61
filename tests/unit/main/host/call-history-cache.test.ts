/** The agent's recent calls in the desk's SQLite file: there at once after a restart, per hub and agent. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '@shared/telephony';
import { openLocalDb } from '../../../../src/main/host/local-db';
import { createLocalCache } from '../../../../src/main/host/local-cache';

const dir = mkdtempSync(join(tmpdir(), 'ieum-desk-calls-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const call = (n: number): CallRecord => ({
  id: `call-${n}`,
  callId: `sip-${n}`,
  agentId: 'u1',
  direction: 'inbound',
  remote: '+821012345678',
  remoteName: null,
  customerId: null,
  state: 'ended',
  offeredAt: 1_000 * n,
  answeredAt: 1_000 * n + 500,
  endedAt: 1_000 * n + 60_000,
  endReason: 'completed',
  ringMs: 500,
  talkMs: 59_500,
  holdMs: 0,
  wrapUpMs: null,
  dispositionId: null,
  note: null,
  workItemId: n === 1 ? 'item-1' : null,
  consultOf: null,
});

describe('call history in the local store', () => {
  it('keeps the latest calls across a restart, for that hub and agent only', async () => {
    const file = join(dir, 'desk.db');
    const scope = { hubUrl: 'http://hub.example:7300', userId: 'u1' };
    const first = openLocalDb(file);
    await createLocalCache(first.db).cacheCalls({ scope, items: [call(2), call(1)] });
    first.close();

    const again = openLocalDb(file);
    const cache = createLocalCache(again.db);
    expect(await cache.cachedCalls(scope)).toEqual({ ok: true, value: [call(2), call(1)] });
    expect(await cache.cachedCalls({ ...scope, userId: 'u2' })).toEqual({ ok: true, value: [] });
    // A snapshot a newer list replaces.
    await cache.cacheCalls({ scope, items: [call(3)] });
    expect((await cache.cachedCalls(scope)).ok && (await cache.cachedCalls(scope))).toMatchObject({
      value: [{ id: 'call-3' }],
    });
    again.close();
  });

  it('still reads calls an older desk cached, before consultations were recorded', async () => {
    const file = join(dir, 'old.db');
    const scope = { hubUrl: 'http://hub.example:7300', userId: 'u1' };
    const local = openLocalDb(file);
    const { consultOf: _absent, ...older } = call(1);
    await createLocalCache(local.db).cacheCalls({ scope, items: [older as CallRecord] });
    expect(await createLocalCache(local.db).cachedCalls(scope)).toEqual({ ok: true, value: [call(1)] });
    local.close();
  });
});
