/**
 * The Settings dialog's side effects: reading and saving through the host
 * API, and the test ring. The store decides what is valid; this saves it.
 */
import type { DeskSettings } from '@shared/host-api';
import type { Result } from '@shared/errors';
import { getHost } from '@renderer/host/get-host';
import { playRing } from '@renderer/host/ring-tone';
import { i18next } from '@renderer/i18n';
import { createLogger } from '@renderer/lib/log';
import { selectNotificationVolume, useSettingsStore } from '@renderer/stores/settings';

const log = createLogger('settings');

export async function loadSettings(): Promise<void> {
  const settings = await getHost().getSettings();
  if (settings.ok) useSettingsStore.getState().settingsLoaded(settings.value);
  else log.warn('settings not read', settings.error);
}

/** Saves what the store holds now for the given fields. */
export async function saveSettings(
  fields: readonly ('notificationVolume' | 'hotkeys' | 'startAtLogin' | 'headsetKeys')[],
): Promise<Result<DeskSettings>> {
  const s = useSettingsStore.getState();
  const all = {
    notificationVolume: selectNotificationVolume(s),
    hotkeys: s.hotkeys,
    startAtLogin: s.startAtLogin,
    headsetKeys: s.headsetKeys,
  };
  const patch = Object.fromEntries(fields.map((f) => [f, all[f]])) as Partial<DeskSettings>;
  const saved = await getHost().updateSettings(patch);
  if (!saved.ok) log.warn('settings not saved', saved.error);
  return saved;
}

/** Rings at the chosen volume and shows a notification the way an offer would. */
export async function testNotification(): Promise<Result<null>> {
  playRing(selectNotificationVolume(useSettingsStore.getState()));
  return getHost().notify({
    title: i18next.t('settings.testTitle'),
    body: i18next.t('settings.testBody'),
    tag: 'ieum:test',
  });
}
