/**
 * The hub's record of calls: the desk reports each step (offered or dialed,
 * answered, held, resumed, ended) and the wrap-up; the hub keeps one row per
 * call with its durations and appends every step to the site's event log, so
 * calls reach the customer timeline, the KPIs and HQ like everything else.
 * Reports are idempotent: a retried step changes nothing.
 */
import type { Kysely } from 'kysely';
import type { CallEventInput, CallRecord, CallerLookup, WrapUpInput } from '@shared/telephony';
import { normalizePhoneNumber } from '@shared/phone-number';
import type { Actor, HubContext } from '../context';
import { HubError, notFound } from '../errors';
import type { Db } from '../storage/database';
import { appendEvent } from '../storage/event-log';
import { newId } from '../storage/ids';
import { deskCallEnded, deskWrappedUp } from './queue-work';

export interface CallsTable {
  id: string;
  site_id: string;
  agent_id: string;
  call_id: string;
  direction: string;
  remote: string;
  remote_name: string | null;
  customer_id: string | null;
  /** ringing | answered | held | ended */
  state: string;
  offered_at: number;
  answered_at: number | null;
  held_since: number | null;
  hold_ms: number;
  ended_at: number | null;
  end_reason: string | null;
  disposition_id: string | null;
  note: string | null;
  wrapped_up_at: number | null;
  /** The voice work item behind a call to a queue number (migration 0014). */
  work_item_id: string | null;
  /** A consultation call: the id of the call it was made for (migration 0017). */
  consult_of: string | null;
}

type CallsDb = Kysely<{ calls: CallsTable } & (Db extends Kysely<infer S> ? S : never)>;
const withCalls = (db: Db): CallsDb => db.withTables<{ calls: CallsTable }>() as unknown as CallsDb;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toCallRecord(row: CallsTable): CallRecord {
  const answeredAt = num(row.answered_at);
  const endedAt = num(row.ended_at);
  const holdMs = Number(row.hold_ms);
  return {
    id: row.id,
    callId: row.call_id,
    agentId: row.agent_id,
    direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
    remote: row.remote,
    remoteName: row.remote_name,
    customerId: row.customer_id,
    state: row.state as CallRecord['state'],
    offeredAt: Number(row.offered_at),
    answeredAt,
    endedAt,
    endReason: row.end_reason,
    ringMs: answeredAt !== null ? answeredAt - Number(row.offered_at) : null,
    talkMs: answeredAt !== null && endedAt !== null ? Math.max(0, endedAt - answeredAt - holdMs) : null,
    holdMs,
    wrapUpMs: endedAt !== null && row.wrapped_up_at !== null ? Number(row.wrapped_up_at) - endedAt : null,
    dispositionId: row.disposition_id,
    note: row.note,
    workItemId: row.work_item_id ?? null,
    consultOf: row.consult_of ?? null,
  };
}

/** The customer whose voice identity is this number, if any. */
export async function lookupCaller(db: Db, siteId: string, number: string): Promise<CallerLookup> {
  const normalized = normalizePhoneNumber(number);
  if (!normalized) return { number, normalized: null, customer: null };
  const row = await db
    .selectFrom('identities')
    .innerJoin('customers', 'customers.id', 'identities.customer_id')
    .select(['customers.id', 'customers.name', 'customers.segment'])
    .where('identities.site_id', '=', siteId)
    .where('identities.channel', '=', 'voice')
    .where('identities.handle', '=', normalized)
    .executeTakeFirst();
  return { number, normalized, customer: row ? { id: row.id, name: row.name, segment: row.segment } : null };
}

async function logEvent(trx: Db, actor: Actor, type: string, call: CallRecord, at: number) {
  // Call events go to the log (timeline, KPIs, HQ) without a desk audience yet:
  // the desk that reported them already knows, and the protocol's event map
  // gains `call.*` when supervisors' live views need them.
  return appendEvent(trx, actor.siteId, `call.${type}` as never, call as never, [], at);
}

/** Applies one step the desk reported and returns the call as stored. */
export async function recordCallEvent(
  ctx: HubContext,
  actor: Actor,
  input: CallEventInput,
): Promise<CallRecord> {
  const appended = await ctx.db.transaction().execute(async (trx) => {
    const db = withCalls(trx);
    let row = await db
      .selectFrom('calls')
      .selectAll()
      .where('agent_id', '=', actor.userId)
      .where('call_id', '=', input.callId)
      .executeTakeFirst();
    if (!row) {
      if (input.type !== 'offered' && input.type !== 'dialed') {
        throw new HubError('NOT_FOUND', `call ${input.callId} was never offered or dialed`);
      }
      const remoteRaw = input.remote ?? '';
      const caller = await lookupCaller(trx, actor.siteId, remoteRaw);
      row = {
        id: newId(),
        site_id: actor.siteId,
        agent_id: actor.userId,
        call_id: input.callId,
        direction: input.type === 'offered' ? 'inbound' : 'outbound',
        remote: caller.normalized ?? remoteRaw,
        remote_name: input.remoteName ?? null,
        customer_id: caller.customer?.id ?? null,
        state: 'ringing',
        offered_at: input.at,
        answered_at: null,
        held_since: null,
        hold_ms: 0,
        ended_at: null,
        end_reason: null,
        disposition_id: null,
        note: null,
        wrapped_up_at: null,
        work_item_id: input.type === 'offered' ? await routedItem(trx, actor, input.workItemId) : null,
        consult_of: input.type === 'dialed' ? await consultedCall(trx, actor, input.consultFor) : null,
      };
      await db.insertInto('calls').values(row).execute();
      return [await logEvent(trx, actor, input.type, toCallRecord(row), input.at)];
    }
    const patch = nextState(row, input);
    if (!patch) return [];
    await db.updateTable('calls').set(patch).where('id', '=', row.id).execute();
    return [await logEvent(trx, actor, input.type, toCallRecord({ ...row, ...patch }), input.at)];
  });
  ctx.publisher.publish(appended);
  const call = await getCall(ctx, actor, { callId: input.callId });
  if (call.workItemId && call.state === 'ended' && (input.type === 'ended' || input.type === 'transferred')) {
    await deskCallEnded(ctx, actor, call.workItemId);
  }
  return call;
}

