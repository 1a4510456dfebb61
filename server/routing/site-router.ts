/**
 * One site's ACD in the hub: the pure routing core (`./core`) driven by the
 * real clock, with every decision persisted before anyone is told about it.
 *
 * Each step runs the core, takes its decisions and events, and writes them —
 * work item rows, agent states, desk events, today's counters — in the same
 * transaction as the command that caused them. Steps are serialised per site
 * (one engine, one writer) and the lock is always taken before a transaction
 * opens, so the core and the database never disagree. If a write fails the
 * engine is rebuilt from the database, which is the truth.
 */
import type { AgentStateName, Channel } from '@shared/domain';
import type { SiteEventPayloads, SiteEventType } from '@shared/kpis';
import type { OfferWithdrawReason, RoutingStats, WorkItemView, WorkStatus } from '@shared/protocol';
import { changeState } from '../agents/agent-state';
import type { HubContext } from '../context';
import { SUPERVISING_ROLES } from '../context';
import type { Db } from '../storage/database';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { newId } from '../storage/ids';
import { toConversation } from '../storage/rows';
import type { WorkItemsTable } from '../storage/schema';
import type { Selectable } from 'kysely';
import { RoutingEngine, type RoutingEvent, type RoutingSnapshot } from './core';
import { loadRoutingConfig } from './routing-config-loader';
import { koreanDate as today } from '../reports/day';

/** Reason codes the router itself sets; created for a site that lacks them. */
export const SYSTEM_REASONS = { missed: '응대 누락', disconnected: '연결 끊김' } as const;

const LIVE: WorkStatus[] = ['waiting', 'offered', 'active', 'wrap_up'];
const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();

export function toWorkItemView(r: Selectable<WorkItemsTable>): WorkItemView {
  return {
    id: r.id,
    siteId: r.site_id,
    conversationId: r.conversation_id,
    customerId: r.customer_id,
    channel: r.channel as WorkItemView['channel'],
    queueId: r.queue_id,
    priority: Number(r.priority),
    vip: Number(r.vip) === 1,
    status: r.status as WorkStatus,
    agentId: r.agent_id,
    enqueuedAt: iso(r.enqueued_at)!,
    offerExpiresAt: iso(r.offer_expires_at),
    acceptedAt: iso(r.accepted_at),
    wrapUpUntil: iso(r.wrap_up_until),
  };
}

export type Sink = (siteId: string, stats: RoutingStats) => void;

export class SiteRouter {
  engine!: RoutingEngine;
  private lock: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private reasonIds = new Map<string, string>();
  private reasonCodes = new Map<string, string>();
  private readonly log;

  private constructor(
    private readonly ctx: HubContext,
    readonly siteId: string,
  ) {
    this.log = ctx.log.child({ module: 'routing', siteId });
  }

  static async open(ctx: HubContext, siteId: string): Promise<SiteRouter> {
    const router = new SiteRouter(ctx, siteId);
    await router.exclusive(() => router.rebuild());
    return router;
  }

  /** Runs `fn` alone for this site. Always taken before a transaction opens (see above). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Inside a transaction (and `exclusive`): runs `fn` on the core, makes the
   * decisions it allows, and writes everything that happened. Returns the
   * desk events to publish after commit.
   */
  async applyIn<T>(
    trx: Db,
    fn: (engine: RoutingEngine, now: number) => T,
  ): Promise<{ value: T; events: AppendedEvent[] }> {
    const now = Date.now();
    const value = fn(this.engine, now);
    this.engine.nextDecisions(now);
    const happened = this.engine.drainEvents();
    try {
      const events = await this.persist(trx, happened);
      await this.saveCounters(trx, now);
      return { value, events };
    } catch (err) {
      this.stale = true;
      throw err;
    }
  }

  /**
   * A step of its own: lock, transaction, publish, reschedule. `before` runs
   * in the transaction ahead of the core (e.g. the new item's row, which an
   * offer made in the same step must find).
   */
  step<T>(fn: (engine: RoutingEngine, now: number) => T, before?: (trx: Db) => Promise<void>): Promise<T> {
    return this.exclusive(async () => {
      try {
        const { value, events } = await this.ctx.db.transaction().execute(async (trx) => {
          if (before) await before(trx);
          return this.applyIn(trx, fn);
        });
        this.ctx.publisher.publish(events);
        return value;
      } finally {
        await this.afterStep();
      }
    });
  }

