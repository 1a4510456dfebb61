/**
 * The desk's settings, from the top bar: language, notification volume with a
 * test, audio devices with the pre-shift test, the hotkeys and start-at-login. Every change is saved at once
 * through the host API; a hotkey already taken is refused with a message.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HOTKEY_ACTIONS, type HotkeyAction, type HostInfo } from '@shared/host-api';
import type { IeumError } from '@shared/errors';
import { getHost } from '@renderer/host/get-host';
import { errorText } from '@renderer/lib/error-text';
import { useSettingsStore, type HotkeyError } from '@renderer/stores/settings';
import { AudioDevicesSection } from './AudioDevicesSection';
import { HotkeyField } from './HotkeyField';
import { LanguageSwitcher } from './LanguageSwitcher';
import { loadSettings, saveSettings, testNotification } from './settings-service';

type SaveState = 'idle' | 'saved' | 'failed';

export function SettingsButton() {
  const { t } = useTranslation();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();

  // The offer ring needs the saved volume even if the dialog is never opened.
  useEffect(() => {
    void loadSettings();
  }, []);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (open && dialog && !dialog.open) dialog.showModal();
  }, [open]);

  return (
    <>
      <button
        type="button"
        className="button button--quiet"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {t('settings.open')}
      </button>
      <dialog
        ref={dialogRef}
        className="settings-dialog"
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
      >
        {open && <SettingsForm titleId={titleId} onClose={() => dialogRef.current?.close()} />}
      </dialog>
    </>
  );
}

function hotkeyErrorText(
  t: (key: string, options?: Record<string, unknown>) => string,
  error: HotkeyError,
): string {
  if (error.code === 'HOTKEY_INVALID') return t('settings.hotkeyInvalid');
  return t('settings.hotkeyConflict', {
    key: error.accelerator,
    other: t(`settings.hotkeyActions.${error.other}`),
  });
}

function SettingsForm({ titleId, onClose }: { titleId: string; onClose(): void }) {
  const { t } = useTranslation();
  const ids = { volume: useId(), hotkeyHint: useId(), startHint: useId(), headsetHint: useId() };
  const volume = useSettingsStore((s) => s.volume);
  const hotkeys = useSettingsStore((s) => s.hotkeys);
  const startAtLogin = useSettingsStore((s) => s.startAtLogin);
  const headsetKeys = useSettingsStore((s) => s.headsetKeys);
  const hotkeyError = useSettingsStore((s) => s.hotkeyError);
  const [info, setInfo] = useState<HostInfo | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [saveError, setSaveError] = useState<IeumError | null>(null);
  const [testError, setTestError] = useState<IeumError | null>(null);

  useEffect(() => {
    useSettingsStore.getState().clearHotkeyError();
    void loadSettings();
    void getHost()
      .getInfo()
      .then((r) => setInfo(r.ok ? r.value : null));
  }, []);

  const electron = info?.kind === 'electron';
  const mac = /mac|darwin/i.test(info?.platform ?? '');

  const save = async (fields: Parameters<typeof saveSettings>[0]) => {
    setSaveState('idle');
    const saved = await saveSettings(fields);
    setSaveState(saved.ok ? 'saved' : 'failed');
    setSaveError(saved.ok ? null : saved.error);
  };

  const changeHotkey = (action: HotkeyAction, accelerator: string | null) => {
    if (useSettingsStore.getState().setHotkey(action, accelerator)) void save(['hotkeys']);
  };

  const test = async () => {
    setTestError(null);
    const shown = await testNotification();
    if (!shown.ok) setTestError(shown.error);
  };

  return (
    <div className="settings">
      <header className="settings__header">
        <h2 id={titleId}>{t('settings.title')}</h2>
        <button type="button" className="button button--quiet" onClick={onClose}>
          {t('settings.close')}
        </button>
      </header>

      <LanguageSwitcher />

      <fieldset className="settings__group">
        <legend>{t('settings.notifications')}</legend>
        <label htmlFor={ids.volume}>{t('settings.volume')}</label>
        <input
          id={ids.volume}
          type="range"
          min={0}
          max={100}
          step={1}
          value={volume}
          aria-valuetext={t('settings.volumeValue', { value: volume })}
          onChange={(e) => {
            useSettingsStore.getState().setVolume(Number(e.target.value));
            void save(['notificationVolume']);
          }}
        />
        <output htmlFor={ids.volume}>{t('settings.volumeValue', { value: volume })}</output>
        <button type="button" className="button" onClick={() => void test()}>
          {t('settings.testSound')}
        </button>
        {testError && (
          <p role="alert" className="form-error form-error--inline">
            {t('settings.testNotShown')}
          </p>
        )}
      </fieldset>

      <AudioDevicesSection />

      <fieldset className="settings__group">
        <legend>{t('settings.hotkeys')}</legend>
        <p id={ids.hotkeyHint} className="hint">
          {t('settings.hotkeyHint')} {!electron && t('settings.hotkeysDesktopOnly')}
        </p>
        {HOTKEY_ACTIONS.map((action) => (
          <HotkeyField
            key={action}
            action={action}
            accelerator={hotkeys[action]}
            mac={mac}
            hintId={ids.hotkeyHint}
            onChange={(accelerator) => changeHotkey(action, accelerator)}
          />
        ))}
        {hotkeyError && (
          <p role="alert" className="form-error form-error--inline">
            {hotkeyErrorText(t, hotkeyError)}
          </p>
        )}
        <button
          type="button"
          className="button"
          onClick={() => {
            useSettingsStore.getState().resetHotkeys();
            void save(['hotkeys']);
          }}
        >
          {t('settings.resetHotkeys')}
        </button>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={electron && headsetKeys}
            disabled={!electron}
            aria-describedby={ids.headsetHint}
            onChange={(e) => {
              useSettingsStore.getState().setHeadsetKeys(e.target.checked);
              void save(['headsetKeys']);
            }}
          />
          {t('settings.headsetKeys')}
        </label>
        <p id={ids.headsetHint} className="hint">
          {t('settings.headsetKeysHint')} {!electron && t('settings.headsetKeysBrowser')}
        </p>
      </fieldset>

      <fieldset className="settings__group">
        <legend>{t('settings.system')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={electron && startAtLogin}
            disabled={!electron}
            aria-describedby={electron ? undefined : ids.startHint}
            onChange={(e) => {
              useSettingsStore.getState().setStartAtLogin(e.target.checked);
              void save(['startAtLogin']);
            }}
          />
          {t('settings.startAtLogin')}
        </label>
        {!electron && (
          <p id={ids.startHint} className="hint">
            {t('settings.startAtLoginDesktopOnly')}
          </p>
        )}
      </fieldset>

      <p role="status" className="settings__status">
        {saveState === 'saved' && t('settings.saved')}
        {saveState === 'failed' && saveError && `${t('settings.saveFailed')} ${errorText(t, saveError)}`}
      </p>
    </div>
  );
}
