/**
 * The reliability core of the desk's realtime link, free of socket.io so it
 * can be tested with a fake transport (DESIGN principle 2):
 *
 * - Events are applied in `seq` order exactly once: a frame with
 *   `seq <= lastSeq` is a duplicate and dropped; a frame past `lastSeq + 1`
 *   means we missed something, so we resume instead of applying it.
 * - On every connect we `session.resume {afterSeq: lastSeq}` and page until
 *   the hub's `headSeq` is reached.
 * - Commands carry a `commandId` and are retried with the same id until the
 *   hub acks (per-attempt timeout; re-sent after a reconnect).
 */
import { DeskEventFrame, type CommandName, type CommandResults, type DeskEvent } from '@shared/protocol';
import type { Result } from '@shared/errors';
import type { Transport } from './transport';

/** Commands that change state carry an idempotency key; reads do not. */
export type MutationName =
  | 'agent.setState'
  | 'message.send'
  | 'offer.accept'
  | 'offer.reject'
  | 'work.complete'
  | 'wrapup.end'
  | 'queue.pick'
  | 'agent.forceState'
  | 'conversation.reassign'
  | 'conversation.tag'
  | 'conversation.transfer'
  | 'conversation.snooze'
  | 'conversation.setStatus'
  | 'conversation.merge'
  | 'message.sendCanned';
export type QueryName = Exclude<CommandName, MutationName>;

export interface DeskSyncOptions {
  transport: Transport;
  /** Last applied seq from an earlier connection, or null when this user never synced here. */
  lastSeq: number | null;
  saveSeq(seq: number): void;
  apply(event: DeskEvent): void;
  /** The hub holds fewer events than we applied (its data was reset): drop derived state and reload. */
  onReset?(): void;
  newCommandId(): string;
  timeoutMs?: number;
  onError?(message: string, detail?: unknown): void;
}

interface PendingCommand {
  name: CommandName;
  payload: unknown;
  attempt: number;
  inFlight: boolean;
  done: boolean;
  resolve(result: Result<unknown>): void;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 5_000;

export class DeskSync {
  private lastSeqValue: number | null;
  private connected = false;
  private resuming = false;
  private resumeAgain = false;
  private readonly pending = new Set<PendingCommand>();
  private readonly timeoutMs: number;

  constructor(private readonly options: DeskSyncOptions) {
    this.lastSeqValue = options.lastSeq;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  }

  get lastSeq(): number | null {
    return this.lastSeqValue;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Commands still waiting for an ack. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** The socket (re)connected: catch up on events and re-send every unacked command. */
  handleConnect(): Promise<void> {
    this.connected = true;
    for (const command of this.pending) this.attempt(command);
    // A user who never synced here waits for `welcome` to learn where "now" is.
    return this.lastSeqValue === null ? Promise.resolve() : this.resume();
  }

  handleDisconnect(): void {
    this.connected = false;
    for (const command of this.pending) command.inFlight = false;
  }

  /** The hub's `welcome`: start from its head if we have no history, and notice a reset hub. */
  handleWelcome(headSeq: number): Promise<void> {
    if (this.lastSeqValue === null) {
      this.setLastSeq(headSeq);
    } else if (headSeq < this.lastSeqValue) {
      this.reset(headSeq);
    }
    return this.resume();
  }

  /** A live `event` frame. Returns what happened to it. */
  handleEvent(frame: unknown): 'applied' | 'duplicate' | 'gap' | 'invalid' {
    const parsed = DeskEventFrame.safeParse(frame);
    if (!parsed.success) {
      this.options.onError?.('invalid event frame', parsed.error.issues);
      return 'invalid';
    }
    const event = frame as DeskEvent;
    // Before the first welcome/resume we do not know where we stand; the resume will bring it.
    if (this.lastSeqValue === null) return 'gap';
    if (event.seq <= this.lastSeqValue) return 'duplicate';
    if (event.seq > this.lastSeqValue + 1) {
      void this.resume();
      return 'gap';
    }
    this.applyOne(event);
    return 'applied';
  }

  /**
   * Sends a state-changing command, retrying until the hub acks. The
   * `commandId` is fresh unless given: the offline outbox passes the id it
   * stored, so a send repeated after a restart is still the same command.
   */
  send<K extends MutationName>(
    name: K,
    payload: Record<string, unknown>,
    commandId: string = this.options.newCommandId(),
  ): Promise<Result<CommandResults[K]>> {
    return this.enqueue(name, { ...payload, commandId });
  }

  /** A read command, retried the same way (reads are naturally idempotent). */
  request<K extends QueryName>(
    name: K,
    payload: Record<string, unknown>,
  ): Promise<Result<CommandResults[K]>> {
    return this.enqueue(name, payload);
  }

  /** Fetches everything after `lastSeq`, page by page, until the hub's head. Concurrent calls coalesce. */
  async resume(): Promise<void> {
    if (this.resuming) {
      this.resumeAgain = true;
      return;
    }
    this.resuming = true;
    try {
      do {
        this.resumeAgain = false;
        await this.resumePages();
      } while (this.resumeAgain && this.connected);
    } finally {
      this.resuming = false;
    }
  }

  private async resumePages(): Promise<void> {
    for (;;) {
      if (this.lastSeqValue === null || !this.connected) return;
      const from = this.lastSeqValue;
      const result = await this.enqueue('session.resume', { afterSeq: from });
      if (!result.ok) {
        this.options.onError?.('session.resume failed', result.error);
        return;
      }
      const { events, headSeq } = result.value;
      if (headSeq < from) {
        this.reset(headSeq);
        continue;
      }
      for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
        if (event.seq === (this.lastSeqValue ?? 0) + 1) this.applyOne(event);
      }
      // Done at the head; also stop if a page did not move us (a hole the hub cannot fill).
      if (this.lastSeqValue >= headSeq || this.lastSeqValue === from) return;
    }
  }

  private reset(headSeq: number): void {
    this.options.onError?.(`hub head ${headSeq} is behind our seq ${this.lastSeqValue}; resyncing`);
    this.setLastSeq(0);
    this.options.onReset?.();
  }

  private applyOne(event: DeskEvent): void {
    this.setLastSeq(event.seq);
    try {
      this.options.apply(event);
    } catch (error) {
      this.options.onError?.(`handler for ${event.type} failed`, error);
    }
  }

  private setLastSeq(seq: number): void {
    this.lastSeqValue = seq;
    this.options.saveSeq(seq);
  }

  private enqueue<K extends CommandName>(name: K, payload: unknown): Promise<Result<CommandResults[K]>> {
    return new Promise((resolve) => {
      const command: PendingCommand = {
        name,
        payload,
        attempt: 0,
        inFlight: false,
        done: false,
        resolve: resolve as (result: Result<unknown>) => void,
      };
      this.pending.add(command);
      this.attempt(command);
    });
  }

  private attempt(command: PendingCommand): void {
    if (!this.connected || command.done) return;
    const attempt = ++command.attempt;
    command.inFlight = true;
    this.options.transport.request(command.name, command.payload, this.timeoutMs).then(
      (result) => {
        // Any ack for this command is the answer, even one to an earlier attempt.
        if (command.done) return;
        command.done = true;
        this.pending.delete(command);
        command.resolve(result);
      },
      () => {
        if (command.done || command.attempt !== attempt) return;
        command.inFlight = false;
        this.attempt(command);
      },
    );
  }
}
