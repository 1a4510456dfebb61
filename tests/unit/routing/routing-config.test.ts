import { describe, expect, it } from 'vitest';
import { parseRoutingConfig, RoutingEngine, validateRoutingConfig } from '../../../server/routing/core';

const agent = { id: 'a', skills: [{ skillId: 'support', level: 3 }] };
const queue = {
  id: 'q',
  channels: ['voice' as const],
  requiredSkills: [{ skillId: 'support', minLevel: 1 }],
};

function rules(input: unknown): string[] {
  const r = validateRoutingConfig(input);
  if (r.ok) return [];
  expect(r.error.code).toBe('VALIDATION_FAILED');
  return (r.error.details as { issues: { rule: string }[] }).issues.map((i) => i.rule);
}

describe('routing config validation', () => {
  it('accepts a sound config and fills in defaults', () => {
    const config = parseRoutingConfig({ queues: [queue], agents: [agent] });
    expect(config.queues[0]).toMatchObject({
      slTargetSeconds: 20,
      slTargetPercent: 80,
      offerTimeoutSeconds: 20,
    });
    expect(config.site).toMatchObject({ allowBlending: false });
  });

  it('refuses a queue nobody can serve', () => {
    const hard = { ...queue, requiredSkills: [{ skillId: 'french', minLevel: 2 }] };
    expect(rules({ queues: [hard], agents: [agent] })).toEqual(['unreachable_queue']);
    expect(validateRoutingConfig({ queues: [hard], agents: [agent] }, { requireReachable: false }).ok).toBe(
      true,
    );
  });

  it('refuses negative and absurd numbers', () => {
    expect(rules({ queues: [{ ...queue, slTargetSeconds: -5 }], agents: [agent] })).toEqual(['schema']);
    expect(rules({ queues: [{ ...queue, offerTimeoutSeconds: 1e9 }], agents: [agent] })).toEqual(['schema']);
    expect(
      rules({
        queues: [{ ...queue, requiredSkills: [{ skillId: 'support', minLevel: 9 }] }],
        agents: [agent],
      }),
    ).toEqual(['schema']);
    expect(
      rules({
        site: { capacityCost: { voice: 2, webchat: 0.3, email: 0.1, sms: 0.2, messenger: 0.3 } },
        queues: [queue],
        agents: [agent],
      }),
    ).toEqual(['schema']);
  });

  it('refuses unknown agents, unknown overflow targets, overflow loops and duplicates', () => {
    expect(rules({ queues: [{ ...queue, agentIds: ['ghost'] }], agents: [agent] })).toContain(
      'unknown_agent',
    );
    expect(
      rules({
        queues: [{ ...queue, overflow: { afterSeconds: 30, toQueueId: 'nowhere' } }],
        agents: [agent],
      }),
    ).toEqual(['unknown_queue']);
    const loop = [
      { ...queue, id: 'x', overflow: { afterSeconds: 30, toQueueId: 'y' } },
      { ...queue, id: 'y', overflow: { afterSeconds: 30, toQueueId: 'x' } },
    ];
    expect(rules({ queues: loop, agents: [agent] })).toEqual(['overflow_cycle']);
    expect(rules({ queues: [queue, queue], agents: [agent, agent] })).toEqual([
      'duplicate_id',
      'duplicate_id',
    ]);
    expect(
      rules({
        queues: [{ ...queue, maxWaitSeconds: 20, overflow: { afterSeconds: 30, toQueueId: 'q' } }],
        agents: [agent],
      }),
    ).toEqual(['overflow_after_max_wait', 'overflow_cycle']);
  });

  it('makes the engine refuse bad config and unknown ids with typed errors', () => {
    expect(() => new RoutingEngine({ queues: [{ ...queue, priority: -1 }], agents: [agent] })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', reason: 'INVALID_CONFIG' }),
    );
    const e = new RoutingEngine({ queues: [queue], agents: [agent] });
    expect(() => e.agentStateChanged('ghost', 'ready', 0)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => e.enqueue({ id: 'i', channel: 'voice', queueId: 'nope' }, 0)).toThrow(
      expect.objectContaining({ reason: 'UNKNOWN_QUEUE' }),
    );
    expect(() => e.enqueue({ id: 'i', channel: 'email', queueId: 'q' }, 0)).toThrow(
      expect.objectContaining({ reason: 'CHANNEL_NOT_IN_QUEUE' }),
    );
    e.enqueue({ id: 'i', channel: 'voice', queueId: 'q' }, 0);
    expect(() => e.enqueue({ id: 'i', channel: 'voice', queueId: 'q' }, 0)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', reason: 'DUPLICATE_ITEM' }),
    );
  });
});
