/** What the answer / hang-up / mute hotkeys do to the call on the desk (Electron's global shortcuts and the browser's keys alike). */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getInitialState, useCallsStore, type DeskCall } from '@renderer/stores/calls';

const phone = vi.hoisted(() => ({
  answer: vi.fn(async () => undefined),
  hangUp: vi.fn(async () => undefined),
  reject: vi.fn(async () => undefined),
  setMuted: vi.fn(),
}));
vi.mock('@renderer/services/sip/phone', () => phone);

const { performCallHotkey, resetHeadsetPress, HEADSET_PRESS_GAP_MS } =
  await import('@renderer/services/sip/call-hotkeys');

function withCall(patch: Partial<DeskCall> | null) {
  useCallsStore.setState({
    ...getInitialState(),
    active:
      patch &&
      ({
        id: 'c1',
        direction: 'inbound',
        remote: '01012345678',
        state: 'incoming',
        muted: false,
        ...patch,
      } as DeskCall),
  });
}

beforeEach(() => {
  for (const f of Object.values(phone)) f.mockClear();
  resetHeadsetPress();
});

describe('call hotkeys', () => {
  it('answers a ringing call; hang-up on a ringing call declines it', () => {
    withCall({ state: 'incoming' });
    performCallHotkey('answer');
    expect(phone.answer).toHaveBeenCalledTimes(1);
    performCallHotkey('hangUp');
    expect(phone.reject).toHaveBeenCalledTimes(1);
    expect(phone.hangUp).not.toHaveBeenCalled();
    performCallHotkey('mute');
    expect(phone.setMuted).not.toHaveBeenCalled();
  });

  it('hangs up and toggles mute on a call in progress; answer does nothing there', () => {
    withCall({ state: 'active', muted: false });
    performCallHotkey('answer');
    expect(phone.answer).not.toHaveBeenCalled();
    performCallHotkey('mute');
    expect(phone.setMuted).toHaveBeenLastCalledWith(true);
    withCall({ state: 'held', muted: true });
    performCallHotkey('mute');
    expect(phone.setMuted).toHaveBeenLastCalledWith(false);
    performCallHotkey('hangUp');
    expect(phone.hangUp).toHaveBeenCalledTimes(1);
  });

  it('does nothing without a call', () => {
    withCall(null);
    for (const a of ['answer', 'hangUp', 'mute', 'toggleReady'] as const) performCallHotkey(a);
    for (const f of Object.values(phone)) expect(f).not.toHaveBeenCalled();
  });

  it('the headset button answers a ringing call and hangs up one that is up, never both on one press', () => {
    withCall({ state: 'incoming' });
    performCallHotkey('headsetButton', 1000);
    expect(phone.answer).toHaveBeenCalledTimes(1);
    // The same press arriving again (global shortcut and media session) does not hang up.
    withCall({ state: 'active' });
    performCallHotkey('headsetButton', 1000 + HEADSET_PRESS_GAP_MS - 1);
    expect(phone.hangUp).not.toHaveBeenCalled();
    performCallHotkey('headsetButton', 1000 + HEADSET_PRESS_GAP_MS + 500);
    expect(phone.hangUp).toHaveBeenCalledTimes(1);
    withCall({ state: 'held' });
    performCallHotkey('headsetButton', 5000);
    expect(phone.hangUp).toHaveBeenCalledTimes(2);
    expect(phone.reject).not.toHaveBeenCalled();
    expect(phone.setMuted).not.toHaveBeenCalled();
  });

  it('the headset button ends a call still ringing out, and does nothing after a call ended', () => {
    withCall({ state: 'dialing', direction: 'outbound' });
    performCallHotkey('headsetButton', 1000);
    expect(phone.hangUp).toHaveBeenCalledTimes(1);
    withCall({ state: 'ended' });
    performCallHotkey('headsetButton', 9000);
    expect(phone.hangUp).toHaveBeenCalledTimes(1);
    expect(phone.answer).not.toHaveBeenCalled();
  });
});
