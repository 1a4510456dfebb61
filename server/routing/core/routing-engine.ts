/**
 * The routing core (ACD): a deterministic state machine over queues, agents and
 * work items. No I/O and no clock of its own: every operation takes `now` (ms)
 * and first applies the timers that came due by then (offer timeouts,
 * wrap-up ends, overflow, max wait, sticky windows), so the same calls in the
 * same order always give the same decisions. The hub persists and publishes
 * what `drainEvents()` returns; the simulator drives the same class.
 */
import type { Channel } from '@shared/domain';
import { parseRoutingConfig, type RoutingConfigInput, type ValidateOptions } from './config';
import { MinHeap } from './min-heap';
import {
  type AgentRec,
  compareAgents,
  compareItems,
  globalLess,
  type ItemRec,
  type QueueRec,
  SCALE,
  type SubQueue,
  type Timer,
  zeroCounters,
} from './records';
import { RoutingError } from './routing-error';
import { type RoutingSnapshot, parseSnapshot, SNAPSHOT_VERSION } from './snapshot';
import { SortedList } from './sorted-list';
import type {
  AgentProfile,
  AgentStats,
  Offer,
  Presence,
  QueuePosition,
  QueueStats,
  RoutingAgent,
  RoutingConfig,
  RoutingEvent,
  WithdrawReason,
  WorkItem,
  WorkItemView,
} from './types';

/** What enqueue takes: priority, VIP and enqueuedAt may be left out. */
export type NewWorkItem = Omit<WorkItem, 'priority' | 'vip' | 'enqueuedAt'> &
  Partial<Pick<WorkItem, 'priority' | 'vip' | 'enqueuedAt'>>;

export interface RoutingEngineOptions extends ValidateOptions {
  /** The clock's starting point (ms); defaults to 0. */
  now?: number;
  /** Keep events for drainEvents() (default true); the simulator turns it off. */
  recordEvents?: boolean;
}

const DEFAULT_HANDLE_SECONDS = 300;
/** Weight of the newest handle time in the moving average used for EWT. */
const AHT_WEIGHT = 0.05;
const LEVELS = 6;

export class RoutingEngine {
  private config!: RoutingConfig;
  private readonly queues = new Map<string, QueueRec>();
  private readonly agents = new Map<string, AgentRec>();
  private readonly items = new Map<string, ItemRec>();
  private readonly timers = new MinHeap<Timer>((a, b) => (a.at !== b.at ? a.at < b.at : a.seq < b.seq));
  private deadTimers = 0;
  private readonly dirtyAgentsWithSticky = new Set<AgentRec>();
  private readonly dirty = new Set<SubQueue>();
  private events: RoutingEvent[] = [];
  private readonly recordEvents: boolean;
  private clock: number;
  private seq = 0;
  private presenceVersion = 0;
  private readonly slotCache = new Map<SubQueue, { version: number; slots: number }>();

  constructor(config: RoutingConfigInput | RoutingConfig, options: RoutingEngineOptions = {}) {
    this.clock = options.now ?? 0;
    this.recordEvents = options.recordEvents ?? true;
    this.install(parseRoutingConfig(config, options));
  }

  // ── configuration and agents ──────────────────────────────────────────────

  /** The validated config in force (defaults filled in). */
  getConfig(): RoutingConfig {
    return this.config;
  }

  /** Adds an agent (offline) or updates one's skills and budget; their work stays. */
  upsertAgent(profile: AgentProfile, now: number): void {
    this.advance(now);
    const existing = this.agents.get(profile.id);
    if (!existing) {
      this.config = { ...this.config, agents: [...this.config.agents, profile] };
      this.addAgent(profile);
      return;
    }
    this.config = {
      ...this.config,
      agents: this.config.agents.map((a) => (a.id === profile.id ? profile : a)),
    };
    this.unindex(existing);
    for (const { queue } of existing.queues) queue.qualified.delete(existing);
    existing.skills = new Map(profile.skills.map((s) => [s.skillId, s.level]));
    existing.capacityUnits = Math.round((profile.capacity ?? 1) * SCALE);
    existing.queues = this.qualifyingQueues(existing);
    for (const { queue } of existing.queues) queue.qualified.add(existing);
    this.presenceVersion++;
    this.reindex(existing);
  }

  /** Sets what the agent chose: offline, ready or not_ready(reason). busy and wrap_up follow from work. */
  agentStateChanged(agentId: string, state: string, now: number, reason?: string): void {
    this.advance(now);
    const agent = this.agent(agentId);
    if (state !== 'offline' && state !== 'ready' && state !== 'not_ready') {
      throw new RoutingError(
        'DERIVED_STATE',
        `an agent cannot be set to ${state}; it follows from their work`,
      );
    }
    this.setPresence(agent, state, state === 'not_ready' ? reason : undefined);
  }

  // ── work ──────────────────────────────────────────────────────────────────

