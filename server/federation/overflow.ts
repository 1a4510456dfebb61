/**
 * Overflow between sites, relayed by HQ (only site → HQ requests, so it works
 * through NAT like replication does).
 *
 * HQ is the one place a transfer's state is decided, so the work is never in
 * two queues and never in none:
 *
 * 1. The origin site sees waiting work past its queue's `remoteOverflow`
 *    threshold, asks HQ whether the named site is reachable (`probe`; nothing
 *    stored), takes the work out of its own queue and records the transfer in
 *    the same transaction, then `commit`s it to HQ with the conversation's
 *    history. HQ or the other site unreachable at the probe: nothing moves.
 * 2. The target site finds it in its `inbox`, `claim`s it (committed →
 *    delivered, atomically at HQ), creates the customer, the conversation with
 *    the transferred messages and its own record of the transfer in one
 *    transaction (idempotent by transfer id), routes it, and reports `done`.
 *    No such queue: it `refuse`s.
 * 3. The origin follows its transfers: delivered → finished; refused, or
 *    still unclaimed after RETURN_AFTER_MS and `return`ed by HQ → the work
 *    waits in its own queue again.
 *
 * Each conversation crosses at most once, so two sites overflowing into each
 * other cannot bounce work back and forth. Only work on a channel the other
 * site can answer itself crosses (REMOTE_OVERFLOW_CHANNELS: SMS); web chat and
 * voice stay and route here.
 */
import type { Logger } from 'pino';
import {
  type OverflowAnswer,
  OverflowPayload,
  type OverflowRequest,
  type OverflowTransferView,
  REMOTE_OVERFLOW_CHANNELS,
  overflowsAcrossSites,
} from '@shared/federation';
import { type Channel, QueueRouting } from '@shared/domain';
import type { HubContext } from '../context';
import { forbidden, HubError } from '../errors';
import { resolveIdentity } from '../customers/identity-resolution';
import { customersDb } from '../customers/customer-tables';
import { RoutingError } from '../routing/core/routing-error';
import type { Db } from '../storage/database';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { newId } from '../storage/ids';

/** A committed transfer nobody claimed for this long goes back to its origin queue. */
export const RETURN_AFTER_MS = 120_000;
/** Messages of the history that travel with the work (the newest). */
const HISTORY = 200;

export type OverflowSend = (req: OverflowRequest) => Promise<OverflowAnswer>;

// ── a site ────────────────────────────────────────────────────────────────

/** One round: send due work away, follow what was sent, take what was sent here. */
export async function runOverflow(ctx: HubContext, send: OverflowSend, log: Logger): Promise<void> {
  if (!ctx.routing) return;
  await sendDue(ctx, send, log);
  await followOutgoing(ctx, send, log);
  await takeIncoming(ctx, send, log);
}

async function sendDue(ctx: HubContext, send: OverflowSend, log: Logger): Promise<void> {
  const queues = await ctx.db.selectFrom('queues').select(['id', 'site_id', 'routing_json']).execute();
  for (const q of queues) {
    const rule = QueueRouting.safeParse(JSON.parse(q.routing_json || '{}'));
    const remote = rule.success ? rule.data.remoteOverflow : null;
    if (!remote) continue;
    const due = await ctx.db
      .selectFrom('work_items as w')
      .select(['w.id', 'w.conversation_id', 'w.priority', 'w.enqueued_at'])
      .where('w.queue_id', '=', q.id)
      .where('w.status', '=', 'waiting')
      .where('w.conversation_id', 'is not', null)
      // Only work the other site can answer itself; web chat and voice stay and route here.
      .where('w.channel', 'in', [...REMOTE_OVERFLOW_CHANNELS])
      .where('w.queue_entered_at', '<=', Date.now() - remote.afterSeconds * 1000)
      // At most once per conversation, in either direction.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('overflow_transfers as t')
              .select('t.id')
              .whereRef('t.conversation_id', '=', 'w.conversation_id'),
          ),
        ),
      )
      .orderBy('w.seq')
      .limit(20)
      .execute();
    if (due.length === 0) continue;
    const probe = await send({ op: 'probe', toSiteCode: remote.siteCode });
    if (!probe.reachable) continue;
    for (const item of due) {
      const transferId = await withdraw(ctx, q.site_id, item.id, item.conversation_id!, remote);
      if (transferId) {
        log.info({ transferId, itemId: item.id, to: remote.siteCode }, 'work overflowed to another site');
        await commit(ctx, send, transferId, log);
      }
    }
  }
}

