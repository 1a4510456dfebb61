/**
 * Calls that outlive their SIP connection.
 *
 * When the desk's WebSocket to Kamailio drops (Kamailio restarts, the network
 * blips), a call's media goes on: desk to desk it flows between the browsers,
 * to a phone through rtpengine, which does not restart with Kamailio. Only the
 * call's signalling path is gone. sip.js's SessionManager disposes of every
 * call when its transport drops; the desk keeps its established calls instead
 * (keepCallsOnDisconnect). Requests for the call that name the desk's old
 * connection find the new one through Kamailio's route[DESK_MOVED], by the
 * desk's registration. Once registered again the desk asks the far end whether
 * it still has the call (probeUntilSettled: it may have hung up while its BYE
 * could not arrive), and where the media path broke too (ICE disconnected or
 * failed) restarts ICE with a re-INVITE (reinviteUntilSettled).
 */
import { type Session, SessionState, type Web } from 'sip.js';

/** What came of asking the far end about the call after the connection came back. */
export type RecoveryOutcome =
  /** The far end has the call (and took the re-INVITE, for one): the call goes on. */
  | 'recovered'
  /** The far end no longer knows the call (481, 408): it ended while we were away. */
  | 'gone'
  /** The call ended here meanwhile. */
  | 'ended'
  /** No answer that settles it before the deadline: the call is left as it is. */
  | 'gave_up';

/**
 * Wraps the SessionManager's handling of a lost connection so that the calls
 * `keep()` returns, if established, are not disposed of with it (everything
 * else — the registerer, calls still ringing, the reconnect — goes as before).
 * sip.js disposes of the sessions synchronously inside that handler, so
 * shadowing each kept session's `dispose` for the duration of the call is
 * enough, and touches only the public Session API.
 */
export function keepCallsOnDisconnect(
  manager: Web.SessionManager,
  keep: () => Session[],
  onKept: (kept: Session[]) => void,
): void {
  const delegate = manager.userAgent.delegate;
  const original = delegate?.onDisconnect;
  if (!delegate || !original) return;
  delegate.onDisconnect = (error?: Error) => {
    const kept = error ? keep().filter((s) => s.state === SessionState.Established) : [];
    const disposers = kept.map((s) => {
      const own = Object.prototype.hasOwnProperty.call(s, 'dispose');
      const dispose = s.dispose;
      s.dispose = () => Promise.resolve();
      return () => {
        if (own) s.dispose = dispose;
        else delete (s as { dispose?: unknown }).dispose;
      };
    });
    try {
      original.call(delegate, error);
    } finally {
      for (const restore of disposers) restore();
    }
    if (kept.length > 0) onKept(kept);
  };
}

/**
 * The statuses after which asking again can help: nothing came back, the far
 * end is busy with its own re-INVITE (491), or the far end's desk has not
 * registered again yet (Kamailio's route[DESK_MOVED] answers 503; sip.js makes
 * a 503 of its own when the transport fails).
 */
const RETRY_STATUSES = new Set([0, 477, 491, 500, 502, 503, 504]);
/** The far end has no such call (RFC 3261 12.2.1.2: 481 and 408 end the dialog). */
const GONE_STATUSES = new Set([481, 408]);

export interface SettleOptions {
  /** The desk made the call (owns the Call-ID): it waits longer after a 491 (RFC 3261 14.1). */
  owner: boolean;
  /** Give up after this many ms. */
  deadlineMs?: number;
  /** A wait of `ms` ms; tests pass a faster clock. */
  wait?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** How long to wait before asking again after `status` (RFC 3261 14.1 for 491). */
export function retryDelayMs(status: number, owner: boolean, random: () => number): number {
  if (status === 491) return owner ? 2_100 + random() * 1_900 : random() * 2_000;
  return 1_000;
}

interface AttemptDelegate {
  onAccept: () => void;
  onReject: (response: { message: { statusCode?: number } }) => void;
}
/** Sends one in-dialog request whose final response reaches `delegate`. */
export type Attempt = (delegate: AttemptDelegate) => Promise<unknown>;

/** One request's final status: 200 when accepted, 0 when it could not be sent or nothing answered in time. */
function attemptOnce(send: Attempt, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve) => {
    const timer = setTimeout(() => resolve(0), timeoutMs);
    const done = (status: number) => {
      clearTimeout(timer);
      resolve(status);
    };
    send({
      onAccept: () => done(200),
      onReject: (response) => done(response.message.statusCode ?? 500),
    }).catch(() => done(0));
  });
}

/**
 * Asks until the far end settles it. `accepted` decides which final statuses
 * mean the call is there; 481/408 mean it is gone; busy and not-found-yet are
 * asked again after a pause, up to the deadline.
 */
export async function untilSettled(
  s: Pick<Session, 'state'>,
  send: Attempt,
  accepted: (status: number) => boolean,
  options: SettleOptions,
): Promise<RecoveryOutcome> {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const deadline = Date.now() + (options.deadlineMs ?? 60_000);
  for (let waited = 0; ;) {
    if (s.state !== SessionState.Established) return 'ended';
    const status = await attemptOnce(send, 40_000);
    if (s.state !== SessionState.Established) return 'ended';
    if (GONE_STATUSES.has(status)) return 'gone';
    if (!RETRY_STATUSES.has(status)) return accepted(status) ? 'recovered' : 'gave_up';
    const pause = retryDelayMs(status, options.owner, random);
    waited += pause;
    if (Date.now() + pause > deadline || waited > (options.deadlineMs ?? 60_000)) return 'gave_up';
    await wait(pause);
  }
}

/**
 * Whether the far end still has the call, asked with an in-dialog INFO. It
 * changes nothing about the media, so both desks of a call can ask at once
 * (two re-INVITEs would cross, and sip.js mishandles an offer that arrives
 * while it is still building its own). Any answer from the far end other than
 * 481/408 (a 200, or a refusal of the INFO itself) means the call is there.
 */
export function probeUntilSettled(s: Session, options: SettleOptions): Promise<RecoveryOutcome> {
  return untilSettled(
    s,
    (requestDelegate) =>
      s.info({ requestDelegate, requestOptions: { extraHeaders: ['X-Ieum-Probe: call-recovery'] } }),
    () => true,
    options,
  );
}

/** A re-INVITE with `offer` (an ICE restart, the hold state) until the far end takes it or settles that it cannot. */
export function reinviteUntilSettled(
  s: Session,
  offer: () => Web.SessionDescriptionHandlerOptions,
  options: SettleOptions,
): Promise<RecoveryOutcome> {
  return untilSettled(
    s,
    (requestDelegate) => s.invite({ sessionDescriptionHandlerOptions: offer(), requestDelegate }),
    (status) => status >= 200 && status < 300,
    options,
  );
}
