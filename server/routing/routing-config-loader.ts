/**
 * Builds the routing core's config for one site from the directory: queues
 * with their routing settings, the site's capacity budget, and every active
 * user who takes work (agents and supervisors) with their skills.
 */
import { QueueRouting, SiteRouting, type SkillLevel } from '@shared/domain';
import type { RoutingConfigInput } from './core';
import type { Db } from '../storage/database';

/** Roles that take routed work. */
export const ROUTED_ROLES = ['agent', 'supervisor'] as const;

export async function loadRoutingConfig(db: Db, siteId: string): Promise<RoutingConfigInput> {
  const site = await db
    .selectFrom('sites')
    .select('routing_json')
    .where('id', '=', siteId)
    .executeTakeFirstOrThrow();
  const queues = await db.selectFrom('queues').selectAll().where('site_id', '=', siteId).execute();
  const users = await db
    .selectFrom('users')
    .select(['id', 'skills_json'])
    .where('site_id', '=', siteId)
    .where('active', '=', 1)
    .where('role', 'in', [...ROUTED_ROLES])
    .execute();
  return {
    site: SiteRouting.parse(JSON.parse(site.routing_json || '{}')),
    queues: queues.map((q) => {
      const r = QueueRouting.parse(JSON.parse(q.routing_json || '{}'));
      return {
        id: q.id,
        channels: JSON.parse(q.channels_json) as RoutingConfigInput['queues'][number]['channels'],
        requiredSkills: JSON.parse(q.skills_json) as { skillId: string; minLevel: number }[],
        priority: Number(q.priority),
        slTargetSeconds: Number(q.sla_seconds),
        slTargetPercent: Math.max(1, Number(q.sla_target_pct)),
        maxWaitSeconds: r.maxWaitSeconds,
        overflow: r.overflow,
        wrapUpSeconds: r.wrapUpSeconds,
        offerTimeoutSeconds: r.offerTimeoutSeconds,
        stickyWindowSeconds: r.stickyWindowSeconds,
      };
    }),
    agents: users.map((u) => ({ id: u.id, skills: JSON.parse(u.skills_json) as SkillLevel[] })),
  };
}
