/**
 * The wait queue as plain JSON, so the hub can persist it and a restarted hub
 * picks up where it left off: same order (`seq`), same waiting times
 * (`enqueuedAt`), same assignments and today's counters.
 */
import { z } from 'zod';
import { CHANNELS } from '@shared/domain';
import { RoutingError } from './routing-error';

export const SNAPSHOT_VERSION = 1;

const Ms = z.number().finite();

const WorkItemSchema = z.object({
  id: z.string().min(1).max(128),
  channel: z.enum(CHANNELS),
  queueId: z.string().min(1).max(64),
  priority: z.number().finite(),
  vip: z.boolean(),
  complexity: z.enum(['simple', 'complex']).optional(),
  enqueuedAt: Ms,
  customerId: z.string().max(128).optional(),
  lastAgentId: z.string().max(64).optional(),
});

const CountersSchema = z.object({
  offered: z.number().int().min(0),
  answered: z.number().int().min(0),
  answeredWithinTarget: z.number().int().min(0),
  abandoned: z.number().int().min(0),
  abandonedAfterTarget: z.number().int().min(0),
  expired: z.number().int().min(0),
  overflowedOut: z.number().int().min(0),
  waitMsTotal: z.number().min(0),
});

export const RoutingSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  at: Ms,
  seq: z.number().int().min(0),
  items: z.array(
    z.object({
      item: WorkItemSchema,
      seq: z.number().int().min(0),
      queueId: z.string().min(1).max(64),
      queueEnteredAt: Ms,
      agentId: z.string().min(1).max(64).optional(),
      acceptedAt: Ms.optional(),
      wrapUpUntil: Ms.optional(),
    }),
  ),
  counters: z.record(z.string(), CountersSchema),
});

export type RoutingSnapshot = z.infer<typeof RoutingSnapshotSchema>;

export function parseSnapshot(input: unknown): RoutingSnapshot {
  const parsed = RoutingSnapshotSchema.safeParse(input);
  if (!parsed.success) {
    throw new RoutingError('BAD_SNAPSHOT', 'routing snapshot is malformed', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return parsed.data;
}
