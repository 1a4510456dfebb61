/**
 * The call keys (answer, hang up, mute, the headset's call button) from the
 * host: Electron's global shortcuts, the focused page's keys in the browser
 * desk, and the headset's media keys (services/sip/media-session.ts). All of
 * them go through `performCallHotkey`, one code path. Ready/not-ready is the
 * desk session's (services/desk-session.ts).
 */
import type { HostKeyAction } from '@shared/host-api';
import { getHost } from '@renderer/host/get-host';
import { useCallsStore } from '@renderer/stores/calls';
import { answer, hangUp, reject, setMuted } from './phone';

/**
 * One physical press of the headset button can reach the desk twice (the
 * global MediaPlayPause shortcut and Chromium's media session) and cheap
 * buttons bounce; a second press this soon would hang up the call it just
 * answered, so it is ignored.
 */
export const HEADSET_PRESS_GAP_MS = 600;
let lastHeadsetPress = Number.NEGATIVE_INFINITY;

/** For tests: forget the last press. */
export function resetHeadsetPress(): void {
  lastHeadsetPress = Number.NEGATIVE_INFINITY;
}

/**
 * What a call key does now: ringing, talking, or nothing to do. The headset's
 * single button is answer-or-hang-up, as on a desk phone's headset: holding a
 * customer is a deliberate act in a contact center, not a button press.
 */
export function performCallHotkey(action: HostKeyAction, now: number = Date.now()): void {
  const call = useCallsStore.getState().active;
  if (!call) return;
  switch (action) {
    case 'answer':
      if (call.state === 'incoming') void answer();
      return;
    case 'hangUp':
      // On a ringing call, "hang up" declines it.
      if (call.state === 'incoming') void reject();
      else void hangUp();
      return;
    case 'headsetButton':
      if (now - lastHeadsetPress < HEADSET_PRESS_GAP_MS) return;
      lastHeadsetPress = now;
      if (call.state === 'incoming') void answer();
      // A call up, on hold, or still ringing out: the button ends it.
      else if (call.state !== 'ended') void hangUp();
      return;
    case 'mute':
      if (call.state === 'active' || call.state === 'held') setMuted(!call.muted);
      return;
    case 'toggleReady':
      return;
  }
}

export function listenForCallHotkeys(): () => void {
  return getHost().onHotkey(performCallHotkey);
}
