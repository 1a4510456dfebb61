/**
 * Calls to a queue number, routed by the hub. Kamailio never decides who
 * rings: it asks here (`POST /api/v1/sip/route`, see queue-call-routes.ts) and
 * forwards the INVITE to the agent this answers with. The call is a voice
 * work item in the routing engine like any chat, so offers, ring-no-answer
 * (not_ready `missed`), abandoned calls and the queue KPIs are the engine's.
 *
 *   new       a caller dialled a queue number: enqueue, ring the agent offered
 *   next      that agent did not answer (Kamailio's ring timer or a decline): the next one
 *   answered  the agent's 200 OK went through Kamailio: the offer is accepted
 *   abandoned the caller hung up before anyone answered
 *
 * The agent's desk reports the rest (hang-up → work completed, wrap-up →
 * agent free) through the ordinary call events, tied by the work item id
 * Kamailio puts in the INVITE (`X-Ieum-Item`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import { RoutingError } from '../routing/core';
import { lookupCaller } from './call-log';
import { sipUserFor } from './sip-credentials';

/** What Kamailio does next with the INVITE. */
export type RouteAnswer =
  | { kind: 'ring'; sipUser: string; ringSeconds: number; itemId: string }
  | { kind: 'reject'; code: 404 | 480 | 486 | 487 | 503; reason: string }
  /** Hold music is playing: Kamailio sends this SDP (rtpengine's, for the caller) in a 183. */
  | { kind: 'hold'; sdp: string }
  | { kind: 'ok' };

/** One line of text, so Kamailio's script can split it without a JSON module. */
export function formatRouteAnswer(a: RouteAnswer): string {
  switch (a.kind) {
    case 'ring':
      return `ring ${a.sipUser} ${a.ringSeconds} ${a.itemId}`;
    case 'reject':
      return `reject ${a.code} ${a.reason}`;
    case 'hold':
      // Base64: the SDP's lines and spaces would not survive Kamailio's one-line split.
      return `hold ${Buffer.from(a.sdp).toString('base64')}`;
    case 'ok':
      return 'ok';
  }
}

const TOKEN_LABEL = 'ieum-kamailio-route';

/**
 * The bearer token Kamailio presents: derived from the shared SIP secret, so
 * nothing new is configured and the secret itself never crosses the wire.
 * scripts/kamailio.sh computes the same with openssl.
 */
export function routeToken(secret: string): string {
  return createHmac('sha256', secret).update(TOKEN_LABEL).digest('hex');
}

