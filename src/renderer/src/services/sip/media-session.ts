/**
 * The headset's media keys through Chromium's Media Session API, in the
 * browser desk and in Electron alike: the call button (play/pause) answers a
 * ringing call and hangs up a call that is up, hang-up/stop hang up (or
 * decline), the microphone button mutes. Every key goes through the call
 * hotkeys' dispatch (`performCallHotkey`), the one code path for call keys.
 *
 * The OS routes media keys to the app that holds an active media session, so
 * while a call rings or is up the desk publishes metadata and a playback state
 * ('paused' while ringing, so the button sends "play"; 'playing' during the
 * call, so it sends "pause"); with no call it lets go ('none').
 */
import { i18next } from '@renderer/i18n';
import { createLogger } from '@renderer/lib/log';
import { useCallsStore, type DeskCall } from '@renderer/stores/calls';
import type { HostKeyAction } from '@shared/host-api';
import { performCallHotkey } from './call-hotkeys';

const log = createLogger('media-session');

/** The part of `navigator.mediaSession` the desk uses (a fake in unit tests). */
export interface MediaSessionLike {
  metadata: MediaMetadata | null;
  playbackState: MediaSessionPlaybackState;
  setActionHandler(action: string, handler: (() => void) | null): void;
  setMicrophoneActive?(active: boolean): void | Promise<void>;
}

/** Media Session actions and the call key each one is. */
export const MEDIA_ACTIONS: Readonly<Record<string, HostKeyAction>> = {
  play: 'headsetButton',
  pause: 'headsetButton',
  hangup: 'hangUp',
  stop: 'hangUp',
  togglemicrophone: 'mute',
};

type MetadataFactory = (init: MediaMetadataInit) => MediaMetadata;

function playbackFor(call: DeskCall | null): MediaSessionPlaybackState {
  if (!call || call.state === 'ended') return 'none';
  return call.state === 'incoming' ? 'paused' : 'playing';
}

/**
 * Installs the action handlers and keeps the session's state in step with the
 * call. Returns a function that removes both. Does nothing where the browser
 * has no Media Session API.
 */
export function installMediaSession(
  session: MediaSessionLike | undefined = globalThis.navigator?.mediaSession,
  makeMetadata: MetadataFactory | undefined = typeof MediaMetadata === 'function'
    ? (init) => new MediaMetadata(init)
    : undefined,
): () => void {
  if (!session) return () => undefined;
  const installed: string[] = [];
  for (const [action, key] of Object.entries(MEDIA_ACTIONS)) {
    try {
      session.setActionHandler(action, () => performCallHotkey(key));
      installed.push(action);
    } catch {
      // This browser does not know the action (older Chromium: hangup,
      // togglemicrophone); the other keys still work.
      log.debug('media session action not supported', action);
    }
  }

  let shownFor: string | null = null;
  const sync = (call: DeskCall | null): void => {
    const state = playbackFor(call);
    if (session.playbackState !== state) session.playbackState = state;
    const key =
      state === 'none' || !call ? null : `${call.id}:${call.state === 'incoming' ? 'ring' : 'talk'}`;
    if (key !== shownFor) {
      shownFor = key;
      session.metadata =
        call && key && makeMetadata
          ? makeMetadata({
              title: i18next.t(
                call.state === 'incoming' ? 'softphone.mediaRinging' : 'softphone.mediaInCall',
              ),
              artist: call.remoteName ?? call.remote,
              album: 'Ieum Desk',
            })
          : null;
    }
    if (call && state !== 'none' && session.setMicrophoneActive) {
      try {
        void Promise.resolve(session.setMicrophoneActive(!call.muted)).catch(() => undefined);
      } catch {
        // Not supported here; the mute key still works.
      }
    }
  };
  sync(useCallsStore.getState().active);
  const unsubscribe = useCallsStore.subscribe((s, prev) => {
    if (s.active !== prev.active) sync(s.active);
  });

  return () => {
    unsubscribe();
    for (const action of installed) {
      try {
        session.setActionHandler(action, null);
      } catch {
        // Already gone.
      }
    }
    session.playbackState = 'none';
    session.metadata = null;
  };
}
