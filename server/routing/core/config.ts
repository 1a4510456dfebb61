/**
 * Routing configuration: zod schemas for its shape and ranges, then the checks
 * zod cannot express (references between queues and agents, unreachable
 * queues, overflow cycles). Bad config is refused whole, with every problem
 * listed, so an admin fixes it in one pass.
 */
import { z } from 'zod';
import { CHANNELS } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import { RoutingError } from './routing-error';
import type { RoutingConfig } from './types';

const DAY = 86_400;
const Id = z.string().min(1).max(64);
const seconds = (max: number) => z.number().finite().min(0).max(max);
const Level = z.number().int().min(1).max(5);

const QueueSchema = z.object({
  id: Id,
  channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length),
  requiredSkills: z
    .array(z.object({ skillId: Id, minLevel: Level }))
    .max(20)
    .default([]),
  priority: z.number().int().min(0).max(100).default(0),
  slTargetSeconds: seconds(DAY).default(20),
  slTargetPercent: z.number().min(1).max(100).default(80),
  maxWaitSeconds: seconds(7 * DAY)
    .positive()
    .nullable()
    .default(null),
  overflow: z
    .object({ afterSeconds: seconds(DAY).positive(), toQueueId: Id })
    .nullable()
    .default(null),
  wrapUpSeconds: seconds(3600).default(0),
  offerTimeoutSeconds: seconds(600).min(1).default(20),
  stickyWindowSeconds: seconds(DAY).default(0),
  handleSecondsHint: seconds(DAY).positive().optional(),
  agentIds: z.array(Id).max(10_000).optional(),
});

const AgentSchema = z.object({
  id: Id,
  skills: z.array(z.object({ skillId: Id, level: Level })).max(100),
  capacity: z.number().finite().positive().max(10).optional(),
});

const Cost = z.number().finite().positive().max(1);

export const DEFAULT_CAPACITY_COST = {
  voice: 1,
  webchat: 1 / 3,
  email: 1 / 10,
  sms: 1 / 5,
  messenger: 1 / 3,
};

const SiteSchema = z.object({
  capacityCost: z
    .object({ voice: Cost, webchat: Cost, email: Cost, sms: Cost, messenger: Cost })
    .default(DEFAULT_CAPACITY_COST),
  allowBlending: z.boolean().default(false),
  rejectCooldownSeconds: seconds(3600).default(60),
});

export const RoutingConfigSchema = z.object({
  site: SiteSchema.default({
    capacityCost: DEFAULT_CAPACITY_COST,
    allowBlending: false,
    rejectCooldownSeconds: 60,
  }),
  queues: z.array(QueueSchema).max(1000),
  agents: z.array(AgentSchema).max(50_000),
});

/** What callers may write: defaults filled in by validation. */
export type RoutingConfigInput = z.input<typeof RoutingConfigSchema>;

/** One problem found in a config: where, which rule, in words. */
export interface ConfigIssue {
  path: string;
  rule:
    | 'schema'
    | 'duplicate_id'
    | 'unknown_queue'
    | 'unknown_agent'
    | 'unreachable_queue'
    | 'overflow_cycle'
    | 'overflow_after_max_wait'
    /** Checked by the hub (RoutingService), not the core: remote overflow of channels no other site can answer. */
    | 'remote_overflow_channels';
  message: string;
}

export interface ValidateOptions {
  /**
   * Refuse queues no configured agent qualifies for (default true). The hub
   * may turn it off while a new site has queues but no agents yet.
   */
  requireReachable?: boolean;
}

/** Validates a routing config; `details.issues` lists every problem. */
export function validateRoutingConfig(input: unknown, options: ValidateOptions = {}): Result<RoutingConfig> {
  const parsed = RoutingConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issues: ConfigIssue[] = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      rule: 'schema',
      message: i.message,
    }));
    return fail('VALIDATION_FAILED', summary(issues), { issues });
  }
  const config = parsed.data as RoutingConfig;
  const issues = crossCheck(config, options.requireReachable ?? true);
  return issues.length > 0 ? fail('VALIDATION_FAILED', summary(issues), { issues }) : ok(config);
}

