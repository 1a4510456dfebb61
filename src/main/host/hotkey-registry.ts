/**
 * Global hotkeys (answer, hang up, mute, ready/not-ready) the agent can change.
 * Applying a new set unregisters what changed and registers the rest; a key
 * another application already holds is reported, not fatal.
 */
import { HOTKEY_ACTIONS, type HotkeyAction, type Hotkeys } from '@shared/host-api';

export interface ShortcutApi {
  /** Returns false when the OS or another app refuses the accelerator. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface HotkeyRegistry {
  /** Returns the actions whose key could not be registered. */
  apply(hotkeys: Hotkeys): HotkeyAction[];
  clear(): void;
}

export function createHotkeyRegistry(
  api: ShortcutApi,
  onAction: (action: HotkeyAction) => void,
): HotkeyRegistry {
  const active = new Map<HotkeyAction, string>();
  const clear = (action: HotkeyAction): void => {
    const accelerator = active.get(action);
    if (accelerator) api.unregister(accelerator);
    active.delete(action);
  };
  return {
    apply(hotkeys) {
      const failed: HotkeyAction[] = [];
      for (const action of HOTKEY_ACTIONS) {
        if (active.get(action) !== (hotkeys[action] ?? undefined)) clear(action);
      }
      const taken = new Set<string>();
      for (const action of HOTKEY_ACTIONS) {
        const accelerator = hotkeys[action];
        if (!accelerator) continue;
        if (taken.has(accelerator)) {
          failed.push(action);
          continue;
        }
        taken.add(accelerator);
        if (active.get(action) === accelerator) continue;
        let registered = false;
        try {
          registered = api.register(accelerator, () => onAction(action));
        } catch {
          registered = false;
        }
        if (registered) active.set(action, accelerator);
        else failed.push(action);
      }
      return failed;
    },
    clear() {
      for (const action of [...active.keys()]) clear(action);
    },
  };
}
