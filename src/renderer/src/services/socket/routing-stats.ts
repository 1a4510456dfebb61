/**
 * The wallboard snapshot (`routing.stats` frames and `GET /routing/stats`),
 * checked before it reaches a store. The shared protocol types it as an
 * interface; this schema is annotated with that type, so the two cannot drift.
 */
import { z } from 'zod';
import { AgentStateName } from '@shared/domain';
import type { RoutingStats } from '@shared/protocol';

export const RoutingStatsSchema: z.ZodType<RoutingStats> = z.object({
  siteId: z.string(),
  at: z.string(),
  queues: z.array(
    z.object({
      queueId: z.string(),
      name: z.string(),
      waiting: z.number(),
      longestWaitSeconds: z.number(),
      offered: z.number(),
      answered: z.number(),
      abandoned: z.number(),
      serviceLevel: z.number().nullable(),
      asaSeconds: z.number().nullable(),
      agentsLoggedIn: z.number(),
    }),
  ),
  agents: z.array(
    z.object({
      agentId: z.string(),
      state: AgentStateName,
      reason: z.string().optional(),
      secondsInState: z.number(),
      load: z.number(),
      items: z.number(),
    }),
  ),
});