/** Takes the work out of the local queue and records the transfer, in one transaction; null if it was no longer waiting. */
async function withdraw(
  ctx: HubContext,
  siteId: string,
  itemId: string,
  conversationId: string,
  remote: { siteCode: string; queueName: string },
): Promise<string | null> {
  const router = await ctx.routing!.router(siteId);
  const transferId = newId();
  return router.exclusive(async () => {
    try {
      const events = await ctx.db.transaction().execute(async (trx) => {
        const { value: waitMs, events } = await router.applyIn(trx, (engine, now) => {
          const before = engine.getItem(itemId);
          engine.transferOut(itemId, now);
          return before ? now - before.enqueuedAt : 0;
        });
        const now = Date.now();
        await trx
          .insertInto('overflow_transfers')
          .values({
            id: transferId,
            site_id: siteId,
            direction: 'out',
            work_item_id: itemId,
            conversation_id: conversationId,
            to_site_code: remote.siteCode,
            to_queue: remote.queueName,
            state: 'committing',
            created_at: now,
            updated_at: now,
          })
          .execute();
        const item = await trx
          .selectFrom('work_items')
          .select('queue_id')
          .where('id', '=', itemId)
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('conversations')
          .set({ status: 'resolved', waiting_since: null })
          .where('id', '=', conversationId)
          .execute();
        const logged = await appendEvent(
          trx,
          siteId,
          'work.transferred',
          {
            itemId,
            queueId: item.queue_id,
            transferId,
            toSiteCode: remote.siteCode,
            toQueue: remote.queueName,
            waitMs,
          },
          [],
          now,
        );
        return [...events, logged];
      });
      ctx.publisher.publish(events);
      return transferId;
    } catch (err) {
      // Offered to a local agent (or gone) meanwhile: it stays here.
      if (err instanceof RoutingError) return null;
      throw err;
    } finally {
      await router.afterStep();
    }
  });
}

/** The conversation as it travels: customer contact, the newest messages, where it came from. */
async function payloadOf(db: Db, conversationId: string): Promise<OverflowPayload> {
  const cdb = customersDb(db);
  const conv = await cdb
    .selectFrom('conversations as c')
    .innerJoin('customers as u', 'u.id', 'c.customer_id')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .select(['c.id', 'c.channel', 'c.subject', 'c.priority', 'c.customer_id', 'u.name', 's.code'])
    .where('c.id', '=', conversationId)
    .executeTakeFirstOrThrow();
  const handles = await cdb
    .selectFrom('identities')
    .select('handle')
    .where('customer_id', '=', conv.customer_id)
    .execute();
  const messages = await db
    .selectFrom('messages as m')
    .leftJoin('users as a', 'a.id', 'm.author_id')
    .select(['m.direction', 'm.body', 'm.created_at', 'a.display_name'])
    .where('m.conversation_id', '=', conversationId)
    .orderBy('m.created_at', 'desc')
    .limit(HISTORY)
    .execute();
  return OverflowPayload.parse({
    channel: conv.channel,
    subject: conv.subject,
    priority: Number(conv.priority),
    customer: {
      name: conv.name,
      phone: handles.find((h) => /^\+\d+$/.test(h.handle))?.handle ?? null,
      email: handles.find((h) => h.handle.includes('@'))?.handle ?? null,
    },
    messages: messages.reverse().map((m) => ({
      direction: m.direction as 'in' | 'out' | 'note',
      body: m.body,
      author: m.display_name ?? null,
      at: Number(m.created_at),
    })),
    from: { siteCode: conv.code, conversationId: conv.id },
  });
}

async function setState(db: Db, transferId: string, state: string): Promise<void> {
  await db
    .updateTable('overflow_transfers')
    .set({ state, updated_at: Date.now() })
    .where('id', '=', transferId)
    .execute();
}

/** Hands a withdrawn transfer to HQ; on a refusal the work waits here again. */
async function commit(ctx: HubContext, send: OverflowSend, transferId: string, log: Logger): Promise<void> {
  const row = await ctx.db
    .selectFrom('overflow_transfers')
    .selectAll()
    .where('id', '=', transferId)
    .executeTakeFirstOrThrow();
  const answer = await send({
    op: 'commit',
    transferId,
    fromSiteId: row.site_id,
    toSiteCode: row.to_site_code,
    toQueue: row.to_queue,
    payload: await payloadOf(ctx.db, row.conversation_id!),
  });
  const t = answer.transfers[0];
  if (t?.state === 'refused') await giveBack(ctx, transferId, t.reason, log);
  else if (t) await setState(ctx.db, transferId, t.state === 'committed' ? 'committed' : 'delivered');
}

