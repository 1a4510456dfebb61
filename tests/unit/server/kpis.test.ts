import { describe, expect, it } from 'vitest';
import { computeKpis, type LogEvent } from '../../../server/reports/kpis';

let seq = 0;
const ev = (type: string, at: number, payload: Record<string, unknown>): LogEvent => ({
  siteId: 's1',
  seq: ++seq,
  type,
  at,
  payload,
});
const T = 1_000_000;

describe('computeKpis', () => {
  it('computes volume, ASA, service level, abandon rate, AHT, first response, resolution and occupancy', () => {
    const events = [
      ev('agent.state_changed', T, { userId: 'a', state: 'ready' }),
      ev('work.enqueued', T, {
        itemId: 'i1',
        queueId: 'q',
        channel: 'webchat',
        conversationId: 'c1',
        slTargetSeconds: 20,
      }),
      ev('work.enqueued', T, {
        itemId: 'i2',
        queueId: 'q',
        channel: 'webchat',
        conversationId: null,
        slTargetSeconds: 20,
      }),
      ev('work.enqueued', T, {
        itemId: 'i3',
        queueId: 'q',
        channel: 'voice',
        conversationId: null,
        slTargetSeconds: 20,
      }),
      // i1 answered in 10 s (within 20 s), i2 after 40 s (late), i3 abandoned after 30 s (after target).
      ev('work.answered', T + 10_000, {
        itemId: 'i1',
        queueId: 'q',
        agentId: 'a',
        waitMs: 10_000,
        slTargetSeconds: 20,
      }),
      ev('agent.state_changed', T + 10_000, { userId: 'a', state: 'busy' }),
      ev('message.created', T + 25_000, { conversationId: 'c1', direction: 'out' }),
      ev('work.abandoned', T + 30_000, { itemId: 'i3', queueId: 'q', waitMs: 30_000, slTargetSeconds: 20 }),
      ev('work.answered', T + 40_000, {
        itemId: 'i2',
        queueId: 'q',
        agentId: 'a',
        waitMs: 40_000,
        slTargetSeconds: 20,
      }),
      ev('work.completed', T + 70_000, { itemId: 'i1', agentId: 'a', handleMs: 60_000 }),
      ev('agent.state_changed', T + 70_000, { userId: 'a', state: 'wrap_up' }),
      ev('work.released', T + 80_000, { itemId: 'i1', agentId: 'a', wrapMs: 10_000 }),
      ev('agent.state_changed', T + 80_000, { userId: 'a', state: 'ready' }),
      ev('call.ended', T + 90_000, {
        id: 'k1',
        endedAt: T + 90_000,
        talkMs: 50_000,
        holdMs: 10_000,
        wrapUpMs: null,
      }),
      ev('call.wrapped_up', T + 95_000, {
        id: 'k1',
        endedAt: T + 90_000,
        talkMs: 50_000,
        holdMs: 10_000,
        wrapUpMs: 5_000,
      }),
      // A consultation made while k1 was on hold: its time is k1's hold time, not another call.
      ev('call.ended', T + 85_000, {
        id: 'k2',
        consultOf: 'k1',
        endedAt: T + 85_000,
        talkMs: 8_000,
        holdMs: 0,
        wrapUpMs: null,
      }),
      ev('survey.answered', T + 96_000, { csat: 5, nps: 10, ces: 2 }),
      ev('survey.answered', T + 97_000, { csat: 2, nps: 3, ces: 4 }),
    ];
    const k = computeKpis(events, T, T + 100_000);
    expect(k).toMatchObject({
      offered: 3,
      answered: 2,
      abandoned: 1,
      expired: 0,
      byChannel: { webchat: 2, voice: 1 },
      asaSeconds: 25, // (10 + 40) / 2
      serviceLevel: 0.3333, // 1 within / (2 answered + 1 abandoned late)
      abandonRate: 0.3333,
      firstResponseSeconds: 25, // enqueued T, first reply T+25 s
      resolutionSeconds: 80, // enqueued T, released T+80 s
      ahtSeconds: 67.5, // chat 60+10 = 70 s, call 50+10+5 = 65 s
      calls: { count: 1, talkSeconds: 50, holdSeconds: 10, wrapUpSeconds: 5 },
      csat: 0.5,
      nps: 0,
      ces: 3,
      surveys: 2,
    });
    // ready 0–10 s and 80–97 s (last event), busy 10–70 s, wrap-up 70–80 s: (60 + 10) / (27 + 70).
    expect(k.occupancy).toBeCloseTo(70 / 97, 3);
  });

  it('gives nulls, not zeros or NaN, for a quiet period', () => {
    const k = computeKpis([], T, T + 1000);
    expect(k).toMatchObject({
      offered: 0,
      asaSeconds: null,
      serviceLevel: null,
      occupancy: null,
      csat: null,
    });
  });
});
