/**
 * The desk's own settings as the Settings dialog edits them: notification
 * volume (0–100 here, 0–1 in the host's `DeskSettings`), the global hotkeys
 * and start-at-login. The store decides what is valid (clamping, hotkey
 * conflicts); saving through the host is the caller's side effect.
 */
import { create } from 'zustand';
import {
  Accelerator,
  DEFAULT_HOTKEYS,
  DEFAULT_SETTINGS,
  HOTKEY_ACTIONS,
  type DeskSettings,
  type HotkeyAction,
  type Hotkeys,
} from '@shared/host-api';

// ---- State
/** Why a hotkey change was refused; the dialog shows it as text. */
export type HotkeyError =
  | { code: 'HOTKEY_CONFLICT'; action: HotkeyAction; other: HotkeyAction; accelerator: string }
  | { code: 'HOTKEY_INVALID'; action: HotkeyAction };

export interface SettingsState {
  loaded: boolean;
  /** 0–100, what the slider shows. */
  volume: number;
  hotkeys: Hotkeys;
  startAtLogin: boolean;
  /** The headset's media keys taken globally for the phone (Electron). */
  headsetKeys: boolean;
  hotkeyError: HotkeyError | null;
}

export const getInitialState = (): SettingsState => ({
  loaded: false,
  volume: toPercent(DEFAULT_SETTINGS.notificationVolume),
  hotkeys: { ...DEFAULT_HOTKEYS },
  startAtLogin: DEFAULT_SETTINGS.startAtLogin,
  headsetKeys: DEFAULT_SETTINGS.headsetKeys,
  hotkeyError: null,
});

/** Any number to a whole 0–100; NaN (an emptied field) counts as silence. */
export function clampVolume(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}

export function toPercent(volume: number): number {
  return clampVolume(volume * 100);
}

/** The action that already uses `accelerator`, other than `action` itself. */
export function findHotkeyConflict(
  hotkeys: Hotkeys,
  action: HotkeyAction,
  accelerator: string | null,
): HotkeyAction | null {
  if (!accelerator) return null;
  const key = normalizeAccelerator(accelerator);
  return (
    HOTKEY_ACTIONS.find((a) => a !== action && hotkeys[a] && normalizeAccelerator(hotkeys[a]) === key) ?? null
  );
}

/** `CmdOrCtrl+Shift+A` and `Shift+CommandOrControl+A` are the same key. */
function normalizeAccelerator(accelerator: string): string {
  const parts = accelerator.split('+');
  const key = parts.pop() ?? '';
  const alias: Record<string, string> = {
    CmdOrCtrl: 'CommandOrControl',
    Cmd: 'Command',
    Ctrl: 'Control',
    Option: 'Alt',
  };
  const modifiers = parts.map((m) => alias[m] ?? m).sort();
  return [...modifiers, key].join('+');
}

/**
 * A global hotkey without a modifier would swallow that key in every other
 * application; only function and media keys may go alone.
 */
function standsAlone(accelerator: string): boolean {
  return accelerator.includes('+') || /^(F\d{1,2}|Media\w+|VolumeMute)$/.test(accelerator);
}

// ---- Actions
export interface SettingsActions {
  /** What the host has (at start, and after every save). */
  settingsLoaded(settings: DeskSettings): void;
  setVolume(value: number): void;
  /** Returns false (and sets `hotkeyError`) when the key is invalid or taken by another action. */
  setHotkey(action: HotkeyAction, accelerator: string | null): boolean;
  resetHotkeys(): void;
  setStartAtLogin(on: boolean): void;
  setHeadsetKeys(on: boolean): void;
  clearHotkeyError(): void;
}

export const useSettingsStore = create<SettingsState & SettingsActions>()((set, get) => ({
  ...getInitialState(),
  settingsLoaded: (settings) =>
    set({
      loaded: true,
      volume: toPercent(settings.notificationVolume),
      hotkeys: { ...settings.hotkeys },
      startAtLogin: settings.startAtLogin,
      headsetKeys: settings.headsetKeys,
    }),
  setVolume: (value) => set({ volume: clampVolume(value) }),
  setHotkey: (action, accelerator) => {
    if (accelerator !== null && (!Accelerator.safeParse(accelerator).success || !standsAlone(accelerator))) {
      set({ hotkeyError: { code: 'HOTKEY_INVALID', action } });
      return false;
    }
    const other = findHotkeyConflict(get().hotkeys, action, accelerator);
    if (other && accelerator) {
      set({ hotkeyError: { code: 'HOTKEY_CONFLICT', action, other, accelerator } });
      return false;
    }
    set((s) => ({ hotkeys: { ...s.hotkeys, [action]: accelerator }, hotkeyError: null }));
    return true;
  },
  resetHotkeys: () => set({ hotkeys: { ...DEFAULT_HOTKEYS }, hotkeyError: null }),
  setStartAtLogin: (on) => set({ startAtLogin: on }),
  setHeadsetKeys: (on) => set({ headsetKeys: on }),
  clearHotkeyError: () => set({ hotkeyError: null }),
}));

// ---- Selectors
/** The slider's 0–100 as the host's 0–1. */
export const selectNotificationVolume = (s: SettingsState): number => s.volume / 100;
