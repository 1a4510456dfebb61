/**
 * Audio devices in the settings: microphone, headset and ringer chosen
 * separately and kept on this PC, with the pre-shift test — a live microphone
 * level and a test tone on the headset and on the ringer.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { playRing } from '@renderer/host/ring-tone';
import {
  type AudioDeviceChoice,
  type AudioDevices,
  listAudioDevices,
  loadAudioDevices,
  meterMicrophone,
  playTestTone,
  saveAudioDevices,
} from '@renderer/services/audio/audio-devices';
import { audioDevicesChanged } from '@renderer/services/sip/phone';
import { mediaProblem } from '@renderer/services/sip/phone-problem';
import { selectNotificationVolume, useSettingsStore } from '@renderer/stores/settings';

type Role = keyof AudioDeviceChoice;
type TestResult = 'played' | 'failed' | null;

export function AudioDevicesSection() {
  const { t } = useTranslation();
  const ids = { microphone: useId(), headset: useId(), ringer: useId() };
  const [choice, setChoice] = useState<AudioDeviceChoice>(() => loadAudioDevices());
  const [devices, setDevices] = useState<AudioDevices>({ microphones: [], outputs: [] });
  const [level, setLevel] = useState<number | null>(null);
  const [stopMeter, setStopMeter] = useState<(() => void) | null>(null);
  const [micError, setMicError] = useState<string | null>(null);
  const [tone, setTone] = useState<TestResult>(null);

  const refresh = useCallback(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    void listAudioDevices().then(setDevices, () => undefined);
  }, []);

  useEffect(() => {
    refresh();
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
  }, [refresh]);
  useEffect(() => () => stopMeter?.(), [stopMeter]);

  const choose = (role: Role, id: string) => {
    const next = { ...choice, [role]: id || null };
    setChoice(next);
    saveAudioDevices(next);
    audioDevicesChanged();
    if (role === 'microphone' && stopMeter) {
      stopMeter();
      setStopMeter(null);
      setLevel(null);
    }
  };

  const toggleMeter = async () => {
    if (stopMeter) {
      stopMeter();
      setStopMeter(null);
      setLevel(null);
      return;
    }
    setMicError(null);
    try {
      const stop = await meterMicrophone(choice, setLevel);
      setStopMeter(() => stop);
      setLevel(0);
      refresh(); // labels appear once the microphone may be used
    } catch (error) {
      setMicError(t(`softphone.problems.${mediaProblem(error)}`));
    }
  };

  const testOutput = async (role: 'headset' | 'ringer') => {
    setTone(null);
    const played =
      role === 'headset'
        ? await playTestTone(choice.headset)
        : playRing(Math.max(0.3, selectNotificationVolume(useSettingsStore.getState())), choice.ringer);
    setTone(played ? 'played' : 'failed');
  };

  const select = (role: Role, list: MediaDeviceInfo[]) => (
    <>
      <label htmlFor={ids[role]}>{t(`settings.audio.${role}`)}</label>
      <select
        id={ids[role]}
        className="input"
        value={choice[role] ?? ''}
        onChange={(e) => choose(role, e.target.value)}
      >
        <option value="">{t('settings.audio.systemDefault')}</option>
        {list
          .filter((d) => d.deviceId && d.deviceId !== 'default')
          .map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('settings.audio.unnamed', { n: i + 1 })}
            </option>
          ))}
      </select>
    </>
  );

  return (
    <fieldset className="settings__group">
      <legend>{t('settings.audio.title')}</legend>
      {select('microphone', devices.microphones)}
      <button
        type="button"
        className="button"
        aria-pressed={stopMeter !== null}
        onClick={() => void toggleMeter()}
      >
        {t('settings.audio.testMicrophone')}
      </button>
      {level !== null && (
        <meter
          min={0}
          max={1}
          value={level}
          aria-label={t('settings.audio.level')}
          data-level={level.toFixed(3)}
        />
      )}
      {micError && (
        <p role="alert" className="form-error form-error--inline">
          {micError}
        </p>
      )}
      {select('headset', devices.outputs)}
      <button type="button" className="button" onClick={() => void testOutput('headset')}>
        {t('settings.audio.testHeadset')}
      </button>
      {select('ringer', devices.outputs)}
      <button type="button" className="button" onClick={() => void testOutput('ringer')}>
        {t('settings.audio.testRinger')}
      </button>
      <p role="status" className="hint">
        {tone === 'played' && t('settings.audio.tonePlayed')}
        {tone === 'failed' && t('settings.audio.toneFailed')}
      </p>
    </fieldset>
  );
}
