import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEYS, DEFAULT_SETTINGS } from '@shared/host-api';
import {
  clampVolume,
  findHotkeyConflict,
  getInitialState,
  selectNotificationVolume,
  useSettingsStore,
} from '@renderer/stores/settings';

describe('settings store', () => {
  beforeEach(() => useSettingsStore.setState(getInitialState()));

  it('clamps the volume to a whole 0–100 and hands the host 0–1', () => {
    expect(clampVolume(-5)).toBe(0);
    expect(clampVolume(140)).toBe(100);
    expect(clampVolume(33.6)).toBe(34);
    expect(clampVolume(Number.NaN)).toBe(0);
    useSettingsStore.getState().setVolume(250);
    expect(useSettingsStore.getState().volume).toBe(100);
    useSettingsStore.getState().setVolume(35);
    expect(selectNotificationVolume(useSettingsStore.getState())).toBeCloseTo(0.35);
  });

  it('loads what the host has, volume as percent', () => {
    useSettingsStore.getState().settingsLoaded({
      ...DEFAULT_SETTINGS,
      notificationVolume: 0.25,
      hotkeys: { ...DEFAULT_HOTKEYS, mute: 'F9' },
      startAtLogin: true,
      headsetKeys: true,
    });
    const s = useSettingsStore.getState();
    expect(s).toMatchObject({ loaded: true, volume: 25, startAtLogin: true, headsetKeys: true });
    expect(s.hotkeys.mute).toBe('F9');
  });

  it('refuses an accelerator another action already uses, with a typed error, and keeps the old key', () => {
    const store = useSettingsStore.getState();
    expect(store.setHotkey('mute', DEFAULT_HOTKEYS.answer)).toBe(false);
    expect(useSettingsStore.getState().hotkeyError).toEqual({
      code: 'HOTKEY_CONFLICT',
      action: 'mute',
      other: 'answer',
      accelerator: DEFAULT_HOTKEYS.answer,
    });
    expect(useSettingsStore.getState().hotkeys.mute).toBe(DEFAULT_HOTKEYS.mute);
  });

  it('sees a conflict through spelling and modifier order', () => {
    const hotkeys = { ...DEFAULT_HOTKEYS, answer: 'CommandOrControl+Shift+A' };
    expect(findHotkeyConflict(hotkeys, 'mute', 'Shift+CmdOrCtrl+A')).toBe('answer');
    expect(findHotkeyConflict(hotkeys, 'answer', 'CommandOrControl+Shift+A')).toBeNull();
    expect(findHotkeyConflict(hotkeys, 'mute', null)).toBeNull();
  });

  it('takes a free key, clears the error, turns a hotkey off and resets to the defaults', () => {
    const store = useSettingsStore.getState();
    store.setHotkey('mute', DEFAULT_HOTKEYS.answer);
    expect(store.setHotkey('mute', 'Alt+M')).toBe(true);
    expect(useSettingsStore.getState()).toMatchObject({ hotkeyError: null });
    expect(useSettingsStore.getState().hotkeys.mute).toBe('Alt+M');
    expect(store.setHotkey('hangUp', null)).toBe(true);
    expect(useSettingsStore.getState().hotkeys.hangUp).toBeNull();
    // Two actions turned off do not conflict with each other.
    expect(store.setHotkey('answer', null)).toBe(true);
    store.resetHotkeys();
    expect(useSettingsStore.getState().hotkeys).toEqual(DEFAULT_HOTKEYS);
  });

  it('refuses a bare letter (it would swallow typing everywhere) but takes a bare function or media key', () => {
    const store = useSettingsStore.getState();
    expect(store.setHotkey('answer', 'A')).toBe(false);
    expect(useSettingsStore.getState().hotkeyError).toEqual({ code: 'HOTKEY_INVALID', action: 'answer' });
    expect(store.setHotkey('answer', 'Ctrl+Shift+Nonsense')).toBe(false);
    expect(store.setHotkey('answer', 'F8')).toBe(true);
    expect(store.setHotkey('mute', 'MediaPlayPause')).toBe(true);
  });
});