  /** Puts work in its queue. It waits in order until nextDecisions() offers it. */
  enqueue(input: NewWorkItem, now: number): void {
    this.advance(now);
    if (this.items.has(input.id))
      throw new RoutingError('DUPLICATE_ITEM', `item ${input.id} is already routed`);
    const queue = this.queue(input.queueId);
    if (!queue.config.channels.includes(input.channel)) {
      throw new RoutingError(
        'CHANNEL_NOT_IN_QUEUE',
        `queue ${queue.config.id} does not take ${input.channel} work`,
      );
    }
    const priority = input.priority ?? 0;
    const enqueuedAt = input.enqueuedAt ?? this.clock;
    if (!Number.isFinite(priority) || !Number.isFinite(enqueuedAt) || enqueuedAt > this.clock) {
      throw new RoutingError('BAD_INPUT', `item ${input.id} has a bad priority or a future enqueuedAt`);
    }
    const item: WorkItem = { ...input, priority, vip: input.vip ?? false, enqueuedAt };
    const rec = this.newItem(item, this.seq++, queue, this.clock);
    queue.counters.offered++;
    this.emit({ type: 'item.enqueued', at: this.clock, itemId: item.id, queueId: queue.config.id });
    this.scheduleQueueTimers(rec);
    const last = item.lastAgentId === undefined ? undefined : this.agents.get(item.lastAgentId);
    const stickyUntil = item.enqueuedAt + queue.config.stickyWindowSeconds * 1000;
    if (last && last.presence !== 'offline' && stickyUntil > this.clock && queue.qualified.has(last)) {
      rec.status = 'sticky';
      rec.stickyAgent = last;
      last.sticky.insert(rec);
      this.dirtyAgentsWithSticky.add(last);
      this.setTimer(rec, 'sticky', stickyUntil);
    } else {
      this.toWaiting(rec);
    }
  }

  /**
   * Applies due timers, then matches waiting work to available agents: the
   * best waiting item (queue priority, VIP, priority, FIFO) first, each to its
   * best agent. Offers reserve budget until accepted, rejected or timed out.
   */
  nextDecisions(now: number): Offer[] {
    this.advance(now);
    const offers: Offer[] = [];
    for (const agent of this.dirtyAgentsWithSticky) this.offerSticky(agent, offers);
    this.dirtyAgentsWithSticky.clear();
    if (this.dirty.size === 0) return offers;

    const round = new MinHeap<{ sq: SubQueue; item: ItemRec }>((a, b) => globalLess(a.item, b.item));
    for (const sq of this.dirty) {
      const head = sq.items.first();
      if (head) round.push({ sq, item: head });
      else sq.dirty = false;
    }
    this.dirty.clear();
    for (let entry = round.pop(); entry; entry = round.pop()) {
      const match = this.firstMatch(entry.sq);
      if (!match) {
        entry.sq.dirty = false;
        continue;
      }
      // A later item matched because the head's eligible agents had all rejected it:
      // let it compete with the other queues' heads under its own key.
      const top = round.peek();
      if (match.item !== entry.item && top && globalLess(top.item, match.item)) {
        round.push({ sq: entry.sq, item: match.item });
        continue;
      }
      entry.sq.items.remove(match.item);
      offers.push(this.offer(match.item, match.agent));
      const head = entry.sq.items.first();
      if (head) round.push({ sq: entry.sq, item: head });
      else entry.sq.dirty = false;
    }
    return offers;
  }

  /** The agent took the offer: the item is theirs until complete(). */
  accept(itemId: string, agentId: string, now: number): void {
    this.advance(now);
    const rec = this.offered(itemId, agentId);
    this.cancelTimer(rec, 'offer');
    this.answer(rec, 'item.accepted');
  }

  /** The agent declined: the item goes back to its place and stays away from them for the cooldown. */
  reject(itemId: string, agentId: string, now: number): void {
    this.advance(now);
    const rec = this.offered(itemId, agentId);
    this.withdraw(rec, 'rejected', this.clock, true);
  }

  /**
   * The offer rang out somewhere other than our own timer (the SIP proxy's
   * ring timer on a call): the same as an offer timeout — the item goes to
   * the next agent and this one becomes not_ready(missed).
   */
  miss(itemId: string, agentId: string, now: number): void {
    this.advance(now);
    const rec = this.offered(itemId, agentId);
    const agent = rec.agent!;
    this.withdraw(rec, 'timeout', this.clock, true);
    this.setPresence(agent, 'not_ready', 'missed');
  }

  /** The work is done: its budget is held through the queue's wrap-up, then freed (auto-ready). */
  complete(itemId: string, now: number): void {
    this.advance(now);
    const rec = this.item(itemId);
    if (rec.status !== 'active' || !rec.agent) {
      throw new RoutingError('NOT_ACTIVE', `item ${itemId} is ${rec.status}, not active`);
    }
    const q = rec.queue;
    const handled = this.clock - (rec.acceptedAt ?? this.clock);
    q.ahtMs = q.ahtMs === undefined ? handled : q.ahtMs + AHT_WEIGHT * (handled - q.ahtMs);
    const until = this.clock + q.config.wrapUpSeconds * 1000;
    this.emit({ type: 'item.completed', at: this.clock, itemId, agentId: rec.agent.id, wrapUpUntil: until });
    if (until <= this.clock) {
      this.release(rec, this.clock);
      return;
    }
    rec.agent.active--;
    rec.status = 'wrap_up';
    rec.wrapUpUntil = until;
    rec.agent.wrapping++;
    this.setTimer(rec, 'wrap_up', until);
    this.refreshState(rec.agent, this.clock);
  }

  /** The agent is done wrapping up before the timer: frees all their wrap-up budget now. */
  endWrapUp(agentId: string, now: number): void {
    this.advance(now);
    const agent = this.agent(agentId);
    for (const rec of [...agent.items]) {
      if (rec.status === 'wrap_up') {
        this.cancelTimer(rec, 'wrap_up');
        this.release(rec, this.clock);
      }
    }
  }

