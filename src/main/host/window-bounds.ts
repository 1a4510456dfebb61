/**
 * Remembers where the desk window was. Saved bounds are only reused when they
 * still overlap a connected display, so unplugging a monitor never strands
 * the window off-screen.
 */
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';

export const Bounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
});
export type Bounds = z.infer<typeof Bounds>;

export const WindowState = z.object({ bounds: Bounds, maximized: z.boolean() });
export type WindowState = z.infer<typeof WindowState>;

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;

function overlaps(a: Bounds, b: Bounds): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= 100 && h >= 50;
}

/** The saved state if it is valid and visible on one of `workAreas`, else null. */
export function restorableState(saved: unknown, workAreas: readonly Bounds[]): WindowState | null {
  const parsed = WindowState.safeParse(saved);
  if (!parsed.success) return null;
  return workAreas.some((area) => overlaps(parsed.data.bounds, area)) ? parsed.data : null;
}

export interface WindowStateStore {
  load(workAreas: readonly Bounds[]): Promise<WindowState | null>;
  save(state: WindowState): Promise<void>;
}

export function createWindowStateStore(file: string): WindowStateStore {
  return {
    load: async (workAreas) => restorableState(await readJsonFile(file), workAreas),
    save: (state) => writeJsonFile(file, state),
  };
}