/** The queue call the desk says this is, if the hub routed it to this site. */
async function routedItem(trx: Db, actor: Actor, itemId: string | undefined): Promise<string | null> {
  if (!itemId) return null;
  const row = await trx
    .selectFrom('queue_calls')
    .select('item_id')
    .where('item_id', '=', itemId)
    .where('site_id', '=', actor.siteId)
    .executeTakeFirst();
  return row?.item_id ?? null;
}

/**
 * The call a consultation is for: the same agent's call with that desk id.
 * One the hub never heard of (its report was lost) leaves the consultation
 * standing on its own rather than refusing it.
 */
async function consultedCall(trx: Db, actor: Actor, callId: string | undefined): Promise<string | null> {
  if (!callId) return null;
  const row = await withCalls(trx)
    .selectFrom('calls')
    .select('id')
    .where('agent_id', '=', actor.userId)
    .where('call_id', '=', callId)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** What a step changes, or null when it changes nothing (a retry, or news older than the end). */
function nextState(row: CallsTable, input: CallEventInput): Partial<CallsTable> | null {
  if (row.ended_at !== null) return null;
  const heldMs = row.held_since !== null ? Math.max(0, input.at - Number(row.held_since)) : 0;
  switch (input.type) {
    case 'offered':
    case 'dialed':
      return null;
    case 'answered':
      return row.answered_at === null ? { state: 'answered', answered_at: input.at } : null;
    case 'held':
      return row.held_since === null ? { state: 'held', held_since: input.at } : null;
    case 'resumed':
      return row.held_since !== null
        ? { state: 'answered', held_since: null, hold_ms: Number(row.hold_ms) + heldMs }
        : null;
    case 'transferred':
      // A blind transfer ends this agent's part of the call; the target's desk reports its own.
      return {
        state: 'ended',
        ended_at: input.at,
        end_reason: 'transferred',
        held_since: null,
        hold_ms: Number(row.hold_ms) + heldMs,
      };
    case 'ended':
      return {
        state: 'ended',
        ended_at: input.at,
        end_reason: input.reason ?? (row.answered_at !== null ? 'completed' : 'not_answered'),
        held_since: null,
        hold_ms: Number(row.hold_ms) + heldMs,
      };
  }
}

export async function getCall(
  ctx: HubContext,
  actor: Actor,
  by: { id: string } | { callId: string },
): Promise<CallRecord> {
  let q = withCalls(ctx.db).selectFrom('calls').selectAll().where('site_id', '=', actor.siteId);
  q =
    'id' in by
      ? q.where('id', '=', by.id)
      : q.where('agent_id', '=', actor.userId).where('call_id', '=', by.callId);
  const row = await q.executeTakeFirst();
  if (!row || (row.agent_id !== actor.userId && actor.role === 'agent')) throw notFound('call');
  return toCallRecord(row);
}

export async function wrapUpCall(
  ctx: HubContext,
  actor: Actor,
  id: string,
  input: WrapUpInput,
): Promise<CallRecord> {
  const appended = await ctx.db.transaction().execute(async (trx) => {
    const db = withCalls(trx);
    const row = await db
      .selectFrom('calls')
      .selectAll()
      .where('id', '=', id)
      .where('agent_id', '=', actor.userId)
      .executeTakeFirst();
    if (!row) throw notFound('call');
    if (row.ended_at === null)
      throw new HubError('INVALID_STATE_TRANSITION', 'wrap-up comes after the call ends');
    const disposition = await trx
      .selectFrom('dispositions')
      .select('id')
      .where('id', '=', input.dispositionId)
      .where('site_id', '=', actor.siteId)
      .executeTakeFirst();
    if (!disposition)
      throw new HubError('VALIDATION_FAILED', 'unknown disposition', { field: 'dispositionId' });
    const patch = {
      disposition_id: input.dispositionId,
      note: input.note?.trim() || null,
      wrapped_up_at: row.wrapped_up_at ?? Math.max(input.at, Number(row.ended_at)),
    };
    await db.updateTable('calls').set(patch).where('id', '=', id).execute();
    return [await logEvent(trx, actor, 'wrapped_up', toCallRecord({ ...row, ...patch }), input.at)];
  });
  ctx.publisher.publish(appended);
  const call = await getCall(ctx, actor, { id });
  if (call.workItemId) await deskWrappedUp(ctx, actor, call.workItemId);
  return call;
}

/** The agent's own recent calls; supervisors see their site's. */
export async function listCalls(ctx: HubContext, actor: Actor, limit: number): Promise<CallRecord[]> {
  let q = withCalls(ctx.db)
    .selectFrom('calls')
    .selectAll()
    .where('site_id', '=', actor.siteId)
    .orderBy('offered_at', 'desc')
    .limit(limit);
  if (actor.role === 'agent') q = q.where('agent_id', '=', actor.userId);
  return (await q.execute()).map(toCallRecord);
}
