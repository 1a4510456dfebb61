/**
 * Runs a client command exactly once per idempotency key (`commandId`).
 *
 * The command's effects, the events it appends and its result are committed in
 * one transaction; only then is the result returned (and the client acked) and
 * the events published. A retry with the same key returns the stored result and
 * changes nothing, even if it races the first attempt.
 */
import type { HubContext, Actor } from '../context';
import type { Db } from '../storage/database';
import type { AppendedEvent } from '../storage/event-log';

export interface CommandOutcome<T> {
  value: T;
  events: AppendedEvent[];
}

async function storedResult<T>(db: Db, userId: string, commandId: string): Promise<T | undefined> {
  const row = await db
    .selectFrom('commands')
    .select('result')
    .where('user_id', '=', userId)
    .where('command_id', '=', commandId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.result) as T) : undefined;
}

export async function runCommand<T>(
  ctx: HubContext,
  actor: Actor,
  name: string,
  commandId: string,
  execute: (trx: Db) => Promise<CommandOutcome<T>>,
): Promise<T> {
  const earlier = await storedResult<T>(ctx.db, actor.userId, commandId);
  if (earlier !== undefined) return earlier;
  let outcome: CommandOutcome<T>;
  try {
    outcome = await ctx.db.transaction().execute(async (trx) => {
      const o = await execute(trx);
      await trx
        .insertInto('commands')
        .values({
          user_id: actor.userId,
          command_id: commandId,
          name,
          result: JSON.stringify(o.value),
          at: Date.now(),
        })
        .execute();
      return o;
    });
  } catch (err) {
    // A concurrent attempt with the same key committed first: its result stands.
    const raced = await storedResult<T>(ctx.db, actor.userId, commandId);
    if (raced !== undefined) return raced;
    throw err;
  }
  ctx.publisher.publish(outcome.events);
  return outcome.value;
}
