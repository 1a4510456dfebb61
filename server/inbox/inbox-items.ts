/**
 * Conversation rows → inbox rows: the customer's name, the tags, the first
 * reply time and the SLA due times, with a fixed number of queries per page
 * (never one per row).
 */
import { Channel, type ConversationStatus, QueueRouting } from '@shared/domain';
import type { InboxItem } from '@shared/inbox';
import { type QueueSla, resolveSlaTargets, slaDue } from '@shared/sla';
import { type Selectable, sql } from 'kysely';
import type { Db } from '../storage/database';
import { iso, toConversation } from '../storage/rows';
import type { ConversationsTable } from '../storage/schema';

export type ItemRow = Selectable<ConversationsTable> & {
  customer_name: string | null;
  first_response_at: number | null;
};

/** Conversations `c` with the columns an inbox row needs; add conditions, order and limit. */
export function selectItemRows(db: Db) {
  return db
    .selectFrom('conversations as c')
    .leftJoin('customers as cu', 'cu.id', 'c.customer_id')
    .selectAll('c')
    .select('cu.name as customer_name')
    .select(
      sql<
        number | null
      >`(SELECT min(fr.created_at) FROM messages fr WHERE fr.conversation_id = c.id AND fr.direction = 'out')`.as(
        'first_response_at',
      ),
    );
}

/** Each queue's targets for its conversations' channel (queue setting, else the channel default). */
export async function queueSlaOf(db: Db, siteId: string): Promise<Map<string, QueueRouting['sla']>> {
  const queues = await db
    .selectFrom('queues')
    .select(['id', 'routing_json'])
    .where('site_id', '=', siteId)
    .execute();
  const out = new Map<string, QueueRouting['sla']>();
  for (const q of queues) {
    const parsed = QueueRouting.safeParse(JSON.parse(q.routing_json || '{}'));
    out.set(q.id, parsed.success ? parsed.data.sla : undefined);
  }
  return out;
}

/** The queue settings for the desk (unset queues left out: the channel default applies). */
export function queueSlaTable(queueSla: Map<string, QueueRouting['sla']>): Record<string, QueueSla> {
  return Object.fromEntries([...queueSla].filter(([, sla]) => sla !== undefined)) as Record<string, QueueSla>;
}

export async function toInboxItems(
  db: Db,
  rows: ItemRow[],
  queueSla: Map<string, QueueRouting['sla']>,
): Promise<InboxItem[]> {
  if (rows.length === 0) return [];
  const tagRows = await db
    .selectFrom('conversation_tags')
    .select(['conversation_id', 'tag'])
    .where(
      'conversation_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('tag')
    .execute();
  const tags = new Map<string, string[]>();
  for (const t of tagRows) tags.set(t.conversation_id, [...(tags.get(t.conversation_id) ?? []), t.tag]);
  return rows.map((r) => {
    const channel = Channel.catch('webchat').parse(r.channel);
    const sla = resolveSlaTargets(channel, r.queue_id ? queueSla.get(r.queue_id) : undefined);
    const firstResponseAt = r.first_response_at === null ? null : Number(r.first_response_at);
    const due = slaDue(
      {
        status: r.status as ConversationStatus,
        waitingSince: r.waiting_since === null ? null : Number(r.waiting_since),
        firstResponseAt,
      },
      sla,
    );
    return {
      ...toConversation(r),
      customerName: r.customer_name,
      tags: tags.get(r.id) ?? [],
      firstResponseAt: iso(firstResponseAt),
      sla,
      firstResponseDueAt: iso(due.firstResponseDueAt),
      nextResponseDueAt: iso(due.nextResponseDueAt),
    };
  });
}
