#!/usr/bin/env python3
"""Writes resources/kamailio/hold-music.wav: what a caller hears while waiting
for an agent (IEUM_HOLD_MUSIC). Made here from pure tones, so there is no
recording whose licence to track. 8 kHz mono 16-bit, what a phone line
carries; 8 s, played on a loop by rtpengine. Run it again only to change the
tune:

    python3 scripts/make-hold-music.py
"""
import math
import struct
import wave
from pathlib import Path

RATE = 8000
# A calm arpeggio in C major: (note, beats), one beat = 0.25 s.
TUNE = [
    ("C5", 2), ("E5", 2), ("G5", 2), ("E5", 2), ("F5", 2), ("A5", 2), ("C6", 4),
    ("B4", 2), ("D5", 2), ("G5", 2), ("D5", 2), ("C5", 4), ("rest", 4),
]
SEMITONES_FROM_A = {"C": -9, "D": -7, "E": -5, "F": -4, "G": -2, "A": 0, "B": 2}


def frequency(note: str) -> float:
    semitones = SEMITONES_FROM_A[note[0]] + 12 * (int(note[1:]) - 4)
    return 440.0 * 2 ** (semitones / 12)


def main() -> None:
    samples: list[int] = []
    for note, beats in TUNE:
        for i in range(int(RATE * 0.25 * beats)):
            if note == "rest":
                samples.append(0)
                continue
            t = i / RATE
            # A soft bell: the tone and its octave, a short attack, a decay.
            envelope = min(1.0, t / 0.01) * math.exp(-3.0 * t)
            f = frequency(note)
            value = 0.6 * math.sin(2 * math.pi * f * t) + 0.2 * math.sin(4 * math.pi * f * t)
            samples.append(int(12000 * envelope * value))
    out = Path(__file__).resolve().parent.parent / "resources" / "kamailio" / "hold-music.wav"
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    print(f"{out}: {len(samples) / RATE:.1f} s")


if __name__ == "__main__":
    main()