  /** Puts offered, active or wrapping-up work back in its queue at its original place (e.g. a desk died mid-chat). */
  requeue(itemId: string, now: number): void {
    this.advance(now);
    const rec = this.item(itemId);
    if (rec.status === 'offered') {
      this.withdraw(rec, 'requeued', this.clock, false);
      return;
    }
    if (rec.status !== 'active' && rec.status !== 'wrap_up') {
      throw new RoutingError('NOT_ACTIVE', `item ${itemId} is ${rec.status}: nothing to requeue`);
    }
    this.cancelTimer(rec, 'wrap_up');
    this.detachFromAgent(rec, this.clock);
    rec.acceptedAt = undefined;
    rec.wrapUpUntil = undefined;
    rec.queue.unanswered.add(rec);
    this.emit({ type: 'item.requeued', at: this.clock, itemId, queueId: rec.queue.config.id });
    this.scheduleQueueTimers(rec);
    this.toWaiting(rec);
  }

  /**
   * An agent transfers work to another queue: off their desk (like requeue),
   * then into the new queue's line, re-offered from there. Recorded as an
   * overflow, so the new queue counts it as offered and the old one as passed on.
   */
  transfer(itemId: string, toQueueId: string, now: number): void {
    this.advance(now);
    const rec = this.item(itemId);
    const to = this.queue(toQueueId);
    if (!to.subQueues.has(rec.item.channel)) {
      throw new RoutingError(
        'CHANNEL_NOT_IN_QUEUE',
        `queue ${toQueueId} does not take ${rec.item.channel} work`,
      );
    }
    if (rec.status === 'offered' || rec.status === 'active' || rec.status === 'wrap_up') {
      this.requeue(itemId, this.clock);
    }
    const from = rec.queue;
    if (from === to) return;
    this.unqueue(rec);
    from.unanswered.delete(rec);
    from.counters.overflowedOut++;
    rec.queue = to;
    rec.queueEnteredAt = this.clock;
    to.unanswered.add(rec);
    to.counters.offered++;
    this.emit({
      type: 'item.overflowed',
      at: this.clock,
      itemId,
      fromQueueId: from.config.id,
      toQueueId: to.config.id,
    });
    this.scheduleQueueTimers(rec);
    this.toWaiting(rec);
  }

  /** The customer left before an agent took the work. */
  abandon(itemId: string, now: number): void {
    this.advance(now);
    const rec = this.item(itemId);
    if (rec.status === 'active' || rec.status === 'wrap_up') {
      throw new RoutingError('NOT_WAITING', `item ${itemId} is already answered`);
    }
    if (rec.status === 'offered') this.withdraw(rec, 'abandoned', this.clock, false, false);
    const waitMs = this.clock - rec.item.enqueuedAt;
    const c = rec.queue.counters;
    c.abandoned++;
    if (waitMs > rec.queue.config.slTargetSeconds * 1000) c.abandonedAfterTarget++;
    this.emit({ type: 'item.abandoned', at: this.clock, itemId, queueId: rec.queue.config.id, waitMs });
    this.dropWaiting(rec);
  }

  /**
   * The work leaves for a queue at another site (overflow through HQ): it
   * goes from the queue without counting as answered or abandoned here. Only
   * waiting work moves; work ringing at an agent stays.
   */
  transferOut(itemId: string, now: number): void {
    this.advance(now);
    const rec = this.item(itemId);
    if (rec.status !== 'waiting' && rec.status !== 'sticky') {
      throw new RoutingError('NOT_WAITING', `item ${itemId} is ${rec.status}, not waiting`);
    }
    const waitMs = this.clock - rec.item.enqueuedAt;
    this.emit({ type: 'item.transferred', at: this.clock, itemId, queueId: rec.queue.config.id, waitMs });
    this.dropWaiting(rec);
  }

  /**
   * A supervisor hands a waiting (or offered) item to an agent: no skill
   * check, but the agent must be logged in and have the budget for it.
   */
  pick(itemId: string, agentId: string, now: number): void {
    this.advance(now);
    const rec = this.item(itemId);
    const agent = this.agent(agentId);
    if (rec.status === 'active' || rec.status === 'wrap_up') {
      throw new RoutingError('NOT_WAITING', `item ${itemId} is already answered`);
    }
    if (agent.presence === 'offline') throw new RoutingError('AGENT_OFFLINE', `agent ${agentId} is offline`);
    if (rec.status === 'offered' && rec.agent === agent) {
      this.cancelTimer(rec, 'offer');
      this.answer(rec, 'item.picked');
      return;
    }
    if (!this.fits(agent, rec.item.channel, rec.units)) {
      throw new RoutingError('NO_CAPACITY', `agent ${agentId} has no budget left for ${rec.item.channel}`);
    }
    if (rec.status === 'offered') this.withdraw(rec, 'picked', this.clock, false, false);
    this.unqueue(rec);
    this.attach(rec, agent, this.clock);
    this.answer(rec, 'item.picked');
  }

  /** Applies every timer due by `now`. Other operations do this first themselves. */
  tick(now: number): void {
    this.advance(now);
  }

  /** When the next timer is due, so a driver can sleep (or a simulator jump) until then. */
  nextDueAt(): number | undefined {
    for (let t = this.timers.peek(); t; t = this.timers.peek()) {
      if (t.live) return t.at;
      this.timers.pop();
      this.deadTimers--;
    }
    return undefined;
  }

  /** Events since the last call, oldest first. */
  drainEvents(): RoutingEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  // ── reading ───────────────────────────────────────────────────────────────

  now(): number {
    return this.clock;
  }

