/**
 * The headset's media keys taken globally (Electron `globalShortcut`) while
 * the agent has "headset keys" on: MediaPlayPause is the call button,
 * MediaStop hangs up. They reach the renderer as call keys on the same
 * `onHotkey` event the agent's hotkeys use. A media key the agent already
 * bound to a hotkey stays with that hotkey; a key another app holds is
 * reported, not fatal.
 */
import { HEADSET_SHORTCUTS, type HostKeyAction, type Hotkeys } from '@shared/host-api';
import type { ShortcutApi } from './hotkey-registry';

export interface HeadsetKeys {
  /**
   * Takes or releases the media keys; returns the accelerators that could not
   * be taken. Call `clear()` before the hotkey registry applies a new set, and
   * this after it, so a key moving between a hotkey and the headset is free.
   */
  apply(on: boolean, hotkeys: Hotkeys): string[];
  clear(): void;
}

export function createHeadsetKeys(api: ShortcutApi, onKey: (action: HostKeyAction) => void): HeadsetKeys {
  const held = new Set<string>();
  const release = (accelerator: string): void => {
    if (held.delete(accelerator)) api.unregister(accelerator);
  };
  return {
    apply(on, hotkeys) {
      const failed: string[] = [];
      const bound = new Set(Object.values(hotkeys).filter((a): a is string => Boolean(a)));
      for (const [accelerator, action] of Object.entries(HEADSET_SHORTCUTS)) {
        // The hotkey registry owns a key the agent bound to a hotkey.
        if (bound.has(accelerator)) {
          release(accelerator);
          continue;
        }
        if (!on) {
          release(accelerator);
          continue;
        }
        if (held.has(accelerator)) continue;
        let registered = false;
        try {
          registered = api.register(accelerator, () => onKey(action));
        } catch {
          registered = false;
        }
        if (registered) held.add(accelerator);
        else failed.push(accelerator);
      }
      return failed;
    },
    clear() {
      for (const accelerator of [...held]) release(accelerator);
    },
  };
}