/** The work comes back to the queue it left (HQ returned it, or the other site refused it). */
async function giveBack(ctx: HubContext, transferId: string, reason: string | null, log: Logger) {
  const row = await ctx.db
    .selectFrom('overflow_transfers as t')
    .innerJoin('work_items as w', 'w.id', 't.work_item_id')
    .select(['t.site_id', 't.conversation_id', 't.work_item_id', 'w.queue_id', 'w.channel', 'w.priority'])
    .where('t.id', '=', transferId)
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('conversations')
    .set({ status: 'pending', waiting_since: Date.now() })
    .where('id', '=', row.conversation_id!)
    .execute();
  try {
    await ctx.routing!.enqueue(row.site_id, {
      queueId: row.queue_id,
      channel: row.channel as Channel,
      conversationId: row.conversation_id!,
      priority: Number(row.priority),
    });
  } catch (err) {
    // Already back in line (an earlier round got this far before failing): nothing to redo.
    if (!(err instanceof HubError && err.code === 'CONFLICT')) throw err;
  }
  const event = await ctx.db.transaction().execute(async (trx) => {
    await setState(trx, transferId, 'returned');
    return appendEvent(
      trx,
      row.site_id,
      'work.transfer_returned',
      {
        itemId: row.work_item_id!,
        transferId,
        reason,
      },
      [],
    );
  });
  ctx.publisher.publish([event]);
  log.warn({ transferId, reason }, 'overflow came back; the work waits here again');
}

async function followOutgoing(ctx: HubContext, send: OverflowSend, log: Logger): Promise<void> {
  const open = await ctx.db
    .selectFrom('overflow_transfers')
    .select(['id', 'state', 'created_at'])
    .where('direction', '=', 'out')
    .where('state', 'in', ['committing', 'committed'])
    .execute();
  for (const t of open.filter((r) => r.state === 'committing')) await commit(ctx, send, t.id, log);
  const committed = open.filter((r) => r.state === 'committed');
  if (committed.length === 0) return;
  const answer = await send({ op: 'status', transferIds: committed.map((t) => t.id) });
  const byId = new Map(answer.transfers.map((t) => [t.transferId, t]));
  for (const t of committed) {
    let at = byId.get(t.id);
    if (at?.state === 'committed' && Date.now() - Number(t.created_at) > RETURN_AFTER_MS) {
      at = (await send({ op: 'return', transferId: t.id })).transfers[0] ?? at;
    }
    if (!at) continue;
    if (at.state === 'delivered' || at.state === 'done') await setState(ctx.db, t.id, 'delivered');
    else if (at.state === 'returned' || at.state === 'refused') await giveBack(ctx, t.id, at.reason, log);
  }
}

async function takeIncoming(ctx: HubContext, send: OverflowSend, log: Logger): Promise<void> {
  const inbox = await send({ op: 'inbox' });
  for (const t of inbox.transfers) {
    const have = await ctx.db
      .selectFrom('overflow_transfers')
      .select(['conversation_id', 'site_id'])
      .where('id', '=', t.transferId)
      .executeTakeFirst();
    if (have) {
      // Received before (we stopped before `done`): make sure it is in line, then report.
      await routeReceived(ctx, have.site_id, have.conversation_id!, t);
      await send({ op: 'done', transferId: t.transferId });
      continue;
    }
    const queue = await ctx.db
      .selectFrom('queues')
      .select(['id', 'channels_json'])
      .where('site_id', '=', t.toSiteId)
      .where('name', '=', t.toQueue)
      .executeTakeFirst();
    const payload = t.payload;
    if (!payload || !queue || !(JSON.parse(queue.channels_json) as string[]).includes(payload.channel)) {
      await send({ op: 'refuse', transferId: t.transferId, reason: 'no such queue for this channel here' });
      continue;
    }
    if (!answerableHere(ctx, payload.channel)) {
      // Defence in depth: an origin of another version, or this site without the adapter.
      log.warn(
        { transferId: t.transferId, channel: payload.channel },
        'overflow refused: cannot answer it here',
      );
      await send({ op: 'refuse', transferId: t.transferId, reason: `cannot answer ${payload.channel} here` });
      continue;
    }
    const claimed = (await send({ op: 'claim', transferId: t.transferId })).transfers[0];
    if (claimed?.state !== 'delivered') continue;
    const conversationId = await receive(ctx, t, queue.id, payload);
    await routeReceived(ctx, t.toSiteId, conversationId, t);
    await send({ op: 'done', transferId: t.transferId });
    log.info({ transferId: t.transferId, from: payload.from.siteCode }, 'overflowed work received');
  }
}

