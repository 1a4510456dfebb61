/** The headset's media keys through the Media Session API, with a fake `navigator.mediaSession`. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getInitialState, useCallsStore, type DeskCall } from '@renderer/stores/calls';

const phone = vi.hoisted(() => ({
  answer: vi.fn(async () => undefined),
  hangUp: vi.fn(async () => undefined),
  reject: vi.fn(async () => undefined),
  setMuted: vi.fn(),
}));
vi.mock('@renderer/services/sip/phone', () => phone);

const { installMediaSession } = await import('@renderer/services/sip/media-session');
const { resetHeadsetPress } = await import('@renderer/services/sip/call-hotkeys');

/** Like Chromium: unknown actions throw; handlers are kept by name. */
function fakeSession(supported = ['play', 'pause', 'stop', 'hangup', 'togglemicrophone']) {
  const handlers = new Map<string, () => void>();
  const session = {
    metadata: null as MediaMetadata | null,
    playbackState: 'none' as MediaSessionPlaybackState,
    microphoneActive: null as boolean | null,
    setActionHandler: vi.fn((action: string, handler: (() => void) | null) => {
      if (!supported.includes(action)) throw new TypeError(`not a MediaSessionAction: ${action}`);
      if (handler) handlers.set(action, handler);
      else handlers.delete(action);
    }),
    setMicrophoneActive(active: boolean) {
      session.microphoneActive = active;
    },
  };
  return { session, handlers, press: (action: string) => handlers.get(action)!() };
}
const metadata = (init: MediaMetadataInit) => init as unknown as MediaMetadata;

function setCall(patch: Partial<DeskCall> | null) {
  useCallsStore.setState({
    active:
      patch &&
      ({
        id: 'c1',
        direction: 'inbound',
        remote: '01012345678',
        remoteName: null,
        state: 'incoming',
        muted: false,
        ...patch,
      } as DeskCall),
  });
}

beforeEach(() => {
  useCallsStore.setState(getInitialState());
  for (const f of Object.values(phone)) f.mockClear();
  resetHeadsetPress();
});

describe('headset media keys', () => {
  it('answers a ringing call with play, hangs up with pause, mutes with the microphone key', () => {
    const { session, press } = fakeSession();
    const uninstall = installMediaSession(session, metadata);
    expect(session.playbackState).toBe('none');

    setCall({ state: 'incoming', remoteName: '김고객' });
    // Paused while ringing, so the OS sends "play" for the call button.
    expect(session.playbackState).toBe('paused');
    expect(session.metadata).toMatchObject({ artist: '김고객' });
    press('play');
    expect(phone.answer).toHaveBeenCalledTimes(1);

    setCall({ state: 'active', remoteName: '김고객' });
    expect(session.playbackState).toBe('playing');
    expect(session.microphoneActive).toBe(true);
    press('togglemicrophone');
    expect(phone.setMuted).toHaveBeenLastCalledWith(true);
    setCall({ state: 'active', muted: true });
    expect(session.microphoneActive).toBe(false);

    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 5000);
    press('pause');
    expect(phone.hangUp).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();

    setCall(null);
    expect(session.playbackState).toBe('none');
    expect(session.metadata).toBeNull();
    uninstall();
  });

  it('declines a ringing call with the hang-up key and does nothing without a call', () => {
    const { session, press } = fakeSession();
    installMediaSession(session, metadata)();
    const again = installMediaSession(session, metadata);
    press('play');
    press('hangup');
    for (const f of Object.values(phone)) expect(f).not.toHaveBeenCalled();
    setCall({ state: 'incoming' });
    press('hangup');
    expect(phone.reject).toHaveBeenCalledTimes(1);
    again();
  });

  it('keeps the keys a browser knows when it refuses others, and lets go of them all', () => {
    const { session, handlers } = fakeSession(['play', 'pause', 'stop']);
    const uninstall = installMediaSession(session, undefined);
    expect([...handlers.keys()].sort()).toEqual(['pause', 'play', 'stop']);
    setCall({ state: 'incoming' });
    // No MediaMetadata constructor here: no metadata, but the state still routes the keys.
    expect(session.metadata).toBeNull();
    expect(session.playbackState).toBe('paused');
    uninstall();
    expect(handlers.size).toBe(0);
    expect(session.playbackState).toBe('none');
    setCall({ state: 'active' });
    expect(session.playbackState).toBe('none');
  });

  it('is a no-op where there is no Media Session API', () => {
    expect(() => installMediaSession(undefined)()).not.toThrow();
  });
});
