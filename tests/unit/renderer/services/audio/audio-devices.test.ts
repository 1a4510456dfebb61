import { describe, expect, it } from 'vitest';
import {
  AUDIO_DEVICES_KEY,
  NO_CHOICE,
  loadAudioDevices,
  microphoneConstraints,
  saveAudioDevices,
} from '@renderer/services/audio/audio-devices';

function memory() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

describe('audio devices', () => {
  it('remembers microphone, headset and ringer separately', () => {
    const store = memory();
    expect(loadAudioDevices(store)).toEqual(NO_CHOICE);
    saveAudioDevices({ microphone: 'mic-2', headset: 'usb-headset', ringer: 'speakers' }, store);
    expect(loadAudioDevices(store)).toEqual({
      microphone: 'mic-2',
      headset: 'usb-headset',
      ringer: 'speakers',
    });
  });

  it('falls back to the system default for anything unreadable', () => {
    const store = memory();
    store.data.set(AUDIO_DEVICES_KEY, '{not json');
    expect(loadAudioDevices(store)).toEqual(NO_CHOICE);
    store.data.set(
      AUDIO_DEVICES_KEY,
      JSON.stringify({ microphone: 42, headset: '', ringer: 'x'.repeat(300) }),
    );
    expect(loadAudioDevices(store)).toEqual(NO_CHOICE);
  });

  it('asks getUserMedia for exactly the chosen microphone, or any', () => {
    expect(microphoneConstraints(NO_CHOICE)).toEqual({ audio: true, video: false });
    expect(microphoneConstraints({ ...NO_CHOICE, microphone: 'mic-2' })).toEqual({
      audio: { deviceId: { exact: 'mic-2' } },
      video: false,
    });
  });
});