/** This site can reply on the channel itself: it may cross sites, and our adapter for it is set up. */
const answerableHere = (ctx: HubContext, channel: Channel): boolean =>
  overflowsAcrossSites(channel) && ctx.channels?.adapter(channel) !== undefined;

/** Customer, conversation with its history and our record of the transfer: one transaction. */
async function receive(
  ctx: HubContext,
  t: OverflowTransferView,
  queueId: string,
  p: OverflowPayload,
): Promise<string> {
  const siteId = t.toSiteId;
  const conversationId = newId();
  const event: AppendedEvent = await ctx.db.transaction().execute(async (trx) => {
    const now = Date.now();
    const who = await resolveIdentity(
      trx,
      siteId,
      {
        name: p.customer.name,
        ...(p.customer.phone ? { phone: p.customer.phone } : {}),
        ...(p.customer.email ? { email: p.customer.email } : {}),
      },
      { now },
    );
    if (!who.customerId) throw new HubError('VALIDATION_FAILED', 'overflowed work without a customer');
    await trx
      .insertInto('conversations')
      .values({
        id: conversationId,
        site_id: siteId,
        customer_id: who.customerId,
        channel: p.channel,
        queue_id: queueId,
        status: 'pending',
        priority: p.priority,
        assignee_id: null,
        subject: p.subject,
        waiting_since: now,
        created_at: now,
        last_message_at: p.messages.at(-1)?.at ?? now,
      })
      .execute();
    for (const m of p.messages) {
      await trx
        .insertInto('messages')
        .values({
          id: newId(),
          site_id: siteId,
          conversation_id: conversationId,
          direction: m.direction,
          author_id: null,
          // Who wrote an answer at the other center stays readable here.
          body: m.direction === 'in' || !m.author ? m.body : `[${p.from.siteCode} · ${m.author}] ${m.body}`,
          client_id: null,
          created_at: m.at,
        })
        .execute();
    }
    await trx
      .insertInto('overflow_transfers')
      .values({
        id: t.transferId,
        site_id: siteId,
        direction: 'in',
        work_item_id: null,
        conversation_id: conversationId,
        to_site_code: p.from.siteCode,
        to_queue: t.toQueue,
        state: 'received',
        created_at: now,
        updated_at: now,
      })
      .execute();
    return appendEvent(
      trx,
      siteId,
      'work.transfer_received',
      { transferId: t.transferId, conversationId, fromSiteCode: p.from.siteCode },
      [],
      now,
    );
  });
  ctx.publisher.publish([event]);
  return conversationId;
}