  /** Set when a write failed after the core moved: the next step rebuilds from the database first. */
  private stale = false;

  /** The core moved but its transaction will not commit: rebuild after this step. */
  markStale(): void {
    this.stale = true;
  }

  /** After every step (also a failed one): resync if needed, and arm the timer for the next due moment. */
  async afterStep(): Promise<void> {
    if (this.stale) {
      this.log.warn('routing state diverged from the database after a failed write; rebuilding');
      await this.rebuild();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const due = this.engine.nextDueAt();
    void this.nextScheduledDue().then((scheduled) => {
      if (this.closed) return;
      const next = Math.min(due ?? Infinity, scheduled ?? Infinity);
      if (next === Infinity) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.tick(), Math.max(0, Math.min(next - Date.now(), 2 ** 31 - 1)));
      this.timer.unref?.();
    });
  }

  private async nextScheduledDue(): Promise<number | undefined> {
    const row = await this.ctx.db
      .selectFrom('work_items')
      .select((eb) => eb.fn.min('due_at').as('due'))
      .where('site_id', '=', this.siteId)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }

  /** Timers due: offer timeouts, wrap-ups, overflow, max wait, scheduled callbacks reaching their time. */
  async tick(): Promise<void> {
    if (this.closed) return;
    try {
      const due = await this.ctx.db
        .selectFrom('work_items')
        .selectAll()
        .where('site_id', '=', this.siteId)
        .where('status', '=', 'scheduled')
        .where('due_at', '<=', Date.now())
        .orderBy('seq')
        .execute();
      await this.step(
        (engine, now) => {
          for (const r of due) engine.enqueue(this.coreItem(r, now), now);
        },
        async (trx) => {
          for (const r of due) {
            await trx
              .updateTable('work_items')
              .set({ status: 'waiting', queue_entered_at: Date.now() })
              .where('id', '=', r.id)
              .execute();
          }
        },
      );
    } catch (err) {
      this.log.error({ err }, 'routing tick failed');
    }
  }

  private coreItem(r: Selectable<WorkItemsTable>, now: number) {
    return {
      id: r.id,
      channel: r.channel as WorkItemView['channel'],
      queueId: r.queue_id,
      priority: Number(r.priority),
      vip: Number(r.vip) === 1,
      ...(r.complexity ? { complexity: r.complexity as 'simple' | 'complex' } : {}),
      enqueuedAt: Number(r.enqueued_at) || now,
      ...(r.customer_id ? { customerId: r.customer_id } : {}),
      ...(r.last_agent_id ? { lastAgentId: r.last_agent_id } : {}),
    };
  }

