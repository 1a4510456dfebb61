/**
 * The hub's routing: one SiteRouter per site, the entry points the rest of
 * the hub uses (new work, offers, agent presence, supervisor pick), and the
 * wallboard feed.
 */
import { z } from 'zod';
import { Channel, type Conversation, Id, QueueRouting } from '@shared/domain';
import { REMOTE_OVERFLOW_CHANNELS, overflowsAcrossSites } from '@shared/federation';
import type { RoutingStats, WorkItemView } from '@shared/protocol';
import type { Actor, HubContext } from '../context';
import { HubError, notFound } from '../errors';
import type { Db } from '../storage/database';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { toConversation } from '../storage/rows';
import { newId } from '../storage/ids';
import { isOpen, nextOpening } from './business-hours';
import { type ConfigIssue, validateRoutingConfig } from './core';
import { loadRoutingConfig } from './routing-config-loader';
import { SiteRouter, toWorkItemView } from './site-router';

/**
 * A queue whose remote overflow could never move anything: none of its
 * channels can be answered at another site (REMOTE_OVERFLOW_CHANNELS says
 * why). A mixed queue is fine: its SMS work moves, the rest stays.
 */
async function remoteOverflowIssues(db: Db, siteId: string): Promise<ConfigIssue[]> {
  const queues = await db
    .selectFrom('queues')
    .select(['name', 'channels_json', 'routing_json'])
    .where('site_id', '=', siteId)
    .orderBy('id')
    .execute();
  return queues.flatMap((q) => {
    const rule = QueueRouting.safeParse(JSON.parse(q.routing_json || '{}'));
    const channels = JSON.parse(q.channels_json) as Channel[];
    if (!rule.success || !rule.data.remoteOverflow || channels.some(overflowsAcrossSites)) return [];
    return [
      {
        path: `queues.${q.name}.routing.remoteOverflow`,
        rule: 'remote_overflow_channels' as const,
        message:
          `queue ${q.name} takes only ${channels.join(', ')}: no other site can answer these, ` +
          `remote overflow moves only ${REMOTE_OVERFLOW_CHANNELS.join(', ')}`,
      },
    ];
  });
}

export const NewWork = z
  .object({
    queueId: Id,
    channel: Channel,
    conversationId: Id.optional(),
    customerId: Id.optional(),
    priority: z.number().int().min(0).max(100).optional(),
    vip: z.boolean().default(false),
    complexity: z.enum(['simple', 'complex']).optional(),
  })
  .strict();
export type NewWork = z.input<typeof NewWork>;

export const EnqueueResult = z.object({
  status: z.enum(['queued', 'scheduled', 'closed']),
  item: z.unknown().nullable(),
  position: z.number().nullable(),
  ewtSeconds: z.number().nullable(),
  message: z.string().nullable(),
  opensAt: z.string().nullable(),
});
export interface EnqueueResult {
  status: 'queued' | 'scheduled' | 'closed';
  item: WorkItemView | null;
  position: number | null;
  ewtSeconds: number | null;
  /** The queue's out-of-hours message, when closed. */
  message: string | null;
  opensAt: string | null;
}

const STATS_EVERY_MS = 2000;

