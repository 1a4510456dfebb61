/**
 * Who may see which conversations in the inbox, as one SQL condition on the
 * `conversations c` row. Every list and search query goes through here, with
 * the actor's own site: nobody lists another site's conversations, and only
 * supervising roles list the whole site (`all`).
 */
import type { InboxFilter } from '@shared/inbox';
import { type RawBuilder, sql } from 'kysely';
import { type Actor, isSupervising } from '../context';
import { forbidden } from '../errors';
import type { Db } from '../storage/database';

export interface Viewer {
  userId: string;
  siteId: string;
  teamId: string | null;
  teamAgentIds: string[];
}

export async function viewerOf(db: Db, actor: Actor): Promise<Viewer> {
  const me = await db
    .selectFrom('users')
    .select('team_id')
    .where('id', '=', actor.userId)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  const teamId = me?.team_id ?? null;
  const team = teamId
    ? await db
        .selectFrom('users')
        .select('id')
        .where('team_id', '=', teamId)
        .where('site_id', '=', actor.siteId)
        .execute()
    : [];
  return { userId: actor.userId, siteId: actor.siteId, teamId, teamAgentIds: team.map((u) => u.id) };
}

/** FORBIDDEN for a scope the role does not allow. */
export function checkScope(actor: Actor, filter: InboxFilter): void {
  if (filter.scope === 'all' && !isSupervising(actor))
    throw forbidden('only supervisors list every conversation');
}

/** The filter as one condition on alias `c`, the site always included. */
export function inboxCondition(viewer: Viewer, f: InboxFilter): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [sql`c.site_id = ${viewer.siteId}`];
  if (f.scope === 'mine') parts.push(sql`c.assignee_id = ${viewer.userId}`);
  else if (f.scope === 'unassigned') parts.push(sql`c.assignee_id IS NULL AND c.status <> 'resolved'`);
  else if (f.scope === 'team') {
    // No team: the team list is empty rather than everyone's.
    parts.push(
      viewer.teamId === null
        ? sql`1 = 0`
        : sql`c.assignee_id IN (SELECT u.id FROM users u WHERE u.team_id = ${viewer.teamId} AND u.site_id = ${viewer.siteId})`,
    );
  }
  if (f.status) parts.push(sql`c.status = ${f.status}`);
  if (f.channel) parts.push(sql`c.channel = ${f.channel}`);
  if (f.queueId) parts.push(sql`c.queue_id = ${f.queueId}`);
  if (f.tag)
    parts.push(
      sql`EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id AND t.tag = ${f.tag})`,
    );
  return sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}
