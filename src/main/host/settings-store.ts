/**
 * The desk's settings as a JSON file in the user's data folder. Whatever is on
 * disk is validated; a field that fails validation falls back to its default
 * instead of breaking start-up.
 */
import { DEFAULT_SETTINGS, DeskSettings } from '@shared/host-api';
import { fail, ok, type Result } from '@shared/errors';
import { readJsonFile, writeJsonFile } from './json-file';

export interface SettingsStore {
  get(): Promise<Result<DeskSettings>>;
  update(patch: Partial<DeskSettings>): Promise<Result<DeskSettings>>;
}

function sanitize(raw: unknown): DeskSettings {
  const settings: DeskSettings = { ...DEFAULT_SETTINGS };
  if (raw === null || typeof raw !== 'object') return settings;
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof DeskSettings)[]) {
    const parsed = DeskSettings.shape[key].safeParse(record[key]);
    if (parsed.success) Object.assign(settings, { [key]: parsed.data });
  }
  return settings;
}

/** Creates a settings store backed by `file`. Updates are serialised so two patches never race. */
export function createSettingsStore(file: string): SettingsStore {
  let queue: Promise<unknown> = Promise.resolve();
  const serialise = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    get: () => serialise(async () => ok(sanitize(await readJsonFile(file)))),
    update: (patch) =>
      serialise(async () => {
        const merged = DeskSettings.safeParse({ ...sanitize(await readJsonFile(file)), ...patch });
        if (!merged.success) return fail('VALIDATION_FAILED', 'invalid settings', merged.error.issues);
        await writeJsonFile(file, merged.data);
        return ok(merged.data);
      }),
  };
}
