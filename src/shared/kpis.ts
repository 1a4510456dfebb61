/**
 * Events that only go to a site's log (no desk receives them) and the KPIs
 * computed from the log. The same computation runs at a site and at HQ over
 * the replicated copy, so the figures agree to the digit. Formulas:
 * docs/kpis.md.
 */
import { z } from 'zod';
import type { Channel } from './domain';

/** The ACD's lifecycle of a piece of work, as the site log records it. */
export interface SiteEventPayloads {
  'work.enqueued': {
    itemId: string;
    queueId: string;
    channel: Channel;
    conversationId: string | null;
    slTargetSeconds: number;
  };
  'work.answered': {
    itemId: string;
    queueId: string;
    agentId: string;
    waitMs: number;
    slTargetSeconds: number;
  };
  'work.abandoned': { itemId: string; queueId: string; waitMs: number; slTargetSeconds: number };
  'work.expired': { itemId: string; queueId: string; waitMs: number };
  'work.overflowed': { itemId: string; fromQueueId: string; toQueueId: string };
  /** The agent finished the work; wrap-up starts. `handleMs`: from answer to here. */
  'work.completed': { itemId: string; agentId: string; handleMs: number };
  /** Wrap-up over; the budget is free. `wrapMs`: from completion to here. */
  'work.released': { itemId: string; agentId: string; wrapMs: number };
  /** An agent replied on another channel than the conversation's own (e.g. a web chat answered by SMS). */
  'conversation.channel_switched': {
    conversationId: string;
    messageId: string;
    from: Channel;
    to: Channel;
    agentId: string | null;
  };
  /** A customer answered the end-of-chat survey (CSAT 1–5; NPS 0–10 and CES 1–7 optional). */
  'survey.answered': {
    conversationId: string;
    customerId: string;
    csat: number;
    nps: number | null;
    ces: number | null;
  };
}
export type SiteEventType = keyof SiteEventPayloads;

const Rate = z.number().min(0).max(1).nullable();
const Seconds = z.number().min(0).nullable();

export const Kpis = z.object({
  from: z.string(),
  to: z.string(),
  /** Work that entered a queue, and how it ended. */
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  expired: z.number(),
  byChannel: z.record(z.string(), z.number()),
  /** Average handle time: routed work (handle + wrap-up) and calls (talk + hold + wrap-up) together. */
  ahtSeconds: Seconds,
  asaSeconds: Seconds,
  serviceLevel: Rate,
  abandonRate: Rate,
  firstResponseSeconds: Seconds,
  resolutionSeconds: Seconds,
  occupancy: Rate,
  calls: z.object({
    count: z.number(),
    talkSeconds: z.number(),
    holdSeconds: z.number(),
    wrapUpSeconds: z.number(),
  }),
  /** Survey scores; null until surveys are answered in the period. */
  csat: z.number().nullable(),
  nps: z.number().nullable(),
  ces: z.number().nullable(),
  surveys: z.number(),
});
export type Kpis = z.infer<typeof Kpis>;

export const GroupKpis = z.object({
  sites: z.array(z.object({ siteId: z.string(), code: z.string(), name: z.string(), kpis: Kpis })),
  total: Kpis,
});
export type GroupKpis = z.infer<typeof GroupKpis>;
