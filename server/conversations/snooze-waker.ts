/**
 * Wakes snoozed conversations when their time comes: back to `open` for
 * their assignee, who sees them again. One timer for the earliest snooze,
 * rebuilt from the rows (`status = 'snoozed'`, `snoozed_until`) at start and
 * after each snooze, so a restarted hub wakes everything it owes — late
 * ones at once.
 */
import type { HubContext } from '../context';
import { wakeConversation } from './conversation-tools';

/** Re-check at least this often, so a far-off snooze never needs a timer past setTimeout's range. */
const MAX_SLEEP_MS = 60 * 60 * 1000;

export class SnoozeWaker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly ctx: HubContext) {}

  /** Reads the earliest snooze and sleeps until it (or wakes what is due now). */
  start(): Promise<void> {
    return this.nudge();
  }

  /** A snooze was set or cleared: look again. */
  nudge(): Promise<void> {
    this.running = this.running
      .then(() => this.plan())
      .catch((err: unknown) => {
        this.ctx.log.error({ err }, 'snooze waker failed; retrying in a minute');
        this.arm(60_000);
      });
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async plan(): Promise<void> {
    if (this.stopped) return;
    await this.wakeDue(Date.now());
    const next = await this.ctx.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.min('snoozed_until').as('at'))
      .where('status', '=', 'snoozed')
      .executeTakeFirst();
    const at = next?.at === null || next?.at === undefined ? null : Number(next.at);
    this.arm(at === null ? MAX_SLEEP_MS : Math.max(0, at - Date.now()));
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.nudge(), Math.min(ms, MAX_SLEEP_MS));
    this.timer.unref();
  }

  private async wakeDue(now: number): Promise<void> {
    const due = await this.ctx.db
      .selectFrom('conversations')
      .select('id')
      .where('status', '=', 'snoozed')
      .where('snoozed_until', '<=', now)
      .execute();
    for (const { id } of due) {
      const events = await this.ctx.db.transaction().execute((trx) => wakeConversation(trx, id, now));
      this.ctx.publisher.publish(events);
      if (events.length) this.ctx.log.info({ conversationId: id }, 'snoozed conversation woke up');
    }
  }
}
