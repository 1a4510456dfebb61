/**
 * Agent state: `offline | ready | not_ready(reason) | busy | wrap_up`.
 *
 * Every change closes the previous row of `agent_state_history` (so time in
 * each state is recorded) and appends `agent.state_changed` to the event log,
 * delivered to the agent and to the site's supervisors.
 */
import type { AgentStateName, AgentStatus } from '@shared/domain';
import type { AgentStatusView } from '@shared/api';
import type { Actor, HubContext } from '../context';
import { SUPERVISING_ROLES } from '../context';
import { HubError, notFound } from '../errors';
import type { Db } from '../storage/database';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { toAgentStatus } from '../storage/rows';

/** Which states an agent may move to by their own command, from each state. */
const AGENT_MOVES: Record<AgentStateName, readonly AgentStateName[]> = {
  offline: ['ready', 'not_ready', 'offline'],
  ready: ['not_ready', 'offline', 'ready'],
  not_ready: ['ready', 'not_ready', 'offline'],
  // busy itself ends when the work ends (the ACD decides); meanwhile an agent
  // may still say they want no more work (not_ready) or sign off.
  busy: ['not_ready', 'offline'],
  wrap_up: ['ready', 'not_ready', 'offline', 'wrap_up'],
};

export function canMove(from: AgentStateName, to: AgentStateName): boolean {
  return AGENT_MOVES[from].includes(to);
}

export async function currentStatus(db: Db, userId: string): Promise<AgentStatus> {
  const row = await db
    .selectFrom('agent_status')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row
    ? toAgentStatus(row)
    : { userId, state: 'offline', reasonCodeId: null, since: new Date(0).toISOString() };
}

async function supervisorsOf(db: Db, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('site_id', '=', siteId)
    .where('role', 'in', [...SUPERVISING_ROLES])
    .where('active', '=', 1)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Writes a state change inside `trx`. `enforce` applies the agent's own move
 * rules; the system (presence, routing) passes false.
 */
export async function changeState(
  trx: Db,
  siteId: string,
  userId: string,
  state: AgentStateName,
  reasonCodeId: string | null,
  opts: { enforce: boolean; now?: number },
): Promise<{ status: AgentStatus; events: AppendedEvent[] }> {
  const now = opts.now ?? Date.now();
  const before = await currentStatus(trx, userId);
  if (opts.enforce && !canMove(before.state, state)) {
    throw new HubError('INVALID_STATE_TRANSITION', `cannot go from ${before.state} to ${state}`, {
      from: before.state,
      to: state,
    });
  }
  if (state === 'not_ready') {
    if (!reasonCodeId) throw new HubError('VALIDATION_FAILED', 'not_ready needs a reason code');
    const reason = await trx
      .selectFrom('reason_codes')
      .select('kind')
      .where('id', '=', reasonCodeId)
      .where('site_id', '=', siteId)
      .executeTakeFirst();
    if (!reason) throw notFound('reason code');
    if (reason.kind !== 'not_ready')
      throw new HubError('VALIDATION_FAILED', 'reason code is not a not-ready reason');
  } else {
    reasonCodeId = null;
  }
  if (before.state === state && before.reasonCodeId === reasonCodeId) return { status: before, events: [] };

  await trx
    .updateTable('agent_state_history')
    .set({ ended_at: now })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .execute();
  await trx
    .insertInto('agent_state_history')
    .values({
      site_id: siteId,
      user_id: userId,
      state,
      reason_code_id: reasonCodeId,
      started_at: now,
      ended_at: null,
    })
    .execute();
  const row = { user_id: userId, site_id: siteId, state, reason_code_id: reasonCodeId, since: now };
  const updated = await trx
    .updateTable('agent_status')
    .set({ state, reason_code_id: reasonCodeId, since: now })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await trx.insertInto('agent_status').values(row).execute();
  const status = toAgentStatus(row);
  const audience = [userId, ...(await supervisorsOf(trx, siteId))];
  const event = await appendEvent(trx, siteId, 'agent.state_changed', status, audience, now);
  return { status, events: [event] };
}

/** State views of every agent of a site, for supervisors and the admin API. */
export async function siteAgentStates(ctx: HubContext, siteId: string): Promise<AgentStatusView[]> {
  const rows = await ctx.db
    .selectFrom('users as u')
    .leftJoin('agent_status as s', 's.user_id', 'u.id')
    .select(['u.id', 'u.username', 'u.display_name', 's.state', 's.reason_code_id', 's.since'])
    .where('u.site_id', '=', siteId)
    .where('u.active', '=', 1)
    .where('u.role', 'in', ['agent', 'supervisor'])
    .orderBy('u.username')
    .execute();
  const now = Date.now();
  return rows.map((r) => ({
    userId: r.id,
    username: r.username,
    displayName: r.display_name,
    state: (r.state ?? 'offline') as AgentStateName,
    reasonCodeId: r.reason_code_id ?? null,
    since: new Date(Number(r.since ?? 0)).toISOString(),
    secondsInState: r.since ? Math.max(0, Math.round((now - Number(r.since)) / 1000)) : 0,
  }));
}

/** Sets a user offline by the system (their last desk left and did not come back). */
export async function setOfflineBySystem(
  ctx: HubContext,
  actor: Pick<Actor, 'userId' | 'siteId'>,
): Promise<void> {
  const { events } = await ctx.db
    .transaction()
    .execute((trx) => changeState(trx, actor.siteId, actor.userId, 'offline', null, { enforce: false }));
  ctx.publisher.publish(events);
}