  getItem(itemId: string): WorkItemView | undefined {
    const rec = this.items.get(itemId);
    return rec && view(rec);
  }

  getAgent(agentId: string): RoutingAgent | undefined {
    const a = this.agents.get(agentId);
    if (!a) return undefined;
    return {
      id: a.id,
      skills: new Map(a.skills),
      capacity: a.capacityUnits / SCALE,
      used: a.usedUnits / SCALE,
      presence: a.presence,
      ...(a.reason === undefined ? {} : { reason: a.reason }),
      state: a.state,
      stateSince: a.stateSince,
      idleSince: a.idleSince,
      lastRejected: new Map(a.lastRejected),
      itemIds: [...a.items].map((r) => r.item.id),
    };
  }

  /** Items still in line for a queue (waiting and sticky), in the order they will be served. */
  waitingItems(queueId: string): string[] {
    const q = this.queue(queueId);
    const recs = [...q.unanswered].filter((r) => r.status !== 'offered');
    return recs.sort(compareItems).map((r) => r.item.id);
  }

  /**
   * Where an item stands in its queue (1 = next) and its estimated wait:
   * position × the queue's handle time ÷ how many items of that channel its
   * logged-in agents can hold at once. Offered items are at position 0.
   */
  position(itemId: string): QueuePosition | undefined {
    const rec = this.items.get(itemId);
    if (!rec || rec.status === 'active' || rec.status === 'wrap_up') return undefined;
    const q = rec.queue;
    const queueId = q.config.id;
    if (rec.status === 'offered') return { itemId, queueId, position: 0, ewtSeconds: 0 };
    let ahead = 0;
    for (const sq of q.subQueues.values()) ahead += sq.items.lowerBound(rec);
    const position = ahead + 1;
    const slots = this.slots(q.subQueues.get(rec.item.channel)!);
    const aht = (q.ahtMs ?? (q.config.handleSecondsHint ?? DEFAULT_HANDLE_SECONDS) * 1000) / 1000;
    return { itemId, queueId, position, ewtSeconds: slots === 0 ? null : (position * aht) / slots };
  }

  queueStats(now: number): QueueStats[] {
    this.advance(now);
    return [...this.queues.values()].map((q) => {
      let oldest = Infinity;
      for (const r of q.unanswered) oldest = Math.min(oldest, r.item.enqueuedAt);
      const c = q.counters;
      const slBase = c.answered + c.abandonedAfterTarget;
      let loggedIn = 0;
      for (const a of q.qualified) if (a.presence !== 'offline') loggedIn++;
      return {
        queueId: q.config.id,
        waiting: q.unanswered.size,
        longestWaitSeconds: oldest === Infinity ? 0 : (this.clock - oldest) / 1000,
        offered: c.offered,
        answered: c.answered,
        answeredWithinTarget: c.answeredWithinTarget,
        abandoned: c.abandoned,
        expired: c.expired,
        serviceLevel: slBase === 0 ? null : c.answeredWithinTarget / slBase,
        asaSeconds: c.answered === 0 ? null : c.waitMsTotal / c.answered / 1000,
        agentsLoggedIn: loggedIn,
      };
    });
  }

  agentStats(now: number): AgentStats[] {
    this.advance(now);
    return [...this.agents.values()].map((a) => ({
      agentId: a.id,
      state: a.state,
      ...(a.reason === undefined ? {} : { reason: a.reason }),
      secondsInState: (this.clock - a.stateSince) / 1000,
      load: a.usedUnits / a.capacityUnits,
      items: a.items.size,
    }));
  }

  /** Starts a new statistics day (the hub calls it at the site's midnight). */
  resetDailyStats(now: number): void {
    this.advance(now);
    for (const q of this.queues.values()) q.counters = zeroCounters();
  }

  // ── persistence ───────────────────────────────────────────────────────────

