import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallEventInput, CallRecord } from '@shared/telephony';
import { createCallReporter } from '@renderer/services/sip/call-reporter';

const record = (callId: string): CallRecord => ({
  id: `rec-${callId}`,
  callId,
  agentId: 'u1',
  direction: 'inbound',
  remote: '+821012345678',
  remoteName: null,
  customerId: null,
  state: 'answered',
  offeredAt: 1,
  answeredAt: 2,
  endedAt: null,
  endReason: null,
  ringMs: 1,
  talkMs: null,
  holdMs: 0,
  wrapUpMs: null,
  dispositionId: null,
  note: null,
  workItemId: null,
  consultOf: null,
});

/** A hub that is down for the first `downFor` requests, then records every step it gets. */
function hub(downFor: number) {
  const received: string[] = [];
  let calls = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      calls++;
      if (calls <= downFor) throw new TypeError('fetch failed');
      const event = JSON.parse(String(init.body)) as CallEventInput;
      received.push(event.type);
      return new Response(JSON.stringify(record(event.callId)), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    }),
  );
  return { received, tries: () => calls };
}

afterEach(() => vi.unstubAllGlobals());

describe('reporting calls while the hub restarts', () => {
  it('sends a step again, less and less often, until the hub is back, and keeps the steps in order', async () => {
    const h = hub(6);
    const waits: number[] = [];
    const reporter = createCallReporter('http://hub.test', 'token', {
      wait: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const first = reporter.report({ type: 'offered', callId: 'c1', at: 1, remote: '01012345678' });
    const second = reporter.report({ type: 'answered', callId: 'c1', at: 2 });
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(true);
    expect(h.received).toEqual(['offered', 'answered']);
    expect(waits).toEqual([500, 1_000, 2_000, 5_000, 10_000, 10_000]);
  });

  it('gives a step up after its patience, saying the hub is unavailable', async () => {
    const h = hub(Number.POSITIVE_INFINITY);
    const reporter = createCallReporter('http://hub.test', 'token', {
      retryDelaysMs: [1_000],
      patienceMs: 3_000,
      wait: () => Promise.resolve(),
    });
    const result = await reporter.report({ type: 'ended', callId: 'c2', at: 3 });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(h.tries()).toBe(4);
  });
});
