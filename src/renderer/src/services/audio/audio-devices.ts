/**
 * The agent's audio devices, chosen separately: the microphone, the headset
 * (the call's sound) and the ringer (the ring of an incoming call or offer,
 * e.g. the PC's speakers so it is heard with the headset off). Kept on this
 * PC (localStorage, in Electron and the browser alike): devices belong to the
 * machine, not to the agent's account. Null means the system default.
 */
import { createLogger } from '@renderer/lib/log';

const log = createLogger('audio');
export const AUDIO_DEVICES_KEY = 'ieum:audio-devices';

export interface AudioDeviceChoice {
  microphone: string | null;
  headset: string | null;
  ringer: string | null;
}

export const NO_CHOICE: AudioDeviceChoice = { microphone: null, headset: null, ringer: null };

type Store = Pick<Storage, 'getItem' | 'setItem'>;
const storage = (): Store | null => (typeof localStorage === 'undefined' ? null : localStorage);

const deviceId = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : null;

export function loadAudioDevices(store: Store | null = storage()): AudioDeviceChoice {
  try {
    const raw = JSON.parse(store?.getItem(AUDIO_DEVICES_KEY) ?? 'null') as Record<string, unknown> | null;
    if (!raw || typeof raw !== 'object') return { ...NO_CHOICE };
    return {
      microphone: deviceId(raw.microphone),
      headset: deviceId(raw.headset),
      ringer: deviceId(raw.ringer),
    };
  } catch {
    return { ...NO_CHOICE };
  }
}

export function saveAudioDevices(choice: AudioDeviceChoice, store: Store | null = storage()): void {
  try {
    store?.setItem(AUDIO_DEVICES_KEY, JSON.stringify(choice));
  } catch (error) {
    log.warn('audio devices not saved', error);
  }
}

/** getUserMedia constraints for calls: the chosen microphone, or the default one. */
export function microphoneConstraints(choice: AudioDeviceChoice): MediaStreamConstraints {
  return {
    audio: choice.microphone ? { deviceId: { exact: choice.microphone } } : true,
    video: false,
  };
}

export interface AudioDevices {
  microphones: MediaDeviceInfo[];
  outputs: MediaDeviceInfo[];
}

/** The PC's microphones and outputs (labels appear once the page may use the microphone). */
export async function listAudioDevices(): Promise<AudioDevices> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    microphones: all.filter((d) => d.kind === 'audioinput'),
    outputs: all.filter((d) => d.kind === 'audiooutput'),
  };
}

type SinkElement = HTMLMediaElement & { setSinkId?(id: string): Promise<void> };

/** Sends an element's sound to a device; false where the platform cannot choose outputs. */
export async function routeTo(element: HTMLMediaElement, sinkId: string | null): Promise<boolean> {
  const el = element as SinkElement;
  if (!el.setSinkId) return false;
  try {
    await el.setSinkId(sinkId ?? '');
    return true;
  } catch (error) {
    log.warn('cannot use the audio output', sinkId, error);
    return false;
  }
}

/** Plays a one-second 1 kHz test tone on `sinkId` (the pre-shift check of a headset or ringer). */
export async function playTestTone(sinkId: string | null): Promise<boolean> {
  if (typeof AudioContext === 'undefined') return false;
  const context = new AudioContext();
  try {
    const destination = context.createMediaStreamDestination();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = 1000;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(destination);
    const element = new Audio();
    element.srcObject = destination.stream;
    if (sinkId && !(await routeTo(element, sinkId))) return false;
    oscillator.start();
    await element.play();
    await new Promise((r) => setTimeout(r, 1_000));
    oscillator.stop();
    element.pause();
    return true;
  } catch (error) {
    log.warn('test tone not played', error);
    return false;
  } finally {
    void context.close();
  }
}

/**
 * The microphone's level (0–1) a few times a second, for the pre-shift test.
 * Resolves with a stop function, or rejects with getUserMedia's error (denied,
 * missing), which the caller turns into a message.
 */
export async function meterMicrophone(
  choice: AudioDeviceChoice,
  onLevel: (level: number) => void,
): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints(choice));
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const v of samples) sum += v * v;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, 150);
  return () => {
    clearInterval(timer);
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
}
