import { describe, expect, it, vi } from 'vitest';
import { ok } from '@shared/errors';
import { DEFAULT_SETTINGS } from '@shared/host-api';
import { createIpcDispatcher, type HostServices } from '../../../../src/main/host/ipc-dispatch';

function services(): HostServices {
  return {
    getInfo: vi.fn(async () => ok({ kind: 'electron' as const, platform: 'linux', appVersion: '0.1.0' })),
    getSettings: vi.fn(async () => ok(DEFAULT_SETTINGS)),
    updateSettings: vi.fn(async (patch) => ok({ ...DEFAULT_SETTINGS, ...patch })),
    saveCredential: vi.fn(async () => ok(null)),
    loadCredential: vi.fn(async () => ok('token')),
    clearCredential: vi.fn(async () => ok(null)),
    notify: vi.fn(async () => ok(null)),
    setBadge: vi.fn(async () => {
      throw new Error('boom');
    }),
  };
}

const trusted = (url: string | undefined) => url === 'app://desk/index.html';

describe('IPC dispatcher', () => {
  it('runs the service with validated arguments for a trusted sender', async () => {
    const s = services();
    const dispatch = createIpcDispatcher(s, trusted);
    expect(await dispatch('updateSettings', 'app://desk/index.html', [{ language: 'en' }])).toMatchObject({
      ok: true,
      value: { language: 'en' },
    });
    expect(s.updateSettings).toHaveBeenCalledWith({ language: 'en' });
  });

  it('refuses untrusted senders before looking at arguments', async () => {
    const s = services();
    const result = await createIpcDispatcher(s, trusted)('loadCredential', 'https://evil.example/', [
      'https://hub',
    ]);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(s.loadCredential).not.toHaveBeenCalled();
  });

  it('refuses arguments that do not match the channel schema', async () => {
    const s = services();
    const dispatch = createIpcDispatcher(s, trusted);
    for (const args of [[-1], ['3'], [], [1, 2]]) {
      expect(await dispatch('setBadge', 'app://desk/index.html', args)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(await dispatch('updateSettings', 'app://desk/index.html', [{ language: 'de' }])).toMatchObject({
      ok: false,
    });
    expect(s.setBadge).not.toHaveBeenCalled();
  });

  it('turns a throwing service into INTERNAL instead of an exception across the bridge', async () => {
    const onError = vi.fn();
    const result = await createIpcDispatcher(services(), trusted, onError)(
      'setBadge',
      'app://desk/index.html',
      [2],
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(onError).toHaveBeenCalledWith('setBadge', expect.any(Error));
  });
});
