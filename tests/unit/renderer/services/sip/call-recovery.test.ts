import { describe, expect, it, vi } from 'vitest';
import { type Session, SessionState, type Web } from 'sip.js';
import {
  keepCallsOnDisconnect,
  retryDelayMs,
  untilSettled,
  type Attempt,
  type SettleOptions,
} from '@renderer/services/sip/call-recovery';

/** A far end that answers each attempt with the next status of `statuses` (0: the request could not be sent). */
function farEnd(statuses: number[]): { send: Attempt; sent: () => number } {
  let i = 0;
  return {
    send: (delegate) => {
      const status = statuses[Math.min(i++, statuses.length - 1)]!;
      if (status === 0) return Promise.reject(new Error('not connected'));
      if (status >= 200 && status < 300) delegate.onAccept();
      else delegate.onReject({ message: { statusCode: status } });
      return Promise.resolve();
    },
    sent: () => i,
  };
}

const established = () => ({ state: SessionState.Established as SessionState });
const anyAnswer = () => true;
const only2xx = (status: number) => status >= 200 && status < 300;

function options(over: Partial<SettleOptions> = {}): SettleOptions & { waits: number[] } {
  const waits: number[] = [];
  return {
    owner: true,
    random: () => 0.5,
    wait: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    waits,
    ...over,
  };
}

describe('asking the far end about a call after the SIP connection came back', () => {
  it('asks again while the far end’s desk has not registered again (503), then goes on', async () => {
    const far = farEnd([503, 0, 200]);
    const opts = options();
    expect(await untilSettled(established(), far.send, only2xx, opts)).toBe('recovered');
    expect(far.sent()).toBe(3);
    expect(opts.waits).toEqual([1_000, 1_000]);
  });

  it('481 and 408 mean the far end no longer has the call', async () => {
    expect(await untilSettled(established(), farEnd([481]).send, anyAnswer, options())).toBe('gone');
    expect(await untilSettled(established(), farEnd([503, 408]).send, anyAnswer, options())).toBe('gone');
  });

  it('a probe counts any other answer of the far end as the call being there; a re-INVITE only a 2xx', async () => {
    expect(await untilSettled(established(), farEnd([480]).send, anyAnswer, options())).toBe('recovered');
    expect(await untilSettled(established(), farEnd([488]).send, only2xx, options())).toBe('gave_up');
  });

  it('after crossing re-INVITEs (491) the caller waits 2.1–4 s and the callee under 2 s (RFC 3261 14.1)', async () => {
    expect(retryDelayMs(491, true, () => 0)).toBe(2_100);
    expect(retryDelayMs(491, true, () => 0.999)).toBeLessThan(4_000);
    expect(retryDelayMs(491, false, () => 0.999)).toBeLessThan(2_000);
    const opts = options({ owner: false, random: () => 0.25 });
    expect(await untilSettled(established(), farEnd([491, 200]).send, only2xx, opts)).toBe('recovered');
    expect(opts.waits).toEqual([500]);
  });

  it('gives up at the deadline rather than asking for ever', async () => {
    const far = farEnd([503]);
    const opts = options({ deadlineMs: 3_500 });
    expect(await untilSettled(established(), far.send, anyAnswer, opts)).toBe('gave_up');
    expect(far.sent()).toBe(4);
  });

  it('stops asking once the call ended here', async () => {
    const session = established();
    const far = farEnd([503]);
    const opts = options({
      wait: () => {
        session.state = SessionState.Terminated;
        return Promise.resolve();
      },
    });
    expect(await untilSettled(session, far.send, anyAnswer, opts)).toBe('ended');
    expect(far.sent()).toBe(1);
  });
});

describe('keeping calls when the SIP connection drops', () => {
  /** Stands in for the SessionManager: on a dropped connection it disposes of every session, as sip.js 0.21 does. */
  function manager(sessions: Session[]) {
    const delegate = {
      onDisconnect: (error?: Error) => {
        if (error) for (const s of sessions) void s.dispose();
      },
    };
    return { userAgent: { delegate } } as unknown as Web.SessionManager;
  }
  const session = (state: SessionState) => {
    const dispose = vi.fn(() => Promise.resolve());
    return { s: { state, dispose } as unknown as Session, dispose };
  };

  it('keeps an established call, lets a ringing one go, and says which it kept', async () => {
    const talking = session(SessionState.Established);
    const ringing = session(SessionState.Establishing);
    const m = manager([talking.s, ringing.s]);
    const kept = vi.fn();
    keepCallsOnDisconnect(m, () => [talking.s, ringing.s], kept);
    m.userAgent.delegate!.onDisconnect!(new Error('WebSocket closed'));
    expect(talking.dispose).not.toHaveBeenCalled();
    expect(ringing.dispose).toHaveBeenCalledOnce();
    expect(kept).toHaveBeenCalledWith([talking.s]);
    // Only for that moment: hanging up later disposes of the call as usual.
    await talking.s.dispose();
    expect(talking.dispose).toHaveBeenCalledOnce();
  });

  it('keeps nothing when the desk disconnects on purpose (no error)', () => {
    const talking = session(SessionState.Established);
    const m = manager([talking.s]);
    const kept = vi.fn();
    keepCallsOnDisconnect(m, () => [talking.s], kept);
    m.userAgent.delegate!.onDisconnect!();
    expect(kept).not.toHaveBeenCalled();
  });
});