  /** Rebuilds the core from the database: config, live work in its order, today's counters, agent presence. */
  async rebuild(): Promise<void> {
    this.stale = false;
    await this.ensureSystemReasons();
    const config = await loadRoutingConfig(this.ctx.db, this.siteId);
    const now = Date.now();
    const rows = await this.ctx.db
      .selectFrom('work_items')
      .selectAll()
      .where('site_id', '=', this.siteId)
      .where('status', 'in', LIVE)
      .orderBy('seq')
      .execute();
    const queueIds = new Set(config.queues.map((q) => q.id));
    const agentIds = new Set(config.agents.map((a) => a.id));
    const orphans = rows.filter(
      (r) => !queueIds.has(r.queue_id) || (r.agent_id && !agentIds.has(r.agent_id) && r.status !== 'offered'),
    );
    const kept = rows.filter((r) => !orphans.includes(r));
    const counters = await this.ctx.db
      .selectFrom('routing_counters')
      .selectAll()
      .where('site_id', '=', this.siteId)
      .executeTakeFirst();
    const snapshot: RoutingSnapshot = {
      version: 1,
      at: now,
      seq: rows.reduce((m, r) => Math.max(m, Number(r.seq)), 0),
      items: kept.map((r) => ({
        item: { ...this.coreItem(r, now), queueId: r.original_queue_id },
        seq: Number(r.seq),
        queueId: r.queue_id,
        queueEnteredAt: Number(r.queue_entered_at),
        // An offer does not survive a restart: nobody's desk is ringing any more.
        ...((r.status === 'active' || r.status === 'wrap_up') && r.agent_id
          ? {
              agentId: r.agent_id,
              acceptedAt: Number(r.accepted_at ?? now),
              ...(r.status === 'wrap_up' && r.wrap_up_until !== null
                ? { wrapUpUntil: Number(r.wrap_up_until) }
                : {}),
            }
          : {}),
      })),
      counters:
        counters && counters.day === today(now)
          ? (JSON.parse(counters.counters_json) as RoutingSnapshot['counters'])
          : {},
    };
    for (const id of Object.keys(snapshot.counters)) if (!queueIds.has(id)) delete snapshot.counters[id];
    this.engine = RoutingEngine.restore(config, snapshot, { now, requireReachable: false });
    // Presence comes back from the agents' stored states; busy and wrap-up follow from their work.
    const statuses = await this.ctx.db
      .selectFrom('agent_status')
      .select(['user_id', 'state', 'reason_code_id'])
      .where('site_id', '=', this.siteId)
      .execute();
    const events = await this.ctx.db.transaction().execute(async (trx) => {
      for (const r of orphans) {
        await trx
          .updateTable('work_items')
          .set({ status: 'expired', ended_at: now })
          .where('id', '=', r.id)
          .execute();
        this.log.warn(
          { itemId: r.id, queueId: r.queue_id },
          'work item left its queue or agent behind; expired',
        );
      }
      const offered = kept.filter((r) => r.status === 'offered');
      for (const r of offered) {
        await trx
          .updateTable('work_items')
          .set({ status: 'waiting', agent_id: null, offer_expires_at: null })
          .where('id', '=', r.id)
          .execute();
      }
      return (
        await this.applyIn(trx, (engine, at) => {
          for (const s of statuses) {
            if (!agentIds.has(s.user_id)) continue;
            const presence =
              s.state === 'offline' ? 'offline' : s.state === 'not_ready' ? 'not_ready' : 'ready';
            if (presence === 'offline') continue;
            engine.agentStateChanged(
              s.user_id,
              presence,
              at,
              s.reason_code_id ? this.reasonCodes.get(s.reason_code_id) : undefined,
            );
          }
        })
      ).events;
    });
    this.ctx.publisher.publish(events);
    this.log.info({ waiting: kept.length, orphans: orphans.length }, 'routing ready');
  }

