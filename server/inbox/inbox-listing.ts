/**
 * The inbox list (`inbox.list`): conversations the actor may see, filtered by
 * scope, status, channel, queue and tag, newest activity first, in keyset
 * pages (`after` = the last row's activity and id), so a page is as fast at
 * row 40,000 as at row 0 and rows never repeat or go missing between pages.
 */
import type { InboxListCommand, InboxPage } from '@shared/inbox';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Actor, HubContext } from '../context';
import { checkScope, inboxCondition, viewerOf } from './inbox-scope';
import { queueSlaOf, queueSlaTable, selectItemRows, toInboxItems } from './inbox-items';

type Input = z.output<typeof InboxListCommand>;

const activity = sql<number>`coalesce(c.last_message_at, c.created_at)`;

export async function listInbox(ctx: HubContext, actor: Actor, q: Input): Promise<InboxPage> {
  checkScope(actor, q);
  const viewer = await viewerOf(ctx.db, actor);
  const where = inboxCondition(viewer, q);
  let query = selectItemRows(ctx.db).where(where);
  if (q.ids) query = query.where('c.id', 'in', q.ids);
  if (q.after) {
    const dot = q.after.indexOf('.');
    const at = Number(q.after.slice(0, dot));
    const id = q.after.slice(dot + 1);
    query = query.where(sql<boolean>`(${activity} < ${at} OR (${activity} = ${at} AND c.id < ${id}))`);
  }
  const rows = await query
    .orderBy(activity, 'desc')
    .orderBy('c.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const queueSla = await queueSlaOf(ctx.db, actor.siteId);
  const items = await toInboxItems(ctx.db, page, queueSla);

  // Counts only with the first page: the desk keeps them up to date from events.
  let total: number | null = null;
  let waiting: number | null = null;
  let choices: InboxPage['choices'] = null;
  if (!q.after && !q.ids) {
    choices = await filterChoices(ctx, actor.siteId);
    const counts = await ctx.db
      .selectFrom('conversations as c')
      .select([
        sql<number>`count(*)`.as('total'),
        sql<number>`sum(CASE WHEN c.waiting_since IS NOT NULL AND c.status <> 'resolved' THEN 1 ELSE 0 END)`.as(
          'waiting',
        ),
      ])
      .where(where)
      .executeTakeFirstOrThrow();
    total = Number(counts.total);
    waiting = Number(counts.waiting ?? 0);
  }
  const last = page.at(-1);
  return {
    items,
    nextCursor: more && last ? `${Number(last.last_message_at ?? last.created_at)}.${last.id}` : null,
    total,
    waiting,
    queueSla: queueSlaTable(queueSla),
    teamAgentIds: viewer.teamAgentIds,
    choices,
  };
}

/** How many distinct tags the tag filter offers at most. */
const TAG_CHOICES = 200;

async function filterChoices(ctx: HubContext, siteId: string): Promise<NonNullable<InboxPage['choices']>> {
  const [queues, tags] = await Promise.all([
    ctx.db
      .selectFrom('queues')
      .select(['id', 'name'])
      .where('site_id', '=', siteId)
      .orderBy('name')
      .execute(),
    ctx.db
      .selectFrom('conversation_tags')
      .select('tag')
      .distinct()
      .where('site_id', '=', siteId)
      .orderBy('tag')
      .limit(TAG_CHOICES)
      .execute(),
  ]);
  return { queues, tags: tags.map((t) => t.tag) };
}
