/**
 * IT's preset: an `ieum.json` beside the desk's executable (or in its
 * resources folder), written by hand or by the installer's `/HUB=` argument.
 * It is read on the first start only — when the user has no settings file
 * yet — so an agent's own changes are never overwritten by it.
 *
 * Accepted forms: a `DeskSettings` subset (`profiles`, `lastProfileId`,
 * `language`, …) or the short `{ "hubUrl": "https://hub:7300", "label": "서울센터" }`.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { DeskSettings, SiteProfile } from '@shared/host-api';
import { readJsonFile } from './json-file';

const ShortPreset = z.object({
  hubUrl: SiteProfile.shape.hubUrl,
  label: SiteProfile.shape.label.optional(),
  id: SiteProfile.shape.id.optional(),
});

/** Turns a parsed ieum.json into settings, keeping only the fields that validate. */
export function presetToSettings(raw: unknown): Partial<DeskSettings> | null {
  if (raw === null || typeof raw !== 'object') return null;
  const short = ShortPreset.safeParse(raw);
  if (short.success) {
    const host = new URL(short.data.hubUrl).hostname;
    const id = short.data.id ?? `hub-${host}`.slice(0, 64);
    return {
      profiles: [{ id, label: short.data.label ?? host, hubUrl: short.data.hubUrl }],
      lastProfileId: id,
    };
  }
  const preset: Partial<DeskSettings> = {};
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(DeskSettings.shape) as (keyof DeskSettings)[]) {
    if (!(key in record)) continue;
    const parsed = DeskSettings.shape[key].safeParse(record[key]);
    if (parsed.success) Object.assign(preset, { [key]: parsed.data });
  }
  if (preset.profiles && !preset.profiles.some((p) => p.id === preset.lastProfileId)) {
    preset.lastProfileId = preset.profiles[0]?.id ?? null;
  }
  return Object.keys(preset).length > 0 ? preset : null;
}

/** The first readable preset among `candidates`, with the file it came from. */
export async function readPreset(
  candidates: readonly string[],
): Promise<{ file: string; settings: Partial<DeskSettings> } | null> {
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const settings = presetToSettings(await readJsonFile(file));
    if (settings) return { file, settings };
  }
  return null;
}
