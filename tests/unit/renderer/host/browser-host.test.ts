import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '@shared/host-api';
import { createBrowserHost, SETTINGS_KEY, type BrowserEnv } from '@renderer/host/browser-host';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

function fakeNotification(permission: NotificationPermission) {
  const shown: { title: string; options?: NotificationOptions; click(): void }[] = [];
  class FakeNotification {
    static permission = permission;
    static requestPermission = vi.fn(async () => permission);
    private listener: () => void = () => undefined;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options, click: () => this.listener() });
    }
    addEventListener(_type: 'click', listener: () => void) {
      this.listener = listener;
    }
    close() {}
  }
  return { Api: FakeNotification, shown };
}

function env(overrides: Partial<BrowserEnv> = {}) {
  const local = memoryStorage();
  const session = memoryStorage();
  const base: BrowserEnv = {
    localStorage: local,
    sessionStorage: session,
    document: { title: '이음 데스크' },
    location: { search: '' },
    navigator: { userAgent: 'test-agent' },
    ...overrides,
  };
  return { env: base, local, session };
}

describe('browser host', () => {
  it('reports itself as the browser host', async () => {
    const host = createBrowserHost(env().env, '1.2.3');
    expect(await host.getInfo()).toEqual({
      ok: true,
      value: { kind: 'browser', platform: 'test-agent', appVersion: '1.2.3' },
    });
  });

  it('keeps settings in localStorage, validated, with defaults for bad fields', async () => {
    const { env: e, local } = env();
    const host = createBrowserHost(e);
    expect(await host.getSettings()).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    const updated = await host.updateSettings({ language: 'en' });
    expect(updated).toMatchObject({ ok: true, value: { language: 'en', notificationVolume: 0.8 } });
    expect(JSON.parse(local.data.get(SETTINGS_KEY)!)).toMatchObject({ language: 'en' });

    local.data.set(SETTINGS_KEY, JSON.stringify({ language: 'fr', notificationVolume: 0.3 }));
    expect(await host.getSettings()).toMatchObject({
      ok: true,
      value: { language: 'ko', notificationVolume: 0.3 },
    });
    local.data.set(SETTINGS_KEY, '{not json');
    expect(await host.getSettings()).toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });

  it('refuses invalid settings', async () => {
    const host = createBrowserHost(env().env);
    const result = await host.updateSettings({ notificationVolume: 7 });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('keeps the token per hub origin in sessionStorage only', async () => {
    const { env: e, local, session } = env();
    const host = createBrowserHost(e);
    expect(await host.saveCredential({ hubUrl: 'https://hub.example:8443/desk/', token: 't0k' })).toEqual({
      ok: true,
      value: null,
    });
    expect(await host.loadCredential('https://hub.example:8443')).toEqual({ ok: true, value: 't0k' });
    expect(await host.loadCredential('https://other.example')).toEqual({ ok: true, value: null });
    expect([...local.data.values()].join()).not.toContain('t0k');
    expect([...session.data.values()]).toContain('t0k');
    await host.clearCredential('https://hub.example:8443');
    expect(await host.loadCredential('https://hub.example:8443')).toEqual({ ok: true, value: null });
    expect(await host.saveCredential({ hubUrl: 'javascript:alert(1)', token: 'x' })).toMatchObject({
      ok: false,
    });
  });

  it('shows the badge as a title prefix and removes it at zero', async () => {
    const { env: e } = env();
    const host = createBrowserHost(e);
    await host.setBadge(3);
    expect(e.document.title).toBe('(3) 이음 데스크');
    await host.setBadge(12);
    expect(e.document.title).toBe('(12) 이음 데스크');
    await host.setBadge(0);
    expect(e.document.title).toBe('이음 데스크');
  });

  it('notifies through the Notification API and reports clicks by tag', async () => {
    const { Api, shown } = fakeNotification('granted');
    const focus = vi.fn();
    const host = createBrowserHost(env({ Notification: Api, focus }).env);
    const clicked: string[] = [];
    const off = host.onNotificationClicked((tag) => clicked.push(tag));
    expect(await host.notify({ title: '새 상담', body: '고객이 기다립니다', tag: 'c1' })).toEqual({
      ok: true,
      value: null,
    });
    expect(shown[0]).toMatchObject({ title: '새 상담', options: { body: '고객이 기다립니다', tag: 'c1' } });
    shown[0]!.click();
    expect(clicked).toEqual(['c1']);
    expect(focus).toHaveBeenCalled();
    off();
    shown[0]!.click();
    expect(clicked).toEqual(['c1']);
  });

  it('reports missing or denied notifications as typed errors', async () => {
    expect(await createBrowserHost(env().env).notify({ title: 'x', body: '' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    const { Api } = fakeNotification('denied');
    expect(
      await createBrowserHost(env({ Notification: Api }).env).notify({ title: 'x', body: '' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('turns ?dial= into a tel: deep link, and ignores junk', async () => {
    const links: string[] = [];
    createBrowserHost(env({ location: { search: '?dial=010-1234-5678' } }).env).onDeepLink((u) =>
      links.push(u),
    );
    createBrowserHost(env({ location: { search: '?dial=<script>' } }).env).onDeepLink((u) => links.push(u));
    await Promise.resolve();
    expect(links).toEqual(['tel:01012345678']);
  });
});
