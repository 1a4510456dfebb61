/**
 * The offer ring, made with Web Audio (no sound file to ship or to load):
 * two short bursts of the 440+480 Hz ringback pair at the agent's volume.
 */
import { createLogger } from '@renderer/lib/log';

const log = createLogger('ring');

let context: AudioContext | null = null;
let contextSink = '';

type SinkContext = AudioContext & { setSinkId?(id: string): Promise<void> };

/**
 * Rings once at `volume` (0–1), on the ringer device when one is chosen
 * (`sinkId`; '' or null: the default output). Returns false where the page
 * has no audio (or it is muted).
 */
export function playRing(volume: number, sinkId: string | null = null): boolean {
  const level = Math.min(1, Math.max(0, volume));
  if (level === 0 || typeof AudioContext === 'undefined') return false;
  try {
    context ??= new AudioContext();
    const sink = sinkId ?? '';
    const ringer = context as SinkContext;
    if (sink !== contextSink && ringer.setSinkId) {
      contextSink = sink;
      ringer.setSinkId(sink).catch((error: unknown) => log.debug('ringer device not used', error));
    }
    if (context.state === 'suspended') void context.resume();
    const start = context.currentTime;
    const gain = context.createGain();
    gain.connect(context.destination);
    gain.gain.setValueAtTime(0, start);
    // Two bursts of 0.4 s with a short gap; ramps avoid clicks.
    for (const offset of [0, 0.6]) {
      gain.gain.linearRampToValueAtTime(level * 0.3, start + offset + 0.02);
      gain.gain.setValueAtTime(level * 0.3, start + offset + 0.38);
      gain.gain.linearRampToValueAtTime(0, start + offset + 0.4);
    }
    for (const frequency of [440, 480]) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(start);
      oscillator.stop(start + 1.05);
    }
    return true;
  } catch (error) {
    log.debug('ring not played', error);
    return false;
  }
}
