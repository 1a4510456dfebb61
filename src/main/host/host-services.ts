/**
 * Everything behind `window.ieum` in the desktop app, assembled from the host
 * modules. The Electron-only pieces (notifications, badge, tray, power
 * blocker) come in as functions, so the whole set runs under Node in tests.
 */
import { ok, type Result } from '@shared/errors';
import type { DeskSettings, HostInfo, Notification, TrayStatus } from '@shared/host-api';
import type { CredentialStore } from './credential-store';
import type { HostServices } from './ipc-dispatch';
import type { LocalCache } from './local-cache';
import type { OutboxStore } from '@shared/outbox';
import type { PowerGuard } from './power-guard';
import type { SettingsStore } from './settings-store';

export interface HostServiceDeps {
  info: Omit<HostInfo, 'kind'>;
  settings: SettingsStore;
  credentials: CredentialStore;
  outbox: OutboxStore;
  cache: LocalCache;
  power: PowerGuard;
  notify(notification: Notification): Promise<Result<null>>;
  setBadge(count: number): void;
  setTrayStatus(status: TrayStatus): void;
  /** After every successful settings change: hotkeys, start-at-login, CSP hubs, update feed follow it. */
  settingsChanged(settings: DeskSettings): void;
}

export function createHostServices(deps: HostServiceDeps): HostServices {
  return {
    getInfo: async () => ok({ kind: 'electron', ...deps.info }),
    getSettings: () => deps.settings.get(),
    updateSettings: async (patch) => {
      const result = await deps.settings.update(patch);
      if (result.ok) deps.settingsChanged(result.value);
      return result;
    },
    saveCredential: ({ hubUrl, token }) => deps.credentials.save(hubUrl, token),
    loadCredential: (hubUrl) => deps.credentials.load(hubUrl),
    clearCredential: (hubUrl) => deps.credentials.clear(hubUrl),
    notify: (notification) => deps.notify(notification),
    setBadge: async (count) => {
      deps.setBadge(count);
      return ok(null);
    },
    setTrayStatus: async (status) => {
      deps.setTrayStatus(status);
      return ok(null);
    },
    setCallActive: async (active) => {
      deps.power.setCallActive(active);
      return ok(null);
    },
    outboxAdd: (item) => deps.outbox.outboxAdd(item),
    outboxList: (scope) => deps.outbox.outboxList(scope),
    outboxRemove: (id) => deps.outbox.outboxRemove(id),
    outboxSetState: (change) => deps.outbox.outboxSetState(change),
    ...deps.cache,
  };
}