export function routeTokenMatches(secret: string, presented: string): boolean {
  const want = Buffer.from(routeToken(secret));
  const got = Buffer.from(presented);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** How often to look whether the engine has offered a waiting call. */
const POLL_MS = 100;
/** Ring the agent a little less than the offer lasts, so Kamailio's timer decides, not ours. */
const RING_MARGIN_MS = 1_000;

export interface NewQueueCall {
  callId: string;
  /** The dialled user part. */
  number: string;
  caller: string;
  /** How long the caller may wait for a free agent before being turned away. */
  waitSeconds: number;
}

function routing(ctx: HubContext) {
  if (!ctx.routing) throw new HubError('UNAVAILABLE', 'routing is not running on this hub');
  return ctx.routing;
}

/** A caller dialled a number: ring the queue's best agent, or say why not. */
export async function newQueueCall(ctx: HubContext, call: NewQueueCall): Promise<RouteAnswer> {
  const log = ctx.log.child({ module: 'queue-calls' });
  const dialled = await ctx.db
    .selectFrom('queue_numbers')
    .selectAll()
    .where('number', '=', call.number)
    .executeTakeFirst();
  if (!dialled) return { kind: 'reject', code: 404, reason: 'Not Found' };
  const known = await ctx.db
    .selectFrom('queue_calls')
    .selectAll()
    .where('sip_call_id', '=', call.callId)
    .executeTakeFirst();
  // A repeated question (Kamailio retried): the answer stands.
  if (known) return ringOrGiveUp(ctx, known.site_id, known.item_id, 0);
  const router = await routing(ctx).router(dialled.site_id);
  const queue = router.engine.queueStats(Date.now()).find((q) => q.queueId === dialled.queue_id);
  if (!queue || queue.agentsLoggedIn === 0) {
    log.info({ number: call.number, queueId: dialled.queue_id }, 'queue call refused: nobody logged in');
    return { kind: 'reject', code: 480, reason: 'No agent available' };
  }
  const caller = await lookupCaller(ctx.db, dialled.site_id, call.caller);
  const queued = await routing(ctx).enqueue(dialled.site_id, {
    queueId: dialled.queue_id,
    channel: 'voice',
    ...(caller.customer ? { customerId: caller.customer.id } : {}),
  });
  if (queued.status !== 'queued' || !queued.item) {
    log.info({ number: call.number, status: queued.status }, 'queue call refused: queue closed');
    return { kind: 'reject', code: 480, reason: 'Closed' };
  }
  await ctx.db
    .insertInto('queue_calls')
    .values({
      item_id: queued.item.id,
      site_id: dialled.site_id,
      sip_call_id: call.callId,
      number: call.number,
      caller: caller.normalized ?? call.caller,
      agent_id: null,
      attempts: 0,
      created_at: Date.now(),
    })
    .execute();
  log.info({ itemId: queued.item.id, queueId: dialled.queue_id }, 'queue call enqueued');
  return ringOrGiveUp(ctx, dialled.site_id, queued.item.id, call.waitSeconds * 1000);
}

/**
 * The agent Kamailio rang did not answer: `code` is the SIP status of the
 * branch (408 when its ring timer ran out). A decline (486/603) keeps the
 * call away from that agent for the cooldown; anything else is a missed
 * offer, and the agent is set not_ready(missed) as for an unanswered chat.
 */
export async function nextQueueAgent(
  ctx: HubContext,
  itemId: string,
  code: number,
  waitSeconds: number,
): Promise<RouteAnswer> {
  const row = await queueCall(ctx, itemId);
  if (!row) return { kind: 'reject', code: 404, reason: 'Not Found' };
  const router = await routing(ctx).router(row.site_id);
  if (row.agent_id) {
    const agentId = row.agent_id;
    await router.step((engine, now) => {
      const item = engine.getItem(itemId);
      if (item?.status !== 'offered' || item.agentId !== agentId) return;
      if (code === 486 || code === 600 || code === 603) engine.reject(itemId, agentId, now);
      else engine.miss(itemId, agentId, now);
    });
  }
  return ringOrGiveUp(ctx, row.site_id, itemId, waitSeconds * 1000);
}

/** The agent Kamailio rang answered (their 200 OK): the offer is theirs. */
export async function queueCallAnswered(ctx: HubContext, itemId: string): Promise<RouteAnswer> {
  const row = await queueCall(ctx, itemId);
  if (!row?.agent_id) return { kind: 'reject', code: 404, reason: 'Not Found' };
  const agentId = row.agent_id;
  const router = await routing(ctx).router(row.site_id);
  await router.step((engine, now) => {
    const item = engine.getItem(itemId);
    if (!item) return;
    if (item.status === 'offered' && item.agentId === agentId) engine.accept(itemId, agentId, now);
    // Our offer ran out a moment before the phone was picked up: whoever answered has it.
    else if (item.status === 'waiting' || item.status === 'offered') engine.pick(itemId, agentId, now);
  });
  return { kind: 'ok' };
}

/** The caller hung up while waiting or ringing. */
export async function queueCallAbandoned(ctx: HubContext, itemId: string): Promise<RouteAnswer> {
  const row = await queueCall(ctx, itemId);
  if (!row) return { kind: 'ok' };
  await abandonIfWaiting(ctx, row.site_id, itemId);
  return { kind: 'ok' };
}

async function queueCall(ctx: HubContext, itemId: string) {
  return ctx.db.selectFrom('queue_calls').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

async function abandonIfWaiting(ctx: HubContext, siteId: string, itemId: string): Promise<boolean> {
  const router = await routing(ctx).router(siteId);
  const status = router.engine.getItem(itemId)?.status;
  if (status !== 'waiting' && status !== 'offered') return false;
  try {
    await routing(ctx).abandon(siteId, itemId);
    return true;
  } catch (err) {
    // Answered in between: nothing to abandon.
    if (err instanceof RoutingError) return false;
    throw err;
  }
}

/**
 * Waits (up to `waitMs`) until the engine offers the call, then names the
 * agent to ring. Nobody free in time: the caller is turned away and the call
 * counts as abandoned (they left the queue unserved).
 */
async function ringOrGiveUp(
  ctx: HubContext,
  siteId: string,
  itemId: string,
  waitMs: number,
): Promise<RouteAnswer> {
  const router = await routing(ctx).router(siteId);
  const until = Date.now() + waitMs;
  for (;;) {
    const item = router.engine.getItem(itemId);
    if (!item || item.status === 'active' || item.status === 'wrap_up') {
      return { kind: 'reject', code: 487, reason: 'Request Terminated' };
    }
    if (item.status === 'offered' && item.agentId && item.offerExpiresAt) {
      const user = await ctx.db
        .selectFrom('users')
        .select('username')
        .where('id', '=', item.agentId)
        .executeTakeFirstOrThrow();
      await ctx.db
        .updateTable('queue_calls')
        .set((eb) => ({ agent_id: item.agentId, attempts: eb('attempts', '+', 1) }))
        .where('item_id', '=', itemId)
        .execute();
      const left = item.offerExpiresAt - Date.now() - RING_MARGIN_MS;
      return {
        kind: 'ring',
        sipUser: sipUserFor(user.username),
        ringSeconds: Math.max(1, Math.floor(left / 1000)),
        itemId,
      };
    }
    if (Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await abandonIfWaiting(ctx, siteId, itemId);
  ctx.log.child({ module: 'queue-calls' }).info({ itemId }, 'queue call turned away: no agent free');
  return { kind: 'reject', code: 480, reason: 'No agent available' };
}
