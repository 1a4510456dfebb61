/**
 * The core's internal records and the orders it keeps them in. Not exported
 * from the package: callers see the read-only views in types.ts.
 */
import type { Channel } from '@shared/domain';
import type { SortedList } from './sorted-list';
import type { AgentStateName, ItemStatus, Presence, QueueConfig, WorkItem } from './types';

/** Budget units in one full budget: divisible by 1–10, so 1/3, 1/5, 1/10 are exact integers. */
export const SCALE = 2520;

export interface Timer {
  at: number;
  seq: number;
  kind: 'offer' | 'overflow' | 'max_wait' | 'sticky' | 'wrap_up' | 'exclusion';
  item: ItemRec;
  live: boolean;
}

export interface ItemRec {
  item: WorkItem;
  seq: number;
  units: number;
  queue: QueueRec;
  queueEnteredAt: number;
  status: ItemStatus;
  agent: AgentRec | undefined;
  /** The agent a sticky item waits for. */
  stickyAgent: AgentRec | undefined;
  offerExpiresAt: number | undefined;
  acceptedAt: number | undefined;
  wrapUpUntil: number | undefined;
  /** agentId → until when the item stays away from that agent (reject, miss). */
  excluded: Map<string, number> | undefined;
  /** A timer that came due while the item was offered: applied if the offer comes back. */
  overflowDue: boolean;
  expireDue: boolean;
  timers: Partial<Record<Timer['kind'], Timer>>;
}

export interface AgentRec {
  id: string;
  seq: number;
  skills: Map<string, number>;
  capacityUnits: number;
  usedUnits: number;
  presence: Presence;
  reason: string | undefined;
  state: AgentStateName;
  /** The reason last reported with the state, so a new not_ready reason is reported too. */
  stateReason: string | undefined;
  stateSince: number;
  idleSince: number;
  lastRejected: Map<string, number>;
  items: Set<ItemRec>;
  active: number;
  wrapping: number;
  voice: number;
  /** Queues the agent qualifies for, with the level that decides complexity matching. */
  queues: { queue: QueueRec; level: number }[];
  /** Whether and under which key the agent sits in its queues' availability lists. */
  indexed: boolean;
  keyFree: number;
  keyIdle: number;
  sticky: SortedList<ItemRec>;
}

export interface SubQueue {
  queue: QueueRec;
  channel: Channel;
  units: number;
  items: SortedList<ItemRec>;
  dirty: boolean;
}

export interface QueueCounters {
  offered: number;
  answered: number;
  answeredWithinTarget: number;
  abandoned: number;
  abandonedAfterTarget: number;
  expired: number;
  overflowedOut: number;
  waitMsTotal: number;
}

export interface QueueRec {
  config: QueueConfig;
  subQueues: Map<Channel, SubQueue>;
  /** Available agents by level 0–5 (0: the queue needs no skill), best first. */
  levels: SortedList<AgentRec>[];
  qualified: Set<AgentRec>;
  /** Items not answered yet: waiting, sticky or offered. */
  unanswered: Set<ItemRec>;
  counters: QueueCounters;
  /** Moving average of observed handle time, ms; undefined until the first completion. */
  ahtMs: number | undefined;
}

export const zeroCounters = (): QueueCounters => ({
  offered: 0,
  answered: 0,
  answeredWithinTarget: 0,
  abandoned: 0,
  abandonedAfterTarget: 0,
  expired: 0,
  overflowedOut: 0,
  waitMsTotal: 0,
});

/** Queue order: VIP first, then higher priority, then FIFO; `seq` breaks ties so the order is total. */
export function compareItems(a: ItemRec, b: ItemRec): number {
  if (a.item.vip !== b.item.vip) return a.item.vip ? -1 : 1;
  if (a.item.priority !== b.item.priority) return b.item.priority - a.item.priority;
  if (a.item.enqueuedAt !== b.item.enqueuedAt) return a.item.enqueuedAt - b.item.enqueuedAt;
  return a.seq - b.seq;
}

/** Across queues an agent serves, the queue's priority comes first. */
export function globalLess(a: ItemRec, b: ItemRec): boolean {
  const qa = a.queue.config.priority;
  const qb = b.queue.config.priority;
  return qa !== qb ? qa > qb : compareItems(a, b) < 0;
}

/** Agent order within one level: most free budget, then longest idle, then a stable tie-break. */
export function compareAgents(a: AgentRec, b: AgentRec): number {
  if (a.keyFree !== b.keyFree) return b.keyFree - a.keyFree;
  if (a.keyIdle !== b.keyIdle) return a.keyIdle - b.keyIdle;
  return a.seq - b.seq;
}
