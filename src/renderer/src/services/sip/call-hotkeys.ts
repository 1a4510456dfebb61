/**
 * The call hotkeys (answer, hang up, mute) from the host: Electron's global
 * shortcuts, or the focused page's keys in the browser desk. Ready/not-ready
 * is the desk session's (services/desk-session.ts).
 */
import type { HotkeyAction } from '@shared/host-api';
import { getHost } from '@renderer/host/get-host';
import { useCallsStore } from '@renderer/stores/calls';
import { answer, hangUp, reject, setMuted } from './phone';

/** What a call hotkey does now: ringing, talking, or nothing to do. */
export function performCallHotkey(action: HotkeyAction): void {
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
