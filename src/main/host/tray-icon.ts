/**
 * The tray icon drawn in code: a filled disc in the agent state's colour, with
 * a small white dot when something is unread. Raw BGRA pixels (what
 * Electron's `nativeImage.createFromBitmap` takes), so no image files per
 * state and platform have to ship.
 */
import type { trayVariant } from './tray-text';

type Variant = ReturnType<typeof trayVariant>;

const COLOURS: Record<Variant, [number, number, number]> = {
  ready: [0x1f, 0xa3, 0x4a],
  away: [0xe0, 0x9b, 0x16],
  busy: [0xd6, 0x3b, 0x3b],
  offline: [0x8a, 0x93, 0x9e],
};

export function trayIconPixels(variant: Variant, size: number, unread: boolean): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const [r, g, b] = COLOURS[variant];
  const centre = (size - 1) / 2;
  const radius = size / 2 - 0.5;
  const dot = { x: size * 0.74, y: size * 0.26, r: size * 0.2 };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // Soft edge: coverage from the distance to the rim, so small sizes do not look jagged.
      const coverage = Math.max(0, Math.min(1, radius - Math.hypot(x - centre, y - centre) + 0.5));
      if (coverage === 0) continue;
      const inDot = unread && Math.hypot(x - dot.x, y - dot.y) <= dot.r;
      pixels[i] = inDot ? 0xff : b;
      pixels[i + 1] = inDot ? 0xff : g;
      pixels[i + 2] = inDot ? 0xff : r;
      pixels[i + 3] = Math.round(coverage * 255);
    }
  }
  return pixels;
}
