import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HOTKEYS, DeskSettings } from '@shared/host-api';
import { parseDialTarget } from '../../../../src/main/host/dial';
import { createHeadsetKeys } from '../../../../src/main/host/headset-keys';
import { createHotkeyRegistry } from '../../../../src/main/host/hotkey-registry';
import { createPowerGuard } from '../../../../src/main/host/power-guard';
import { presetToSettings, readPreset } from '../../../../src/main/host/preset';
import { trayIconPixels } from '../../../../src/main/host/tray-icon';
import { trayTooltip, trayVariant } from '../../../../src/main/host/tray-text';
import { updateFeedUrl } from '../../../../src/main/host/update-feed';

const dir = mkdtempSync(join(tmpdir(), 'ieum-os-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tel:/sip: links as dial requests', () => {
  it('keeps what a dialer can use', () => {
    expect(parseDialTarget('tel:+82-10-1234-5678')).toEqual({ number: '+821012345678' });
    expect(parseDialTarget('tel:1588-0000;phone-context=example.com')).toEqual({ number: '15880000' });
    expect(parseDialTarget('tel:%2B82%2010%201234')).toEqual({ number: '+82101234' });
    expect(parseDialTarget('sip:1001@pbx.example.internal')).toEqual({ number: '1001@pbx.example.internal' });
    expect(parseDialTarget('SIP:1001@pbx.example.internal;transport=tcp')).toEqual({
      number: '1001@pbx.example.internal',
    });
  });

  it('refuses anything else', () => {
    for (const url of [
      'https://evil.example',
      'tel:',
      'tel:abc',
      'sip:@host',
      'tel:%E0%A4%A',
      'javascript:1',
    ]) {
      expect(parseDialTarget(url)).toBeNull();
    }
  });
});

describe('keep-awake during calls', () => {
  it('holds one blocker while a call is up, and releases it after', () => {
    const start = vi.fn(() => 7);
    const stop = vi.fn();
    const guard = createPowerGuard({ start, stop });
    guard.setCallActive(true);
    guard.setCallActive(true);
    expect(start).toHaveBeenCalledTimes(1);
    expect(guard.blocking).toBe(true);
    guard.setCallActive(false);
    guard.setCallActive(false);
    expect(stop).toHaveBeenCalledExactlyOnceWith(7);
    expect(guard.blocking).toBe(false);
  });
});

describe('global hotkeys', () => {
  function fakeShortcuts(taken: string[] = []) {
    const registered = new Map<string, () => void>();
    return {
      registered,
      register: vi.fn((accelerator: string, callback: () => void) => {
        if (taken.includes(accelerator) || registered.has(accelerator)) return false;
        registered.set(accelerator, callback);
        return true;
      }),
      unregister: vi.fn((accelerator: string) => void registered.delete(accelerator)),
    };
  }

  it("registers the agent's keys and fires their actions", () => {
    const api = fakeShortcuts();
    const onAction = vi.fn();
    const registry = createHotkeyRegistry(api, onAction);
    expect(registry.apply(DEFAULT_HOTKEYS)).toEqual([]);
    api.registered.get('CommandOrControl+Shift+A')!();
    expect(onAction).toHaveBeenCalledWith('answer');
  });

  it('re-registers only what changed and reports keys it could not get', () => {
    const api = fakeShortcuts(['F9']);
    const registry = createHotkeyRegistry(api, vi.fn());
    registry.apply(DEFAULT_HOTKEYS);
    api.register.mockClear();
    const failed = registry.apply({ ...DEFAULT_HOTKEYS, mute: 'F9', toggleReady: null, hangUp: 'F8' });
    expect(failed).toEqual(['mute']);
    expect(api.unregister).toHaveBeenCalledWith('CommandOrControl+Shift+M');
    expect(api.unregister).toHaveBeenCalledWith('CommandOrControl+Shift+R');
    expect(api.register.mock.calls.map((c) => c[0])).toEqual(['F8', 'F9']);
    expect([...api.registered.keys()].sort()).toEqual(['CommandOrControl+Shift+A', 'F8']);
    registry.clear();
    expect(api.registered.size).toBe(0);
  });

  it('takes the headset keys only while they are on, as call keys on the same event', () => {
    const api = fakeShortcuts();
    const onKey = vi.fn();
    const headset = createHeadsetKeys(api, onKey);
    expect(headset.apply(false, DEFAULT_HOTKEYS)).toEqual([]);
    expect(api.registered.size).toBe(0);
    expect(headset.apply(true, DEFAULT_HOTKEYS)).toEqual([]);
    api.registered.get('MediaPlayPause')!();
    api.registered.get('MediaStop')!();
    expect(onKey.mock.calls).toEqual([['headsetButton'], ['hangUp']]);
    headset.apply(false, DEFAULT_HOTKEYS);
    expect(api.registered.size).toBe(0);
  });

  it('leaves a media key the agent bound to a hotkey to that hotkey, and reports one another app holds', () => {
    const api = fakeShortcuts(['MediaStop']);
    const onAction = vi.fn();
    const registry = createHotkeyRegistry(api, onAction);
    const headset = createHeadsetKeys(api, vi.fn());
    headset.apply(true, DEFAULT_HOTKEYS);
    // The agent moves "answer" to the play/pause key: main lets go of the
    // media keys, applies the hotkeys, then takes what is left.
    const hotkeys = { ...DEFAULT_HOTKEYS, answer: 'MediaPlayPause' };
    headset.clear();
    expect(registry.apply(hotkeys)).toEqual([]);
    expect(headset.apply(true, hotkeys)).toEqual(['MediaStop']);
    api.registered.get('MediaPlayPause')!();
    expect(onAction).toHaveBeenCalledWith('answer');
    headset.clear();
    expect(api.registered.has('MediaPlayPause')).toBe(true);
  });

  it('settings accept accelerators and refuse junk', () => {
    const base = {
      language: 'ko',
      profiles: [],
      lastProfileId: null,
      notificationVolume: 1,
      startAtLogin: true,
      headsetKeys: false,
    };
    expect(
      DeskSettings.safeParse({ ...base, hotkeys: { ...DEFAULT_HOTKEYS, mute: 'MediaPlayPause' } }).success,
    ).toBe(true);
    expect(DeskSettings.safeParse({ ...base, hotkeys: { ...DEFAULT_HOTKEYS, mute: 'rm -rf' } }).success).toBe(
      false,
    );
  });
});

describe("IT's ieum.json preset", () => {
  it('takes the short form with just a hub address', () => {
    expect(
      presetToSettings({ hubUrl: 'https://hub-seoul.example.internal:7300', label: '서울센터' }),
    ).toEqual({
      profiles: [
        {
          id: 'hub-hub-seoul.example.internal',
          label: '서울센터',
          hubUrl: 'https://hub-seoul.example.internal:7300',
        },
      ],
      lastProfileId: 'hub-hub-seoul.example.internal',
    });
  });

  it('takes the settings form, keeping only the fields that validate', () => {
    const preset = presetToSettings({
      language: 'en',
      startAtLogin: 'yes',
      profiles: [
        { id: 'seoul', label: '서울센터', hubUrl: 'http://10.0.0.5:7300' },
        { id: 'busan', label: '부산센터', hubUrl: 'http://10.0.1.5:7300' },
      ],
      lastProfileId: 'nowhere',
    });
    expect(preset).toMatchObject({ language: 'en', lastProfileId: 'seoul' });
    expect(preset?.profiles).toHaveLength(2);
    expect(preset && 'startAtLogin' in preset).toBe(false);
  });

  it('reads the first readable candidate file', async () => {
    const broken = join(dir, 'broken.json');
    const good = join(dir, 'ieum.json');
    writeFileSync(broken, '{ not json');
    writeFileSync(good, JSON.stringify({ hubUrl: 'http://hub.local:7300' }));
    expect(await readPreset([join(dir, 'missing.json'), broken, good])).toMatchObject({
      file: good,
      settings: { lastProfileId: 'hub-hub.local' },
    });
    expect(await readPreset([broken])).toBeNull();
  });
});

describe('updates from the hub', () => {
  it('uses the /updates/ folder of the hub origin', () => {
    expect(updateFeedUrl('https://hub.example.internal:7300/desk/')).toBe(
      'https://hub.example.internal:7300/updates/',
    );
    expect(updateFeedUrl('file:///etc/passwd')).toBeNull();
    expect(updateFeedUrl(null)).toBeNull();
  });
});

describe('tray', () => {
  it('says state and unread in one line, colour by state', () => {
    expect(trayTooltip({ state: 'ready', label: '대기', unread: 3 })).toBe('Ieum Desk · 대기 · 3');
    expect(trayTooltip({ state: 'not_ready', label: '이석', unread: 0 })).toBe('Ieum Desk · 이석');
    expect(trayTooltip({ state: null, label: '', unread: 250 })).toBe('Ieum Desk · 99+');
    expect(trayVariant({ state: 'wrap_up', label: '', unread: 0 })).toBe('away');
    expect(trayVariant(null)).toBe('offline');
  });

  it('draws a disc in the state colour, with a dot when something is unread', () => {
    const plain = trayIconPixels('ready', 16, false);
    const dotted = trayIconPixels('ready', 16, true);
    expect(plain).toHaveLength(16 * 16 * 4);
    const centre = (8 * 16 + 8) * 4;
    // BGRA: green-ish, opaque in the middle, transparent in the corner.
    expect([plain[centre], plain[centre + 1], plain[centre + 2], plain[centre + 3]]).toEqual([
      0x4a, 0xa3, 0x1f, 255,
    ]);
    expect(plain[3]).toBe(0);
    expect(dotted.equals(plain)).toBe(false);
    expect(trayIconPixels('busy', 16, false).equals(plain)).toBe(false);
  });
});
