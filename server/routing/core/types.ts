/**
 * Types of the routing core (the ACD). Everything here is plain data so the hub
 * can persist it, send it on the wire, and the simulator can drive it.
 *
 * Time is always a number of milliseconds on the caller's clock (`now`), never
 * read from the machine: the core has no I/O and no timers of its own.
 */
import type { AgentStateName, Channel } from '@shared/domain';

export type { AgentStateName, Channel };

/** What an agent may set themselves; `busy` and `wrap_up` follow from their work. */
export type Presence = 'offline' | 'ready' | 'not_ready';
export type Complexity = 'simple' | 'complex';

/** A unit of work waiting for an agent: a call, a chat, an email thread… */
export interface WorkItem {
  id: string;
  channel: Channel;
  queueId: string;
  /** Higher is more urgent. FIFO holds within one priority. */
  priority: number;
  /** VIP / high-value customers go ahead of everyone else in their queue. */
  vip: boolean;
  /** Undefined: plain longest-idle. simple: newest adequate agent; complex: most senior. */
  complexity?: Complexity;
  /** When the customer started waiting, ms. Survives overflow and hub restarts. */
  enqueuedAt: number;
  customerId?: string;
  /** The customer's last agent: the item waits for them for the queue's sticky window. */
  lastAgentId?: string;
}

export type ItemStatus = 'waiting' | 'sticky' | 'offered' | 'active' | 'wrap_up';

/** A read-only view of an item the core holds. */
export interface WorkItemView extends WorkItem {
  status: ItemStatus;
  /** The queue it waits in now (differs from `queueId` given at enqueue after an overflow). */
  currentQueueId: string;
  queueEnteredAt: number;
  agentId?: string;
  offerExpiresAt?: number;
  acceptedAt?: number;
}

/** The agent as the core sees it. */
export interface RoutingAgent {
  id: string;
  /** skillId → level 1–5. */
  skills: Map<string, number>;
  /** Capacity budget as a multiple of one full budget (1 = one call, or three chats…). */
  capacity: number;
  /** Budget in use by offered, active and wrapping-up items, same scale as `capacity`. */
  used: number;
  presence: Presence;
  /** Reason given with not_ready (e.g. `break`, `missed`). */
  reason?: string;
  /** Presence and work folded into the wallboard state. */
  state: AgentStateName;
  stateSince: number;
  /** When the agent last got work or last became free: the longest-idle key. */
  idleSince: number;
  /** itemId → until when that item is not offered to this agent again (after reject/miss). */
  lastRejected: Map<string, number>;
  itemIds: string[];
}

export interface RequiredSkill {
  skillId: string;
  minLevel: number;
}

export interface QueueConfig {
  id: string;
  channels: Channel[];
  requiredSkills: RequiredSkill[];
  /** Higher queue priority wins when an agent serves several queues. */
  priority: number;
  slTargetSeconds: number;
  slTargetPercent: number;
  /** Total wait after which the item leaves the queue as `expired` (null: wait forever). */
  maxWaitSeconds: number | null;
  overflow: { afterSeconds: number; toQueueId: string } | null;
  wrapUpSeconds: number;
  offerTimeoutSeconds: number;
  stickyWindowSeconds: number;
  /** Expected handle time until the queue has seen real work; used for EWT. */
  handleSecondsHint?: number;
  /** Optional explicit membership: only these agents serve the queue. */
  agentIds?: string[];
}

export interface AgentProfile {
  id: string;
  skills: { skillId: string; level: number }[];
  /** Multiple of the site's full budget; defaults to 1. */
  capacity?: number;
}

export interface SiteRoutingConfig {
  /** Share of the budget one item of each channel takes (voice 1, webchat 1/3…). */
  capacityCost: Record<Channel, number>;
  /** false: an agent on a call gets nothing else, and a call goes only to an agent with no other work. */
  allowBlending: boolean;
  /** How long a rejected or missed item stays away from that agent. */
  rejectCooldownSeconds: number;
}

export interface RoutingConfig {
  site: SiteRoutingConfig;
  queues: QueueConfig[];
  agents: AgentProfile[];
}

/** One routing decision: offer this item to this agent until `expiresAt`. */
export interface Offer {
  itemId: string;
  agentId: string;
  queueId: string;
  channel: Channel;
  expiresAt: number;
}

export type WithdrawReason =
  'rejected' | 'timeout' | 'agent_unavailable' | 'abandoned' | 'picked' | 'requeued';

/** Things that happened, in order, for the hub to log and publish. Dotted, past tense. */
export type RoutingEvent =
  | { type: 'item.enqueued'; at: number; itemId: string; queueId: string }
  | { type: 'item.offered'; at: number; itemId: string; agentId: string; queueId: string; expiresAt: number }
  | { type: 'offer.withdrawn'; at: number; itemId: string; agentId: string; reason: WithdrawReason }
  | { type: 'item.accepted'; at: number; itemId: string; agentId: string; queueId: string; waitMs: number }
  | { type: 'item.picked'; at: number; itemId: string; agentId: string; queueId: string; waitMs: number }
  | { type: 'item.overflowed'; at: number; itemId: string; fromQueueId: string; toQueueId: string }
  | { type: 'item.expired'; at: number; itemId: string; queueId: string; waitMs: number }
  | { type: 'item.abandoned'; at: number; itemId: string; queueId: string; waitMs: number }
  | { type: 'item.transferred'; at: number; itemId: string; queueId: string; waitMs: number }
  | { type: 'item.requeued'; at: number; itemId: string; queueId: string }
  | { type: 'item.completed'; at: number; itemId: string; agentId: string; wrapUpUntil: number }
  | { type: 'item.released'; at: number; itemId: string; agentId: string }
  | { type: 'agent.state_changed'; at: number; agentId: string; state: AgentStateName; reason?: string };

export interface QueueStats {
  queueId: string;
  waiting: number;
  longestWaitSeconds: number;
  /** Items that entered the queue since the last daily reset. */
  offered: number;
  answered: number;
  answeredWithinTarget: number;
  abandoned: number;
  expired: number;
  /** answeredWithinTarget / (answered + abandoned after the target); null before any. */
  serviceLevel: number | null;
  asaSeconds: number | null;
  /** Qualified agents not offline. */
  agentsLoggedIn: number;
}

export interface AgentStats {
  agentId: string;
  state: AgentStateName;
  reason?: string;
  secondsInState: number;
  /** Share of the budget in use, 0–1 (of `capacity`). */
  load: number;
  items: number;
}

export interface QueuePosition {
  itemId: string;
  queueId: string;
  /** 1 = next in line. */
  position: number;
  /** null while nobody who could serve the queue is logged in. */
  ewtSeconds: number | null;
}
