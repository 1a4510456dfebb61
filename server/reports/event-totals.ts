/**
 * Per-site totals of the event log by type. The same function runs at a site
 * and at HQ (over the replicated copy), which is how the group checks that HQ
 * has exactly what each site has: no event missing, none counted twice.
 */
import type { EventTotals } from '@shared/federation';
import type { Db } from '../storage/database';

export async function eventTotals(db: Db, siteId: string, upToSeq?: number): Promise<EventTotals> {
  let q = db
    .selectFrom('events')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('seq').as('last')])
    .where('site_id', '=', siteId);
  if (upToSeq !== undefined) q = q.where('seq', '<=', upToSeq);
  const rows = await q.groupBy('type').execute();
  const byType: Record<string, number> = {};
  let events = 0;
  let lastSeq = 0;
  for (const r of rows) {
    byType[r.type] = Number(r.n);
    events += Number(r.n);
    lastSeq = Math.max(lastSeq, Number(r.last ?? 0));
  }
  return { siteId, lastSeq, events, byType };
}
