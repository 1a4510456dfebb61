/**
 * KPIs from the event log (docs/kpis.md has every formula). `computeKpis` is
 * pure: it folds a period's events, so a site and HQ — which holds the
 * site's replicated log — compute identical figures from identical events.
 */
import type { Kpis } from '@shared/kpis';
import type { SiteEventPayloads } from '@shared/kpis';
import type { Db } from '../storage/database';

export interface LogEvent {
  siteId: string;
  seq: number;
  type: string;
  payload: unknown;
  at: number;
}

const round = (v: number, places = 1) => Math.round(v * 10 ** places) / 10 ** places;
const avgSeconds = (msList: number[]) =>
  msList.length === 0 ? null : round(msList.reduce((a, b) => a + b, 0) / msList.length / 1000);

interface CallRecordLike {
  id: string;
  /** Set on a consultation call: its time is already the customer call's hold time. */
  consultOf?: string | null;
  endedAt: number | null;
  talkMs: number | null;
  holdMs: number;
  wrapUpMs: number | null;
}
interface StateLike {
  userId: string;
  state: string;
}
interface MessageLike {
  conversationId: string;
  direction: string;
}
interface SurveyLike {
  csat?: number | null;
  nps?: number | null;
  ces?: number | null;
}

/** Folds the events of one period (already filtered to [from, to) and ordered by site, seq). */
export function computeKpis(events: LogEvent[], from: number, to: number): Kpis {
  let offered = 0;
  let answered = 0;
  let abandoned = 0;
  let expired = 0;
  let withinTarget = 0;
  let abandonedAfterTarget = 0;
  const byChannel: Record<string, number> = {};
  const waits: number[] = [];
  const handle = new Map<string, number>();
  const handleTimes: number[] = [];
  const enqueuedAt = new Map<string, { at: number; conversationId: string | null }>();
  const firstResponse: number[] = [];
  const waitingForReply = new Map<string, number>();
  const resolution: number[] = [];
  const calls = new Map<string, CallRecordLike>();
  const lastState = new Map<string, { state: string; at: number }>();
  const stateMs: Record<string, number> = {};
  const surveys: SurveyLike[] = [];

  const addState = (userId: string, at: number) => {
    const prev = lastState.get(userId);
    if (prev) stateMs[prev.state] = (stateMs[prev.state] ?? 0) + Math.max(0, at - prev.at);
  };

  for (const e of events) {
    const p = e.payload as Record<string, unknown>;
    switch (e.type) {
      case 'work.enqueued': {
        const w = p as unknown as SiteEventPayloads['work.enqueued'];
        offered++;
        byChannel[w.channel] = (byChannel[w.channel] ?? 0) + 1;
        enqueuedAt.set(w.itemId, { at: e.at, conversationId: w.conversationId });
        if (w.conversationId) waitingForReply.set(w.conversationId, e.at);
        break;
      }
      case 'work.answered': {
        const w = p as unknown as SiteEventPayloads['work.answered'];
        answered++;
        waits.push(w.waitMs);
        if (w.waitMs <= w.slTargetSeconds * 1000) withinTarget++;
        break;
      }
      case 'work.abandoned': {
        const w = p as unknown as SiteEventPayloads['work.abandoned'];
        abandoned++;
        if (w.waitMs > w.slTargetSeconds * 1000) abandonedAfterTarget++;
        break;
      }
      case 'work.expired':
        expired++;
        break;
      case 'work.completed': {
        const w = p as unknown as SiteEventPayloads['work.completed'];
        handle.set(w.itemId, w.handleMs);
        break;
      }
      case 'work.released': {
        const w = p as unknown as SiteEventPayloads['work.released'];
        const h = handle.get(w.itemId);
        if (h !== undefined) handleTimes.push(h + w.wrapMs);
        const entered = enqueuedAt.get(w.itemId);
        if (entered) resolution.push(e.at - entered.at);
        break;
      }
      case 'message.created': {
        const m = p as unknown as MessageLike;
        const since = waitingForReply.get(m.conversationId);
        if (m.direction === 'out' && since !== undefined) {
          firstResponse.push(e.at - since);
          waitingForReply.delete(m.conversationId);
        }
        break;
      }
      case 'agent.state_changed': {
        const s = p as unknown as StateLike;
        addState(s.userId, e.at);
        lastState.set(s.userId, { state: s.state, at: e.at });
        break;
      }
      case 'survey.answered':
        surveys.push(p as SurveyLike);
        break;
      default:
        // Every step of a call carries the whole call record; the last one wins.
        if (e.type.startsWith('call.')) {
          const c = p as unknown as CallRecordLike;
          if (c && typeof c.id === 'string') calls.set(c.id, c);
        }
    }
  }
  // States still running at the end of the period count up to its end (or the last event).
  const end = Math.min(to, Math.max(from, ...events.map((e) => e.at)));
  for (const userId of lastState.keys()) addState(userId, end);

  let talk = 0;
  let hold = 0;
  let wrap = 0;
  let ended = 0;
  for (const c of calls.values()) {
    // A consultation happens while the customer's call is on hold: counting it too would count that time twice.
    if (c.endedAt === null || c.talkMs === null || c.consultOf) continue;
    ended++;
    talk += c.talkMs;
    hold += c.holdMs;
    wrap += c.wrapUpMs ?? 0;
    handleTimes.push(c.talkMs + c.holdMs + (c.wrapUpMs ?? 0));
  }
  const working = (stateMs.busy ?? 0) + (stateMs.wrap_up ?? 0);
  const available = working + (stateMs.ready ?? 0);
  const scores = (k: keyof SurveyLike) =>
    surveys.map((s) => s[k]).filter((v): v is number => typeof v === 'number');
  const csat = scores('csat');
  const nps = scores('nps');
  const ces = scores('ces');
  const slBase = answered + abandonedAfterTarget;
  const ended_ = answered + abandoned;

  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    offered,
    answered,
    abandoned,
    expired,
    byChannel,
    ahtSeconds: avgSeconds(handleTimes),
    asaSeconds: avgSeconds(waits),
    serviceLevel: slBase === 0 ? null : round(withinTarget / slBase, 4),
    abandonRate: ended_ === 0 ? null : round(abandoned / ended_, 4),
    firstResponseSeconds: avgSeconds(firstResponse),
    resolutionSeconds: avgSeconds(resolution),
    occupancy: available === 0 ? null : round(working / available, 4),
    calls: {
      count: ended,
      talkSeconds: round(talk / 1000),
      holdSeconds: round(hold / 1000),
      wrapUpSeconds: round(wrap / 1000),
    },
    // CSAT: share of 4–5 answers on 1–5; NPS: promoters − detractors on 0–10; CES: mean of 1–7.
    csat: csat.length === 0 ? null : round(csat.filter((v) => v >= 4).length / csat.length, 4),
    nps:
      nps.length === 0
        ? null
        : round(
            ((nps.filter((v) => v >= 9).length - nps.filter((v) => v <= 6).length) / nps.length) * 100,
            1,
          ),
    ces: ces.length === 0 ? null : round(ces.reduce((a, b) => a + b, 0) / ces.length, 2),
    surveys: surveys.length,
  };
}

/** Reads the sites' events in [from, to) and computes their KPIs together. */
export async function kpisFor(db: Db, siteIds: string[], from: number, to: number): Promise<Kpis> {
  if (siteIds.length === 0) return computeKpis([], from, to);
  const rows = await db
    .selectFrom('events')
    .select(['site_id', 'seq', 'type', 'payload', 'at'])
    .where('site_id', 'in', siteIds)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('site_id')
    .orderBy('seq')
    .execute();
  return computeKpis(
    rows.map((r) => ({
      siteId: r.site_id,
      seq: Number(r.seq),
      type: r.type,
      payload: JSON.parse(r.payload) as unknown,
      at: Number(r.at),
    })),
    from,
    to,
  );
}