/** Puts a received conversation in line unless it already is (or was handled). */
async function routeReceived(
  ctx: HubContext,
  siteId: string,
  conversationId: string,
  t: OverflowTransferView,
) {
  const conv = await ctx.db
    .selectFrom('conversations')
    .select(['status', 'channel', 'queue_id', 'priority', 'customer_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!conv || conv.status !== 'pending' || !conv.queue_id) return;
  const routed = await ctx.db
    .selectFrom('work_items')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (routed) return;
  try {
    await ctx.routing!.enqueue(siteId, {
      queueId: conv.queue_id,
      channel: conv.channel as Channel,
      conversationId,
      customerId: conv.customer_id,
      priority: Number(conv.priority),
    });
  } catch (err) {
    if (!(err instanceof HubError && err.code === 'CONFLICT')) throw err;
  }
  void t;
}

// ── HQ ────────────────────────────────────────────────────────────────────

/** A site counts as reachable when it was heard from this recently. */
const reachableWithin = (ctx: HubContext) =>
  Math.max(15_000, 3 * ctx.config.federationHeartbeatSeconds * 1000);

type HqRow = {
  transfer_id: string;
  from_site_id: string;
  to_site_id: string;
  to_queue: string;
  payload: string;
  state: string;
  reason: string | null;
};

const view = (r: HqRow, withPayload = false): OverflowTransferView => ({
  transferId: r.transfer_id,
  fromSiteId: r.from_site_id,
  toSiteId: r.to_site_id,
  toQueue: r.to_queue,
  state: r.state as OverflowTransferView['state'],
  reason: r.reason,
  ...(withPayload ? { payload: OverflowPayload.parse(JSON.parse(r.payload)) } : {}),
});

/** The target site by code, if it belongs to an active member and was heard from lately. */
async function reachableSite(ctx: HubContext, code: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('hq_sites as h')
    .innerJoin('sites as s', 's.id', 'h.site_id')
    .innerJoin('hq_members as m', 'm.id', 'h.member_id')
    .select(['h.site_id', 'h.last_contact_at', 'm.revoked_at'])
    .where('s.code', '=', code)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  return Date.now() - Number(row.last_contact_at ?? 0) <= reachableWithin(ctx) ? row.site_id : null;
}

/** HQ's side: every state change is one conditional UPDATE, so concurrent requests cannot both win. */
export async function handleOverflow(
  ctx: HubContext,
  memberId: string,
  req: OverflowRequest,
): Promise<OverflowAnswer> {
  const own = (
    await ctx.db.selectFrom('hq_sites').select('site_id').where('member_id', '=', memberId).execute()
  ).map((r) => r.site_id);
  const now = Date.now();
  const one = async (id: string) =>
    ctx.db.selectFrom('hq_overflow').selectAll().where('transfer_id', '=', id).executeTakeFirst();
  const move = async (
    id: string,
    from: string[],
    to: string,
    side: 'from_site_id' | 'to_site_id',
    reason?: string,
  ) => {
    if (own.length > 0)
      await ctx.db
        .updateTable('hq_overflow')
        .set({ state: to, updated_at: now, ...(reason !== undefined ? { reason } : {}) })
        .where('transfer_id', '=', id)
        .where('state', 'in', from)
        .where(side, 'in', own)
        .execute();
    const row = await one(id);
    if (row && !own.includes(row[side])) throw forbidden('this transfer is not yours');
    return { transfers: row ? [view(row)] : [] };
  };
  switch (req.op) {
    case 'probe':
      return { reachable: (await reachableSite(ctx, req.toSiteCode)) !== null, transfers: [] };
    case 'commit': {
      if (!own.includes(req.fromSiteId)) throw forbidden('this site does not belong to your hub');
      const existing = await one(req.transferId);
      if (existing) return { transfers: [view(existing)] };
      const toSiteId = await reachableSite(ctx, req.toSiteCode);
      if (!toSiteId) {
        // Not stored: the origin keeps the work.
        return {
          transfers: [
            {
              transferId: req.transferId,
              fromSiteId: req.fromSiteId,
              toSiteId: req.fromSiteId,
              toQueue: req.toQueue,
              state: 'refused',
              reason: 'the other site is not reachable',
            },
          ],
        };
      }
      await ctx.db
        .insertInto('hq_overflow')
        .values({
          transfer_id: req.transferId,
          from_site_id: req.fromSiteId,
          to_site_id: toSiteId,
          to_queue: req.toQueue,
          payload: JSON.stringify(req.payload),
          state: 'committed',
          reason: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('transfer_id').doNothing())
        .execute();
      return { transfers: [view((await one(req.transferId))!)] };
    }
    case 'status': {
      if (req.transferIds.length === 0 || own.length === 0) return { transfers: [] };
      const rows = await ctx.db
        .selectFrom('hq_overflow')
        .selectAll()
        .where('transfer_id', 'in', req.transferIds)
        .where('from_site_id', 'in', own)
        .execute();
      return { transfers: rows.map((r) => view(r)) };
    }
    case 'return':
      return move(req.transferId, ['committed'], 'returned', 'from_site_id');
    case 'inbox': {
      if (own.length === 0) return { transfers: [] };
      const rows = await ctx.db
        .selectFrom('hq_overflow')
        .selectAll()
        .where('to_site_id', 'in', own)
        .where('state', 'in', ['committed', 'delivered'])
        .orderBy('created_at')
        .limit(50)
        .execute();
      return { transfers: rows.map((r) => view(r, true)) };
    }
    case 'claim':
      return move(req.transferId, ['committed'], 'delivered', 'to_site_id');
    case 'refuse':
      return move(req.transferId, ['committed'], 'refused', 'to_site_id', req.reason);
    case 'done':
      return move(req.transferId, ['delivered'], 'done', 'to_site_id');
  }
}
