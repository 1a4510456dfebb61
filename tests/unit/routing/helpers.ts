import { RoutingEngine, type RoutingConfigInput } from '../../../server/routing/core';

/** Seconds → ms, so scenarios read in the units people think in. */
export const s = (seconds: number) => seconds * 1000;

export const SUPPORT = { skillId: 'support', minLevel: 1 };

/** One voice+chat+email queue needing `support`, and agents with the given support levels. */
export function engineWith(
  levels: Record<string, number>,
  queue: Partial<RoutingConfigInput['queues'][number]> = {},
  site: Partial<NonNullable<RoutingConfigInput['site']>> = {},
  extraQueues: RoutingConfigInput['queues'] = [],
): RoutingEngine {
  return new RoutingEngine({
    site: {
      capacityCost: { voice: 1, webchat: 1 / 3, email: 1 / 10, sms: 1 / 5, messenger: 1 / 3 },
      allowBlending: false,
      rejectCooldownSeconds: 60,
      ...site,
    },
    queues: [
      { id: 'q', channels: ['voice', 'webchat', 'email'], requiredSkills: [SUPPORT], ...queue },
      ...extraQueues,
    ],
    agents: Object.entries(levels).map(([id, level]) => ({ id, skills: [{ skillId: 'support', level }] })),
  });
}

export const offerPairs = (engine: RoutingEngine, now: number) =>
  engine.nextDecisions(now).map((o) => `${o.itemId}→${o.agentId}`);