/** Like validateRoutingConfig, but throws a RoutingError (reason INVALID_CONFIG). */
export function parseRoutingConfig(input: unknown, options?: ValidateOptions): RoutingConfig {
  const result = validateRoutingConfig(input, options);
  if (!result.ok) throw new RoutingError('INVALID_CONFIG', result.error.message, result.error.details);
  return result.value;
}

function summary(issues: ConfigIssue[]): string {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `invalid routing config: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`;
}

function crossCheck(config: RoutingConfig, requireReachable: boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const queues = new Map<string, number>();
  config.queues.forEach((q, i) => {
    if (queues.has(q.id)) issues.push(dup(`queues.${i}.id`, 'queue', q.id));
    queues.set(q.id, i);
  });
  const agents = new Map<string, Map<string, number>>();
  config.agents.forEach((a, i) => {
    if (agents.has(a.id)) issues.push(dup(`agents.${i}.id`, 'agent', a.id));
    const skills = new Map<string, number>();
    a.skills.forEach((s, j) => {
      if (skills.has(s.skillId)) issues.push(dup(`agents.${i}.skills.${j}`, 'skill', s.skillId));
      skills.set(s.skillId, s.level);
    });
    agents.set(a.id, skills);
  });

  config.queues.forEach((q, i) => {
    const at = `queues.${i}`;
    if (q.overflow) {
      if (!queues.has(q.overflow.toQueueId)) {
        issues.push({
          path: `${at}.overflow.toQueueId`,
          rule: 'unknown_queue',
          message: `queue ${q.id} overflows to ${q.overflow.toQueueId}, which is not a configured queue`,
        });
      }
      if (q.maxWaitSeconds !== null && q.overflow.afterSeconds >= q.maxWaitSeconds) {
        issues.push({
          path: `${at}.overflow.afterSeconds`,
          rule: 'overflow_after_max_wait',
          message: `queue ${q.id} would drop work at ${q.maxWaitSeconds}s before it overflows at ${q.overflow.afterSeconds}s`,
        });
      }
    }
    (q.agentIds ?? []).forEach((id, j) => {
      if (!agents.has(id)) {
        issues.push({ path: `${at}.agentIds.${j}`, rule: 'unknown_agent', message: `unknown agent ${id}` });
      }
    });
    if (requireReachable) {
      const members = q.agentIds ? new Set(q.agentIds) : null;
      const reachable = [...agents].some(
        ([id, skills]) =>
          (!members || members.has(id)) &&
          q.requiredSkills.every((r) => (skills.get(r.skillId) ?? 0) >= r.minLevel),
      );
      if (!reachable) {
        const needs = q.requiredSkills.map((r) => `${r.skillId}≥${r.minLevel}`).join(', ') || 'membership';
        issues.push({
          path: `${at}.requiredSkills`,
          rule: 'unreachable_queue',
          message: `no agent can serve queue ${q.id} (needs ${needs})`,
        });
      }
    }
  });

  // An overflow chain that loops would move work around forever and never let it settle.
  const next = new Map(config.queues.map((q) => [q.id, q.overflow?.toQueueId]));
  const reported = new Set<string>();
  for (const start of next.keys()) {
    const seen = new Set<string>();
    let cur: string | undefined = start;
    while (cur !== undefined && !seen.has(cur)) {
      seen.add(cur);
      cur = next.get(cur);
    }
    if (cur === start && !reported.has(start)) {
      for (const id of seen) reported.add(id);
      issues.push({
        path: `queues.${queues.get(start)}.overflow`,
        rule: 'overflow_cycle',
        message: `overflow loops: ${[...seen, start].join(' → ')}`,
      });
    }
  }
  return issues;
}

function dup(path: string, what: string, id: string): ConfigIssue {
  return { path, rule: 'duplicate_id', message: `duplicate ${what} id ${id}` };
}
