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
    setTrayStatus: vi.fn(async () => ok(null)),
    setCallActive: vi.fn(async () => ok(null)),
    outboxAdd: vi.fn(async (item) => ok(item)),
    outboxList: vi.fn(async () => ok([])),
    outboxRemove: vi.fn(async () => ok(null)),
    outboxSetState: vi.fn(async () => ok(null)),
    cacheConversations: vi.fn(async () => ok(null)),
    cachedConversations: vi.fn(async () => ok([])),
    cacheMessages: vi.fn(async () => ok(null)),
    cachedMessages: vi.fn(async () => ok([])),
    cacheCustomer: vi.fn(async () => ok(null)),
    cachedCustomer: vi.fn(async () => ok(null)),
    cacheSession: vi.fn(async () => ok(null)),
    cachedSession: vi.fn(async () => ok(null)),
    cacheCalls: vi.fn(async () => ok(null)),
    cachedCalls: vi.fn(async () => ok([])),
    saveDraft: vi.fn(async () => ok(null)),
    loadDraft: vi.fn(async () => ok(null)),
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

  it('reports every refusal, without the arguments themselves', async () => {
    const onRejected = vi.fn();
    const dispatch = createIpcDispatcher(services(), trusted, undefined, onRejected);
    await dispatch('saveCredential', 'https://evil.example/', [{ hubUrl: 'https://hub', token: 'secret' }]);
    await dispatch('saveCredential', 'app://desk/index.html', [{ hubUrl: 'nope', token: 'secret' }]);
    expect(onRejected).toHaveBeenNthCalledWith(1, 'saveCredential', 'untrusted-sender', {
      senderUrl: 'https://evil.example/',
    });
    expect(onRejected).toHaveBeenNthCalledWith(2, 'saveCredential', 'invalid-arguments', expect.any(Array));
    expect(JSON.stringify(onRejected.mock.calls)).not.toContain('secret');
  });

  it('refuses an outbox item that is not a valid reply', async () => {
    const s = services();
    const dispatch = createIpcDispatcher(s, trusted);
    const item = {
      hubUrl: 'http://127.0.0.1:7300',
      userId: 'u1',
      id: 'cmd-00000001',
      conversationId: 'c1',
      body: '   ',
      kind: 'out',
      createdAt: 't',
      state: 'pending',
      error: null,
    };
    expect(await dispatch('outboxAdd', 'app://desk/index.html', [item])).toMatchObject({ ok: false });
    expect(
      await dispatch('outboxAdd', 'app://desk/index.html', [{ ...item, body: 'hi', hubUrl: 'file:///x' }]),
    ).toMatchObject({ ok: false });
    expect(s.outboxAdd).not.toHaveBeenCalled();
    expect(await dispatch('outboxAdd', 'app://desk/index.html', [{ ...item, body: 'hi' }])).toMatchObject({
      ok: true,
    });
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
