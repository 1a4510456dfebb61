/**
 * The append-only event log (DESIGN principle 1) and its per-user fan-out.
 *
 * `appendEvent` runs inside the caller's transaction: it takes the site's next
 * `seq`, writes the event, and gives each user in the audience their own next
 * `seq` in `user_feed`. The desk's cursor is that per-user seq, so replay after
 * a reconnect is one indexed range read. Because it all commits together, an
 * event is either in the log and every feed, or nowhere.
 */
import type { SiteEventPayloads, SiteEventType } from '@shared/kpis';
import type { DeskEvent, DeskEventPayloads, DeskEventType } from '@shared/protocol';
import type { Db } from './database';

export interface Delivery {
  userId: string;
  event: DeskEvent;
}

export interface AppendedEvent {
  siteId: string;
  seq: number;
  type: string;
  at: number;
  deliveries: Delivery[];
}

/**
 * The counters below bump a row and return the new value in one statement. An upsert,
 * not update-then-insert: on PostgreSQL two transactions creating the first
 * row at once would otherwise collide on the primary key (READ COMMITTED sees
 * neither insert), and the row lock the upsert takes serialises later bumps.
 */
async function nextSiteSeq(trx: Db, siteId: string): Promise<number> {
  const row = await trx
    .insertInto('site_counters')
    .values({ site_id: siteId, last_seq: 1 })
    .onConflict((oc) =>
      oc.column('site_id').doUpdateSet((eb) => ({ last_seq: eb('site_counters.last_seq', '+', 1) })),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

async function nextUserSeq(trx: Db, userId: string): Promise<number> {
  const row = await trx
    .insertInto('user_cursors')
    .values({ user_id: userId, last_seq: 1 })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({ last_seq: eb('user_cursors.last_seq', '+', 1) })),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

type LogPayloads = DeskEventPayloads & SiteEventPayloads;

/**
 * Appends one event; `audience` are the user ids whose desks receive it. A
 * site-log event (`SiteEventPayloads`) has an empty audience: it is for
 * KPIs, timelines and HQ, not for desks.
 */
export async function appendEvent<K extends DeskEventType | SiteEventType>(
  trx: Db,
  siteId: string,
  type: K,
  payload: LogPayloads[K],
  audience: Iterable<string>,
  now: number = Date.now(),
): Promise<AppendedEvent> {
  const seq = await nextSiteSeq(trx, siteId);
  await trx
    .insertInto('events')
    .values({ site_id: siteId, seq, type, payload: JSON.stringify(payload), at: now })
    .execute();
  const deliveries: Delivery[] = [];
  const at = new Date(now).toISOString();
  for (const userId of new Set(audience)) {
    const userSeq = await nextUserSeq(trx, userId);
    await trx
      .insertInto('user_feed')
      .values({ user_id: userId, seq: userSeq, site_id: siteId, event_seq: seq })
      .execute();
    deliveries.push({ userId, event: { seq: userSeq, type, payload, at } as DeskEvent });
  }
  return { siteId, seq, type, at: now, deliveries };
}

/** The newest per-user seq, 0 when the user has had no event yet. */
export async function headSeq(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('user_cursors')
    .select('last_seq')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? Number(row.last_seq) : 0;
}

/** Events for a user after `afterSeq`, oldest first, at most `limit`. */
export async function readFeed(
  db: Db,
  userId: string,
  afterSeq: number,
  limit: number,
): Promise<DeskEvent[]> {
  const rows = await db
    .selectFrom('user_feed as f')
    .innerJoin('events as e', (j) =>
      j.onRef('e.site_id', '=', 'f.site_id').onRef('e.seq', '=', 'f.event_seq'),
    )
    .select(['f.seq', 'e.type', 'e.payload', 'e.at'])
    .where('f.user_id', '=', userId)
    .where('f.seq', '>', afterSeq)
    .orderBy('f.seq')
    .limit(limit)
    .execute();
  return rows.map(
    (r) =>
      ({
        seq: Number(r.seq),
        type: r.type,
        payload: JSON.parse(r.payload) as unknown,
        at: new Date(Number(r.at)).toISOString(),
      }) as DeskEvent,
  );
}

/** Reads a site's log after a cursor (replication to HQ, KPIs, timelines). */
export async function readSiteLog(db: Db, siteId: string, afterSeq: number, limit: number) {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    siteId: r.site_id,
    seq: Number(r.seq),
    type: r.type,
    payload: JSON.parse(r.payload) as unknown,
    at: new Date(Number(r.at)).toISOString(),
  }));
}