export class RoutingService {
  private readonly routers = new Map<string, SiteRouter>();
  private statsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: HubContext) {}

  async start(sink?: (siteId: string, stats: RoutingStats) => void): Promise<void> {
    const sites = await this.ctx.db.selectFrom('sites').select('id').execute();
    for (const s of sites) await this.router(s.id);
    if (sink) {
      this.statsTimer = setInterval(() => {
        for (const r of this.routers.values())
          void r
            .stats()
            .then((st) => sink(r.siteId, st))
            .catch(() => undefined);
      }, STATS_EVERY_MS);
      this.statsTimer.unref?.();
    }
  }

  stop(): void {
    clearInterval(this.statsTimer);
    for (const r of this.routers.values()) r.close();
  }

  async router(siteId: string): Promise<SiteRouter> {
    let r = this.routers.get(siteId);
    if (!r) {
      r = await SiteRouter.open(this.ctx, siteId);
      this.routers.set(siteId, r);
    }
    return r;
  }

  /** The directory changed (queues, users, settings): rebuild the site's engine from it. */
  async reload(siteId: string): Promise<void> {
    const r = await this.router(siteId);
    await r.exclusive(async () => {
      await r.rebuild();
      await r.afterStep();
    });
  }

  /**
   * Checks a directory change inside its transaction (`after`) against the
   * committed state (`before`): a queue nobody can serve, a dangling or
   * circular overflow, bad numbers are refused with every new problem listed.
   */
  async routingIssues(db: Db, siteId: string): Promise<ConfigIssue[]> {
    const result = validateRoutingConfig(await loadRoutingConfig(db, siteId), { requireReachable: true });
    const issues = result.ok ? [] : ((result.error.details as { issues?: ConfigIssue[] }).issues ?? []);
    return [...issues, ...(await remoteOverflowIssues(db, siteId))];
  }

  /**
   * Before a directory change: returns the check to run inside its
   * transaction. Only what the change breaks is refused; a problem the site
   * already had is not this change's fault. (The committed state is read
   * before the transaction opens: SQLite has one connection.)
   */
  async guardChange(siteId: string): Promise<(trx: Db) => Promise<void>> {
    const known = new Set(
      (await this.routingIssues(this.ctx.db, siteId)).map((i) => `${i.rule}|${i.message}`),
    );
    return async (trx) => {
      const added = (await this.routingIssues(trx, siteId)).filter(
        (i) => !known.has(`${i.rule}|${i.message}`),
      );
      if (added.length > 0) {
        this.ctx.log.warn({ siteId, issues: added }, 'routing change refused');
        throw new HubError('VALIDATION_FAILED', `invalid routing: ${added[0]!.message}`, { issues: added });
      }
    };
  }

  /**
   * New work for a queue. Open: it joins the queue now, in order, and the
   * answer says where it stands. Closed: the queue's out-of-hours rule — a
   * message only, or a callback / voicemail ticket that joins when it opens.
   */
  async enqueue(siteId: string, input: NewWork): Promise<EnqueueResult> {
    const work = NewWork.parse(input);
    const queue = await this.ctx.db
      .selectFrom('queues')
      .selectAll()
      .where('id', '=', work.queueId)
      .where('site_id', '=', siteId)
      .executeTakeFirst();
    if (!queue) throw notFound('queue');
    const channels = JSON.parse(queue.channels_json) as string[];
    if (!channels.includes(work.channel)) {
      throw new HubError('VALIDATION_FAILED', `queue does not take ${work.channel}`, { channels });
    }
    const routing = QueueRouting.parse(JSON.parse(queue.routing_json || '{}'));
    const now = Date.now();
    const open = isOpen(routing.hours, now);
    if (!open && routing.outOfHours.action === 'message') {
      return {
        status: 'closed',
        item: null,
        position: null,
        ewtSeconds: null,
        message: routing.outOfHours.message,
        opensAt: iso(nextOpening(routing.hours, now)),
      };
    }
    let customerId = work.customerId ?? null;
    if (work.conversationId) {
      const conv = await this.ctx.db
        .selectFrom('conversations')
        .select(['customer_id'])
        .where('id', '=', work.conversationId)
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      if (!conv) throw notFound('conversation');
      customerId ??= conv.customer_id;
      const live = await this.ctx.db
        .selectFrom('work_items')
        .select('id')
        .where('conversation_id', '=', work.conversationId)
        .where('status', 'in', ['scheduled', 'waiting', 'offered', 'active', 'wrap_up'])
        .executeTakeFirst();
      if (live)
        throw new HubError('CONFLICT', 'this conversation is already being routed', { itemId: live.id });
    }
    // Sticky routing: the customer's last agent, if any.
    const last = customerId
      ? await this.ctx.db
          .selectFrom('conversations')
          .select('assignee_id')
          .where('customer_id', '=', customerId)
          .where('assignee_id', 'is not', null)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined;
    const router = await this.router(siteId);
    const id = newId();
    const scheduled = !open;
    const dueAt = scheduled ? nextOpening(routing.hours, now) : null;
    const row = {
      id,
      site_id: siteId,
      seq: 0,
      conversation_id: work.conversationId ?? null,
      channel: work.channel,
      queue_id: queue.id,
      original_queue_id: queue.id,
      priority: work.priority ?? Number(queue.priority),
      vip: work.vip ? 1 : 0,
      complexity: work.complexity ?? null,
      customer_id: customerId,
      last_agent_id: last?.assignee_id ?? null,
      enqueued_at: now,
      queue_entered_at: now,
      status: scheduled ? 'scheduled' : 'waiting',
      agent_id: null,
      offer_expires_at: null,
      accepted_at: null,
      wrap_up_until: null,
      due_at: dueAt,
      wait_ms: null,
      ended_at: null,
    };
    const item = await router.step(
      (engine, at) => {
        if (scheduled) return;
        engine.enqueue(
          {
            id,
            channel: work.channel,
            queueId: queue.id,
            priority: row.priority,
            vip: work.vip,
            ...(work.complexity ? { complexity: work.complexity } : {}),
            enqueuedAt: at,
            ...(customerId ? { customerId } : {}),
            ...(row.last_agent_id ? { lastAgentId: row.last_agent_id } : {}),
          },
          at,
        );
      },
      async (trx) => {
        const max = await trx
          .selectFrom('work_items')
          .select((eb) => eb.fn.max('seq').as('m'))
          .where('site_id', '=', siteId)
          .executeTakeFirst();
        // Before the core runs, in the same transaction: an offer it makes at once finds the row.
        await trx
          .insertInto('work_items')
          .values({ ...row, seq: Number(max?.m ?? 0) + 1 })
          .execute();
      },
    );
    void item;
    const stored = await this.item(siteId, id);
    const pos = router.engine.position(id);
    return {
      status: scheduled ? 'scheduled' : 'queued',
      item: stored,
      position: pos?.position ?? null,
      ewtSeconds: pos?.ewtSeconds ?? null,
      message: scheduled ? routing.outOfHours.message : null,
      opensAt: iso(dueAt),
    };
  }

  async item(siteId: string, itemId: string): Promise<WorkItemView> {
    const row = await this.ctx.db
      .selectFrom('work_items')
      .selectAll()
      .where('id', '=', itemId)
      .where('site_id', '=', siteId)
      .executeTakeFirst();
    if (!row) throw notFound('work item');
    return toWorkItemView(row);
  }

  /** Where a waiting item stands: position in line and estimated wait. */
  async position(siteId: string, itemId: string) {
    const item = await this.item(siteId, itemId);
    const pos = (await this.router(siteId)).engine.position(itemId);
    return { item, position: pos?.position ?? null, ewtSeconds: pos?.ewtSeconds ?? null };
  }

  async waiting(siteId: string, queueId?: string): Promise<WorkItemView[]> {
    let q = this.ctx.db
      .selectFrom('work_items')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('status', 'in', ['waiting', 'offered', 'scheduled']);
    if (queueId) q = q.where('queue_id', '=', queueId);
    return (await q.orderBy('priority', 'desc').orderBy('seq').execute()).map(toWorkItemView);
  }

  /** The customer left before an agent took it (hung up, closed the chat). */
  async abandon(siteId: string, itemId: string): Promise<WorkItemView> {
    const item = await this.item(siteId, itemId);
    const router = await this.router(siteId);
    if (item.status === 'scheduled') {
      await this.ctx.db
        .updateTable('work_items')
        .set({ status: 'abandoned', ended_at: Date.now() })
        .where('id', '=', itemId)
        .execute();
    } else {
      await router.step((engine, now) => engine.abandon(itemId, now));
    }
    return this.item(siteId, itemId);
  }

  /**
   * Runs a routing change as part of an agent's command transaction: the
   * router's lock first, then the transaction (runCommand), then the timer.
   */
  async inCommand<T>(siteId: string, run: (router: SiteRouter) => Promise<T>): Promise<T> {
    const router = await this.router(siteId);
    return router.exclusive(async () => {
      try {
        return await run(router);
      } finally {
        await router.afterStep();
      }
    });
  }

  /** The agent's own presence, applied inside their command's transaction. */
  async presenceIn(
    trx: Db,
    router: SiteRouter,
    actor: Actor,
    state: 'offline' | 'ready' | 'not_ready' | 'wrap_up',
    reasonCodeId: string | null,
  ): Promise<AppendedEvent[]> {
    if (!router.engine.getAgent(actor.userId)) return [];
    const { events } = await router.applyIn(trx, (engine, now) => {
      if (state === 'wrap_up') return;
      engine.agentStateChanged(actor.userId, state, now, router.reasonCodeOf(reasonCodeId));
    });
    return events;
  }

  /**
   * The agent's last desk disconnected: offers ringing there are withdrawn
   * and go to the next agent, and the agent gets no new work until a desk is
   * back (not_ready, reason `disconnected`).
   */
  async deskGone(actor: Pick<Actor, 'userId' | 'siteId'>): Promise<void> {
    const router = await this.router(actor.siteId);
    const agent = router.engine.getAgent(actor.userId);
    if (!agent || agent.presence === 'offline') return;
    await router.step((engine, now) => {
      for (const itemId of [...agent.itemIds]) {
        if (engine.getItem(itemId)?.status === 'offered') engine.requeue(itemId, now);
      }
      if (agent.presence === 'ready')
        engine.agentStateChanged(actor.userId, 'not_ready', now, 'disconnected');
    });
  }

  /**
   * Inside a supervisor's command: gives the conversation to `agentId`. Routed
   * work moves with it (back in line, then picked for the new agent, so the
   * budget and counters stay right); otherwise only the assignee changes.
   */
  async reassignIn(
    trx: Db,
    router: SiteRouter,
    actor: Actor,
    conversationId: string,
    agentId: string,
  ): Promise<{ value: Conversation; events: AppendedEvent[] }> {
    const conv = await trx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!conv) throw notFound('conversation');
    const agent = await trx
      .selectFrom('users')
      .select('id')
      .where('id', '=', agentId)
      .where('site_id', '=', actor.siteId)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (!agent) throw notFound('agent');
    const work = await trx
      .selectFrom('work_items')
      .select(['id', 'status', 'agent_id'])
      .where('conversation_id', '=', conversationId)
      .where('status', 'in', ['waiting', 'offered', 'active', 'wrap_up'])
      .executeTakeFirst();
    const events: AppendedEvent[] = [];
    if (work && work.agent_id !== agentId) {
      const step = await router.applyIn(trx, (engine, now) => {
        const agentNow = engine.getAgent(agentId);
        if (!agentNow || agentNow.presence === 'offline') {
          throw new HubError('INVALID_STATE_TRANSITION', 'the agent is offline');
        }
        if (work.status === 'active' || work.status === 'wrap_up') engine.requeue(work.id, now);
        try {
          engine.pick(work.id, agentId, now);
        } catch (err) {
          // The requeue happened in the core but the transaction will roll back: resync.
          router.markStale();
          throw err;
        }
      });
      events.push(...step.events);
    }
    const previous = conv.assignee_id;
    await trx
      .updateTable('conversations')
      .set({ assignee_id: agentId })
      .where('id', '=', conversationId)
      .execute();
    const updated = toConversation({ ...conv, assignee_id: agentId });
    const audience = [agentId, ...(previous && previous !== agentId ? [previous] : []), actor.userId];
    events.push(await appendEvent(trx, actor.siteId, 'conversation.assigned', updated, audience));
    return { value: updated, events };
  }

  /** The system set the agent offline (presence grace ran out). */
  async offline(actor: Pick<Actor, 'userId' | 'siteId'>): Promise<void> {
    const router = await this.router(actor.siteId);
    if (!router.engine.getAgent(actor.userId)) return;
    await router.step((engine, now) => engine.agentStateChanged(actor.userId, 'offline', now));
  }

  async stats(siteId: string): Promise<RoutingStats> {
    return (await this.router(siteId)).stats();
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
