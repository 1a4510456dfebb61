/** The browser desk's hotkeys: the focused page's keys, matched against the agent's settings. */
import { describe, expect, it } from 'vitest';
import type { HostKeyAction } from '@shared/host-api';
import {
  createBrowserHost,
  SETTINGS_KEY,
  type BrowserEnv,
  type KeyHandled,
} from '@renderer/host/browser-host';
import type { KeyPress } from '@renderer/features/settings/accelerator';

type Key = KeyPress & KeyHandled;

function setup(settings?: unknown) {
  const data = new Map<string, string>();
  if (settings) data.set(SETTINGS_KEY, JSON.stringify(settings));
  const storage = {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
  const listeners = new Set<(e: Key) => void>();
  const env: BrowserEnv = {
    localStorage: storage,
    sessionStorage: storage,
    document: { title: '' },
    location: { search: '' },
    navigator: { userAgent: 'test' },
    keys: {
      addEventListener: (_t, l) => void listeners.add(l),
      removeEventListener: (_t, l) => void listeners.delete(l),
    },
  };
  const press = (code: string, mods: Partial<KeyPress & { defaultPrevented: boolean }> = {}) => {
    let prevented = false;
    const event: Key = {
      key: code.replace(/^Key/, '').toLowerCase(),
      code,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      repeat: false,
      defaultPrevented: false,
      preventDefault: () => void (prevented = true),
      ...mods,
    };
    for (const l of listeners) l(event);
    return prevented;
  };
  return { host: createBrowserHost(env), press, listeners };
}

describe('browser hotkeys', () => {
  it('fires the action of a configured combination while the desk has focus, and stops when unsubscribed', () => {
    const { host, press, listeners } = setup();
    const fired: HostKeyAction[] = [];
    const stop = host.onHotkey((a) => fired.push(a));
    // A second subscriber (the desk's ready toggle next to the phone's keys) hears the same presses.
    const alsoFired: HostKeyAction[] = [];
    const stopToo = host.onHotkey((a) => alsoFired.push(a));
    expect(press('KeyA', { ctrlKey: true, shiftKey: true })).toBe(true);
    expect(press('KeyH', { ctrlKey: true, shiftKey: true })).toBe(true);
    expect(press('KeyM', { metaKey: true, shiftKey: true })).toBe(true);
    // Plain typing is not a hotkey, and is left to the page.
    expect(press('KeyA')).toBe(false);
    expect(fired).toEqual(['answer', 'hangUp', 'mute']);
    expect(alsoFired).toEqual(fired);
    stop();
    expect(listeners.size).toBe(1);
    stopToo();
    expect(listeners.size).toBe(0);
  });

  it('follows the agent’s own combinations; a turned-off hotkey does nothing', () => {
    const { host, press } = setup({
      hotkeys: { answer: 'F8', hangUp: null, mute: 'Alt+M', toggleReady: 'CommandOrControl+Shift+R' },
    });
    const fired: HostKeyAction[] = [];
    host.onHotkey((a) => fired.push(a));
    press('F8');
    press('KeyH', { ctrlKey: true, shiftKey: true });
    press('KeyM', { altKey: true });
    expect(fired).toEqual(['answer', 'mute']);
  });

  it('leaves a press something else already took (a hotkey field capturing keys), and key repeat', () => {
    const { host, press } = setup();
    const fired: HostKeyAction[] = [];
    host.onHotkey((a) => fired.push(a));
    press('KeyA', { ctrlKey: true, shiftKey: true, defaultPrevented: true } as never);
    press('KeyA', { ctrlKey: true, shiftKey: true, repeat: true } as never);
    expect(fired).toEqual([]);
  });
});