  private async ensureSystemReasons(): Promise<void> {
    for (const [code, label] of Object.entries(SYSTEM_REASONS)) {
      await this.ctx.db
        .insertInto('reason_codes')
        .values({ id: newId(), site_id: this.siteId, code, label, kind: 'not_ready' })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const reasons = await this.ctx.db
      .selectFrom('reason_codes')
      .select(['id', 'code'])
      .where('site_id', '=', this.siteId)
      .execute();
    this.reasonIds = new Map(reasons.map((r) => [r.code, r.id]));
    this.reasonCodes = new Map(reasons.map((r) => [r.id, r.code]));
  }

  /** The reason code string the core uses for a reason code id. */
  reasonCodeOf(id: string | null | undefined): string | undefined {
    return id ? this.reasonCodes.get(id) : undefined;
  }

  private async supervisors(trx: Db): Promise<string[]> {
    const rows = await trx
      .selectFrom('users')
      .select('id')
      .where('site_id', '=', this.siteId)
      .where('role', 'in', [...SUPERVISING_ROLES])
      .where('active', '=', 1)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Writes what the core did. */
  private async persist(trx: Db, happened: RoutingEvent[]): Promise<AppendedEvent[]> {
    const out: AppendedEvent[] = [];
    let supervisors: string[] | undefined;
    const item = (id: string) =>
      trx.selectFrom('work_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const set = (id: string, patch: Partial<Selectable<WorkItemsTable>>) =>
      trx.updateTable('work_items').set(patch).where('id', '=', id).execute();
    const slTarget = (queueId: string) =>
      this.engine.getConfig().queues.find((q) => q.id === queueId)?.slTargetSeconds ?? 0;
    /** A site-log event: for KPIs, timelines and HQ; no desk receives it. */
    const record = async <K extends SiteEventType>(type: K, payload: SiteEventPayloads[K], at: number) =>
      out.push(await appendEvent(trx, this.siteId, type, payload as never, [], at));
    const emit = async <
      K extends 'offer.created' | 'offer.withdrawn' | 'work.updated' | 'conversation.assigned',
    >(
      type: K,
      payload: Parameters<typeof appendEvent<K>>[3],
      audience: string[],
      at: number,
    ) => out.push(await appendEvent(trx, this.siteId, type, payload, audience, at));

    for (const e of happened) {
      switch (e.type) {
        case 'item.enqueued': {
          const row = await item(e.itemId);
          await record(
            'work.enqueued',
            {
              itemId: e.itemId,
              queueId: e.queueId,
              channel: row.channel as Channel,
              conversationId: row.conversation_id,
              slTargetSeconds: slTarget(e.queueId),
            },
            e.at,
          );
          break;
        }
        case 'item.offered': {
          await set(e.itemId, { status: 'offered', agent_id: e.agentId, offer_expires_at: e.expiresAt });
          const row = await item(e.itemId);
          const conv = row.conversation_id
            ? await trx
                .selectFrom('conversations as c')
                .leftJoin('customers as k', 'k.id', 'c.customer_id')
                .select(['c.subject', 'k.name'])
                .where('c.id', '=', row.conversation_id)
                .executeTakeFirst()
            : undefined;
          await emit(
            'offer.created',
            {
              item: toWorkItemView(row),
              expiresAt: iso(e.expiresAt)!,
              customerName: conv?.name ?? null,
              subject: conv?.subject ?? null,
            },
            [e.agentId],
            e.at,
          );
          break;
        }
        case 'offer.withdrawn':
          await set(e.itemId, { status: 'waiting', agent_id: null, offer_expires_at: null });
          await emit(
            'offer.withdrawn',
            { itemId: e.itemId, reason: e.reason as OfferWithdrawReason },
            [e.agentId],
            e.at,
          );
          break;
        case 'item.accepted':
        case 'item.picked': {
          await set(e.itemId, {
            status: 'active',
            agent_id: e.agentId,
            offer_expires_at: null,
            accepted_at: e.at,
            wait_ms: e.waitMs,
            queue_id: e.queueId,
          });
          const row = await item(e.itemId);
          await record(
            'work.answered',
            {
              itemId: e.itemId,
              queueId: e.queueId,
              agentId: e.agentId,
              waitMs: e.waitMs,
              slTargetSeconds: slTarget(e.queueId),
            },
            e.at,
          );
          supervisors ??= await this.supervisors(trx);
          await emit('work.updated', toWorkItemView(row), [e.agentId], e.at);
          if (row.conversation_id) {
            await trx
              .updateTable('conversations')
              .set({ assignee_id: e.agentId, queue_id: e.queueId, status: 'open' })
              .where('id', '=', row.conversation_id)
              .execute();
            const conv = await trx
              .selectFrom('conversations')
              .selectAll()
              .where('id', '=', row.conversation_id)
              .executeTakeFirstOrThrow();
            await emit('conversation.assigned', toConversation(conv), [e.agentId, ...supervisors], e.at);
          }
          break;
        }
        case 'item.overflowed':
          await set(e.itemId, { queue_id: e.toQueueId, queue_entered_at: e.at });
          await record(
            'work.overflowed',
            { itemId: e.itemId, fromQueueId: e.fromQueueId, toQueueId: e.toQueueId },
            e.at,
          );
          break;
        case 'item.expired':
        case 'item.abandoned':
          await set(e.itemId, {
            status: e.type === 'item.expired' ? 'expired' : 'abandoned',
            agent_id: null,
            offer_expires_at: null,
            ended_at: e.at,
            wait_ms: e.waitMs,
          });
          if (e.type === 'item.expired') {
            await record('work.expired', { itemId: e.itemId, queueId: e.queueId, waitMs: e.waitMs }, e.at);
          } else {
            const sl = slTarget(e.queueId);
            await record(
              'work.abandoned',
              { itemId: e.itemId, queueId: e.queueId, waitMs: e.waitMs, slTargetSeconds: sl },
              e.at,
            );
          }
          break;
        case 'item.transferred':
          // The overflow module logs `work.transferred` with where it went, in this transaction.
          await set(e.itemId, { status: 'transferred', ended_at: e.at, wait_ms: e.waitMs });
          break;
        case 'item.requeued':
          await set(e.itemId, { status: 'waiting', agent_id: null, accepted_at: null, wrap_up_until: null });
          break;
        case 'item.completed': {
          const before = await item(e.itemId);
          // ended_at marks the end of handling; wrap-up is measured from it.
          await set(e.itemId, { status: 'wrap_up', wrap_up_until: e.wrapUpUntil, ended_at: e.at });
          await record(
            'work.completed',
            {
              itemId: e.itemId,
              agentId: e.agentId,
              handleMs: Math.max(0, e.at - Number(before.accepted_at ?? e.at)),
            },
            e.at,
          );
          await emit('work.updated', toWorkItemView(await item(e.itemId)), [e.agentId], e.at);
          break;
        }
        case 'item.released': {
          const before = await item(e.itemId);
          const completedAt =
            before.status === 'wrap_up' && before.ended_at !== null ? Number(before.ended_at) : e.at;
          await set(e.itemId, { status: 'done', ended_at: completedAt });
          await record(
            'work.released',
            { itemId: e.itemId, agentId: e.agentId, wrapMs: Math.max(0, e.at - completedAt) },
            e.at,
          );
          await emit('work.updated', toWorkItemView(await item(e.itemId)), [e.agentId], e.at);
          break;
        }
        case 'agent.state_changed': {
          const reasonId =
            e.state === 'not_ready' ? (this.reasonIds.get(e.reason ?? 'missed') ?? null) : null;
          const r = await changeState(trx, this.siteId, e.agentId, e.state as AgentStateName, reasonId, {
            enforce: false,
            now: e.at,
          });
          out.push(...r.events);
          break;
        }
      }
    }
    return out;
  }

  private async saveCounters(trx: Db, now: number): Promise<void> {
    const counters = JSON.stringify(this.engine.snapshot().counters);
    await trx
      .insertInto('routing_counters')
      .values({ site_id: this.siteId, day: today(now), counters_json: counters })
      .onConflict((oc) => oc.column('site_id').doUpdateSet({ day: today(now), counters_json: counters }))
      .execute();
  }

  /** The wallboard numbers now. */
  async stats(): Promise<RoutingStats> {
    const now = Date.now();
    if (today(now) !== today(now - 1000)) this.engine.resetDailyStats(now);
    const names = new Map(
      (
        await this.ctx.db
          .selectFrom('queues')
          .select(['id', 'name'])
          .where('site_id', '=', this.siteId)
          .execute()
      ).map((q) => [q.id, q.name]),
    );
    return {
      siteId: this.siteId,
      at: iso(now)!,
      queues: this.engine.queueStats(now).map((q) => ({
        queueId: q.queueId,
        name: names.get(q.queueId) ?? q.queueId,
        waiting: q.waiting,
        longestWaitSeconds: q.longestWaitSeconds,
        offered: q.offered,
        answered: q.answered,
        abandoned: q.abandoned,
        serviceLevel: q.serviceLevel,
        asaSeconds: q.asaSeconds,
        agentsLoggedIn: q.agentsLoggedIn,
      })),
      agents: this.engine.agentStats(now).map((a) => ({
        agentId: a.agentId,
        state: a.state,
        ...(a.reason ? { reason: a.reason } : {}),
        secondsInState: a.secondsInState,
        load: a.load,
        items: a.items,
      })),
    };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