  /**
   * Everything needed to carry the wait queue across a hub restart: items in
   * their order (seq) with their original enqueuedAt, assignments in progress
   * and today's counters. Pending offers are saved as waiting: after a restart
   * no desk is ringing any more.
   */
  snapshot(): RoutingSnapshot {
    return {
      version: SNAPSHOT_VERSION,
      at: this.clock,
      seq: this.seq,
      items: [...this.items.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((r) => ({
          item: r.item,
          seq: r.seq,
          queueId: r.queue.config.id,
          queueEnteredAt: r.queueEnteredAt,
          ...(r.status === 'active' || r.status === 'wrap_up'
            ? {
                agentId: r.agent!.id,
                acceptedAt: r.acceptedAt!,
                ...(r.wrapUpUntil === undefined ? {} : { wrapUpUntil: r.wrapUpUntil }),
              }
            : {}),
        })),
      counters: Object.fromEntries([...this.queues].map(([id, q]) => [id, { ...q.counters }])),
    };
  }

  /** A fresh engine holding a snapshot's work; every agent starts offline until their desk says otherwise. */
  static restore(
    config: RoutingConfigInput | RoutingConfig,
    snapshot: unknown,
    options: RoutingEngineOptions = {},
  ): RoutingEngine {
    const snap = parseSnapshot(snapshot);
    const engine = new RoutingEngine(config, { ...options, now: Math.max(options.now ?? 0, snap.at) });
    engine.load(snap);
    return engine;
  }

  private load(snap: RoutingSnapshot): void {
    this.seq = snap.seq;
    for (const [id, counters] of Object.entries(snap.counters)) {
      const q = this.queues.get(id);
      if (q) q.counters = { ...counters };
    }
    for (const s of snap.items) {
      const queue = this.queues.get(s.queueId);
      if (!queue)
        throw new RoutingError('BAD_SNAPSHOT', `snapshot item ${s.item.id} is in unknown queue ${s.queueId}`);
      const rec = this.newItem(s.item, s.seq, queue, s.queueEnteredAt);
      if (s.agentId === undefined) {
        this.scheduleQueueTimers(rec);
        this.toWaiting(rec);
        continue;
      }
      const agent = this.agents.get(s.agentId);
      if (!agent)
        throw new RoutingError('BAD_SNAPSHOT', `snapshot item ${s.item.id} is held by unknown agent`);
      const acceptedAt = s.acceptedAt ?? snap.at;
      queue.unanswered.delete(rec);
      this.attach(rec, agent, acceptedAt);
      rec.status = 'active';
      rec.acceptedAt = acceptedAt;
      agent.active++;
      if (s.wrapUpUntil !== undefined) {
        rec.status = 'wrap_up';
        rec.wrapUpUntil = s.wrapUpUntil;
        agent.active--;
        agent.wrapping++;
        this.setTimer(rec, 'wrap_up', s.wrapUpUntil);
      }
      this.refreshState(agent, this.clock);
    }
  }

  // ── internals: setup ──────────────────────────────────────────────────────

  private install(config: RoutingConfig): void {
    this.config = config;
    for (const qc of config.queues) {
      const rec: QueueRec = {
        config: qc,
        subQueues: new Map(),
        levels: Array.from({ length: LEVELS }, () => new SortedList<AgentRec>(compareAgents)),
        qualified: new Set(),
        unanswered: new Set(),
        counters: zeroCounters(),
        ahtMs: undefined,
      };
      for (const channel of new Set(qc.channels)) {
        rec.subQueues.set(channel, {
          queue: rec,
          channel,
          units: this.units(channel),
          items: new SortedList(compareItems),
          dirty: false,
        });
      }
      this.queues.set(qc.id, rec);
    }
    for (const profile of config.agents) this.addAgent(profile);
  }

  private units(channel: Channel): number {
    return Math.max(1, Math.round(this.config.site.capacityCost[channel] * SCALE));
  }

  private addAgent(profile: AgentProfile): void {
    const agent: AgentRec = {
      id: profile.id,
      seq: this.agents.size,
      skills: new Map(profile.skills.map((s) => [s.skillId, s.level])),
      capacityUnits: Math.round((profile.capacity ?? 1) * SCALE),
      usedUnits: 0,
      presence: 'offline',
      reason: undefined,
      state: 'offline',
      stateReason: undefined,
      stateSince: this.clock,
      idleSince: this.clock,
      lastRejected: new Map(),
      items: new Set(),
      active: 0,
      wrapping: 0,
      voice: 0,
      queues: [],
      indexed: false,
      keyFree: 0,
      keyIdle: 0,
      sticky: new SortedList(compareItems),
    };
    agent.queues = this.qualifyingQueues(agent);
    for (const { queue } of agent.queues) queue.qualified.add(agent);
    this.agents.set(agent.id, agent);
    this.presenceVersion++;
  }

  /** Qualified: a member (when the queue names its agents) with every required skill at its minimum level. */
  private qualifyingQueues(agent: AgentRec): { queue: QueueRec; level: number }[] {
    const out: { queue: QueueRec; level: number }[] = [];
    for (const queue of this.queues.values()) {
      const { requiredSkills, agentIds } = queue.config;
      if (agentIds && !agentIds.includes(agent.id)) continue;
      // The weakest required skill is the agent's level for this queue.
      let level = requiredSkills.length === 0 ? 0 : 5;
      for (const r of requiredSkills) {
        const has = agent.skills.get(r.skillId) ?? 0;
        level = has >= r.minLevel ? Math.min(level, has) : -1;
        if (level < 0) break;
      }
      if (level >= 0) out.push({ queue, level });
    }
    return out;
  }

  // ── internals: agents ─────────────────────────────────────────────────────

  private setPresence(agent: AgentRec, presence: Presence, reason: string | undefined): void {
    const was = agent.presence;
    agent.presence = presence;
    agent.reason = reason;
    if (presence !== 'ready') {
      // Offers stand only for ready agents: withdraw them so the work goes to someone else.
      for (const rec of [...agent.items]) {
        if (rec.status === 'offered') this.withdraw(rec, 'agent_unavailable', this.clock, false);
      }
    }
    if (presence === 'offline') {
      for (const rec of [...agent.sticky.items]) {
        this.cancelTimer(rec, 'sticky');
        agent.sticky.remove(rec);
        rec.stickyAgent = undefined;
        this.toWaiting(rec);
      }
    }
    if (presence === 'ready' && was !== 'ready') agent.idleSince = this.clock;
    if (presence !== was) this.presenceVersion++;
    this.reindex(agent);
    this.refreshState(agent, this.clock);
  }

  /** Folds presence and work into the wallboard state and reports a change. */
  private refreshState(agent: AgentRec, at: number): void {
    const state =
      agent.presence === 'offline'
        ? 'offline'
        : agent.active > 0
          ? 'busy'
          : agent.wrapping > 0
            ? 'wrap_up'
            : agent.presence;
    const reason = state === 'not_ready' ? agent.reason : undefined;
    if (state === agent.state && reason === agent.stateReason) return;
    agent.state = state;
    agent.stateReason = reason;
    agent.stateSince = at;
    this.emit({
      type: 'agent.state_changed',
      at,
      agentId: agent.id,
      state,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /**
   * Keeps the agent in its queues' availability lists under its current key
   * (free budget, idle since) — present only while ready with budget left.
   * More availability than before marks the agent's queues for matching.
   */
  private reindex(agent: AgentRec): void {
    const free = agent.capacityUnits - agent.usedUnits;
    const belongs = agent.presence === 'ready' && free > 0;
    if (agent.indexed && belongs && agent.keyFree === free && agent.keyIdle === agent.idleSince) return;
    const gained = belongs && (!agent.indexed || free > agent.keyFree);
    this.unindex(agent);
    if (!belongs) return;
    agent.keyFree = free;
    agent.keyIdle = agent.idleSince;
    for (const { queue, level } of agent.queues) queue.levels[level]!.insert(agent);
    agent.indexed = true;
    if (gained) {
      for (const { queue } of agent.queues) for (const sq of queue.subQueues.values()) this.markDirty(sq);
      if (agent.sticky.size > 0) this.dirtyAgentsWithSticky.add(agent);
    }
  }

  private unindex(agent: AgentRec): void {
    if (!agent.indexed) return;
    for (const { queue, level } of agent.queues) queue.levels[level]!.remove(agent);
    agent.indexed = false;
  }

  private markDirty(sq: SubQueue): void {
    if (sq.items.size === 0) return;
    sq.dirty = true;
    this.dirty.add(sq);
  }

  /** Budget and blending: without blending a call needs an agent with no other work, and a caller gets nothing else. */
  private fits(agent: AgentRec, channel: Channel, units: number): boolean {
    if (agent.capacityUnits - agent.usedUnits < units) return false;
    if (this.config.site.allowBlending) return true;
    return channel === 'voice' ? agent.items.size === 0 : agent.voice === 0;
  }

  // ── internals: matching ───────────────────────────────────────────────────

  private offerSticky(agent: AgentRec, offers: Offer[]): void {
    if (agent.presence !== 'ready') return;
    for (const rec of [...agent.sticky.items]) {
      if (!this.fits(agent, rec.item.channel, rec.units)) continue;
      this.cancelTimer(rec, 'sticky');
      agent.sticky.remove(rec);
      rec.stickyAgent = undefined;
      offers.push(this.offer(rec, agent));
    }
  }

  /** The first item of a sub-queue some agent can take now, and that agent. */
  private firstMatch(sq: SubQueue): { item: ItemRec; agent: AgentRec } | undefined {
    for (const rec of sq.items.items) {
      const agent = this.bestAgent(rec, sq);
      if (agent) return { item: rec, agent };
      // Without exclusions every later item has the same candidates: none.
      if (!this.hasLiveExclusions(rec)) return undefined;
    }
    return undefined;
  }

  private hasLiveExclusions(rec: ItemRec): boolean {
    if (!rec.excluded) return false;
    for (const until of rec.excluded.values()) if (until > this.clock) return true;
    return false;
  }

  /**
   * Complexity picks the order of skill levels (simple: lowest adequate level
   * first; complex: highest first); within a level, most free budget then
   * longest idle. Without a complexity the levels are merged.
   */
  private bestAgent(rec: ItemRec, sq: SubQueue): AgentRec | undefined {
    const levels = sq.queue.levels;
    const c = rec.item.complexity;
    if (c === 'simple') {
      for (let l = 0; l < LEVELS; l++) {
        const a = this.firstFit(levels[l]!, rec, sq);
        if (a) return a;
      }
      return undefined;
    }
    if (c === 'complex') {
      for (let l = LEVELS - 1; l >= 0; l--) {
        const a = this.firstFit(levels[l]!, rec, sq);
        if (a) return a;
      }
      return undefined;
    }
    let best: AgentRec | undefined;
    for (let l = 0; l < LEVELS; l++) {
      const a = this.firstFit(levels[l]!, rec, sq);
      if (a && (!best || compareAgents(a, best) < 0)) best = a;
    }
    return best;
  }

  private firstFit(list: SortedList<AgentRec>, rec: ItemRec, sq: SubQueue): AgentRec | undefined {
    for (const agent of list.items) {
      // Sorted by free budget: once one is too full, all the rest are.
      if (agent.capacityUnits - agent.usedUnits < sq.units) return undefined;
      if (!this.fits(agent, sq.channel, sq.units)) continue;
      const until = rec.excluded?.get(agent.id);
      if (until !== undefined && until > this.clock) continue;
      return agent;
    }
    return undefined;
  }

  private offer(rec: ItemRec, agent: AgentRec): Offer {
    this.attach(rec, agent, this.clock);
    rec.status = 'offered';
    const expiresAt = this.clock + rec.queue.config.offerTimeoutSeconds * 1000;
    rec.offerExpiresAt = expiresAt;
    this.setTimer(rec, 'offer', expiresAt);
    const queueId = rec.queue.config.id;
    this.emit({
      type: 'item.offered',
      at: this.clock,
      itemId: rec.item.id,
      agentId: agent.id,
      queueId,
      expiresAt,
    });
    return { itemId: rec.item.id, agentId: agent.id, queueId, channel: rec.item.channel, expiresAt };
  }

  /** Reserves the item's budget with the agent; getting work moves them to the back of the idle order. */
  private attach(rec: ItemRec, agent: AgentRec, at: number): void {
    rec.agent = agent;
    agent.items.add(rec);
    agent.usedUnits += rec.units;
    if (rec.item.channel === 'voice') agent.voice++;
    agent.idleSince = Math.max(agent.idleSince, at);
    this.reindex(agent);
  }

  private detachFromAgent(rec: ItemRec, at: number): void {
    const agent = rec.agent;
    if (!agent) return;
    agent.items.delete(rec);
    agent.usedUnits -= rec.units;
    if (rec.item.channel === 'voice') agent.voice--;
    if (rec.status === 'active') agent.active--;
    if (rec.status === 'wrap_up') agent.wrapping--;
    rec.agent = undefined;
    agent.idleSince = Math.max(agent.idleSince, at);
    this.reindex(agent);
    this.refreshState(agent, at);
  }

  private answer(rec: ItemRec, type: 'item.accepted' | 'item.picked'): void {
    const agent = rec.agent!;
    rec.status = 'active';
    rec.acceptedAt = this.clock;
    rec.offerExpiresAt = undefined;
    agent.active++;
    this.cancelTimer(rec, 'overflow');
    this.cancelTimer(rec, 'max_wait');
    rec.queue.unanswered.delete(rec);
    const waitMs = this.clock - rec.item.enqueuedAt;
    const c = rec.queue.counters;
    c.answered++;
    c.waitMsTotal += waitMs;
    if (waitMs <= rec.queue.config.slTargetSeconds * 1000) c.answeredWithinTarget++;
    this.emit({
      type,
      at: this.clock,
      itemId: rec.item.id,
      agentId: agent.id,
      queueId: rec.queue.config.id,
      waitMs,
    });
    this.refreshState(agent, this.clock);
  }

  /**
   * Takes an offer back. The item returns to its place (its order key never
   * changed); a reject or miss keeps it away from that agent for the cooldown.
   */
  private withdraw(rec: ItemRec, reason: WithdrawReason, at: number, exclude: boolean, requeue = true): void {
    const agent = rec.agent!;
    this.cancelTimer(rec, 'offer');
    rec.offerExpiresAt = undefined;
    this.detachFromAgent(rec, at);
    rec.status = 'waiting';
    this.emit({ type: 'offer.withdrawn', at, itemId: rec.item.id, agentId: agent.id, reason });
    if (exclude) {
      const until = at + this.config.site.rejectCooldownSeconds * 1000;
      (rec.excluded ??= new Map()).set(agent.id, until);
      agent.lastRejected.set(rec.item.id, until);
      this.setTimer(rec, 'exclusion', until);
    }
    if (!requeue) return;
    if (rec.expireDue) this.expire(rec, at);
    else if (rec.overflowDue) this.overflow(rec, at);
    else this.toWaiting(rec);
  }

  private release(rec: ItemRec, at: number): void {
    const agentId = rec.agent!.id;
    this.detachFromAgent(rec, at);
    this.items.delete(rec.item.id);
    this.emit({ type: 'item.released', at, itemId: rec.item.id, agentId });
  }

  // ── internals: items and timers ───────────────────────────────────────────

  private newItem(item: WorkItem, seq: number, queue: QueueRec, enteredAt: number): ItemRec {
    const rec: ItemRec = {
      item,
      seq,
      units: this.units(item.channel),
      queue,
      queueEnteredAt: enteredAt,
      status: 'waiting',
      agent: undefined,
      stickyAgent: undefined,
      offerExpiresAt: undefined,
      acceptedAt: undefined,
      wrapUpUntil: undefined,
      excluded: undefined,
      overflowDue: false,
      expireDue: false,
      timers: {},
    };
    this.items.set(item.id, rec);
    queue.unanswered.add(rec);
    return rec;
  }

  private toWaiting(rec: ItemRec): void {
    rec.status = 'waiting';
    const sq = rec.queue.subQueues.get(rec.item.channel)!;
    sq.items.insert(rec);
    this.markDirty(sq);
  }

  /** Takes a waiting or sticky item out of line (it stays in `unanswered` until answered or dropped). */
  private unqueue(rec: ItemRec): void {
    if (rec.status === 'sticky' && rec.stickyAgent) {
      rec.stickyAgent.sticky.remove(rec);
      rec.stickyAgent = undefined;
      this.cancelTimer(rec, 'sticky');
    } else if (rec.status === 'waiting') {
      rec.queue.subQueues.get(rec.item.channel)!.items.remove(rec);
    }
  }

  private dropWaiting(rec: ItemRec): void {
    this.unqueue(rec);
    for (const kind of Object.keys(rec.timers) as Timer['kind'][]) this.cancelTimer(rec, kind);
    rec.queue.unanswered.delete(rec);
    this.items.delete(rec.item.id);
  }

  private scheduleQueueTimers(rec: ItemRec): void {
    const qc = rec.queue.config;
    rec.overflowDue = false;
    rec.expireDue = false;
    this.cancelTimer(rec, 'overflow');
    this.cancelTimer(rec, 'max_wait');
    if (qc.overflow && this.queues.get(qc.overflow.toQueueId)?.subQueues.has(rec.item.channel)) {
      this.setTimer(rec, 'overflow', rec.queueEnteredAt + qc.overflow.afterSeconds * 1000);
    }
    if (qc.maxWaitSeconds !== null)
      this.setTimer(rec, 'max_wait', rec.item.enqueuedAt + qc.maxWaitSeconds * 1000);
  }

  private setTimer(rec: ItemRec, kind: Timer['kind'], at: number): void {
    this.cancelTimer(rec, kind);
    const timer: Timer = { at, seq: this.seq++, kind, item: rec, live: true };
    rec.timers[kind] = timer;
    this.timers.push(timer);
  }

  private cancelTimer(rec: ItemRec, kind: Timer['kind']): void {
    const t = rec.timers[kind];
    if (!t) return;
    t.live = false;
    delete rec.timers[kind];
    this.deadTimers++;
    if (this.deadTimers > 65_536 && this.deadTimers > this.timers.size / 2) this.compactTimers();
  }

  /** Cancelled timers stay in the heap until due; rebuild it when they outnumber the live ones. */
  private compactTimers(): void {
    const live: Timer[] = [];
    for (let t = this.timers.pop(); t; t = this.timers.pop()) if (t.live) live.push(t);
    for (const t of live) this.timers.push(t);
    this.deadTimers = 0;
  }

  /** Moves the clock forward (never back: a clock step backwards is ignored) and fires due timers at their own time. */
  private advance(now: number): void {
    if (!Number.isFinite(now)) throw new RoutingError('BAD_INPUT', 'now must be a finite number of ms');
    for (let t = this.timers.peek(); t && t.at <= now; t = this.timers.peek()) {
      this.timers.pop();
      if (!t.live) {
        this.deadTimers--;
        continue;
      }
      delete t.item.timers[t.kind];
      this.clock = Math.max(this.clock, t.at);
      this.fire(t);
    }
    this.clock = Math.max(this.clock, now);
  }

  private fire(t: Timer): void {
    const rec = t.item;
    const at = this.clock;
    switch (t.kind) {
      case 'offer': {
        const agent = rec.agent!;
        this.withdraw(rec, 'timeout', at, true);
        this.setPresence(agent, 'not_ready', 'missed');
        break;
      }
      case 'wrap_up':
        this.release(rec, at);
        break;
      case 'sticky':
        rec.stickyAgent!.sticky.remove(rec);
        rec.stickyAgent = undefined;
        this.toWaiting(rec);
        break;
      case 'exclusion':
        rec.excluded = undefined;
        if (rec.status === 'waiting') this.markDirty(rec.queue.subQueues.get(rec.item.channel)!);
        break;
      case 'overflow':
        if (rec.status === 'offered') rec.overflowDue = true;
        else this.overflow(rec, at);
        break;
      case 'max_wait':
        if (rec.status === 'offered') rec.expireDue = true;
        else this.expire(rec, at);
        break;
    }
  }

  private overflow(rec: ItemRec, at: number): void {
    const from = rec.queue;
    const to = this.queues.get(from.config.overflow!.toQueueId)!;
    this.unqueue(rec);
    from.unanswered.delete(rec);
    from.counters.overflowedOut++;
    rec.queue = to;
    rec.queueEnteredAt = at;
    to.unanswered.add(rec);
    to.counters.offered++;
    this.emit({
      type: 'item.overflowed',
      at,
      itemId: rec.item.id,
      fromQueueId: from.config.id,
      toQueueId: to.config.id,
    });
    this.scheduleQueueTimers(rec);
    // The new queue's max wait may already be behind us.
    if (to.config.maxWaitSeconds !== null && rec.item.enqueuedAt + to.config.maxWaitSeconds * 1000 <= at) {
      this.expire(rec, at);
      return;
    }
    this.toWaiting(rec);
  }

  private expire(rec: ItemRec, at: number): void {
    const waitMs = at - rec.item.enqueuedAt;
    rec.queue.counters.expired++;
    this.emit({ type: 'item.expired', at, itemId: rec.item.id, queueId: rec.queue.config.id, waitMs });
    this.dropWaiting(rec);
  }

  private slots(sq: SubQueue): number {
    const cached = this.slotCache.get(sq);
    if (cached && cached.version === this.presenceVersion) return cached.slots;
    let slots = 0;
    for (const a of sq.queue.qualified) {
      if (a.presence !== 'offline') slots += Math.floor(a.capacityUnits / sq.units);
    }
    this.slotCache.set(sq, { version: this.presenceVersion, slots });
    return slots;
  }

  private emit(event: RoutingEvent): void {
    if (this.recordEvents) this.events.push(event);
  }

  private agent(id: string): AgentRec {
    const a = this.agents.get(id);
    if (!a) throw new RoutingError('UNKNOWN_AGENT', `unknown agent ${id}`);
    return a;
  }

  private queue(id: string): QueueRec {
    const q = this.queues.get(id);
    if (!q) throw new RoutingError('UNKNOWN_QUEUE', `unknown queue ${id}`);
    return q;
  }

  private item(id: string): ItemRec {
    const r = this.items.get(id);
    if (!r) throw new RoutingError('UNKNOWN_ITEM', `unknown item ${id}`);
    return r;
  }

  private offered(itemId: string, agentId: string): ItemRec {
    const rec = this.item(itemId);
    this.agent(agentId);
    if (rec.status !== 'offered' || rec.agent?.id !== agentId) {
      throw new RoutingError('NOT_OFFERED_TO_AGENT', `item ${itemId} is not on offer to agent ${agentId}`);
    }
    return rec;
  }
}

function view(rec: ItemRec): WorkItemView {
  return {
    ...rec.item,
    status: rec.status,
    currentQueueId: rec.queue.config.id,
    queueEnteredAt: rec.queueEnteredAt,
    ...(rec.agent ? { agentId: rec.agent.id } : {}),
    ...(rec.offerExpiresAt === undefined ? {} : { offerExpiresAt: rec.offerExpiresAt }),
    ...(rec.acceptedAt === undefined ? {} : { acceptedAt: rec.acceptedAt }),
  };
}
