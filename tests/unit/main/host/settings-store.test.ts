import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@shared/host-api';
import { createSettingsStore } from '../../../../src/main/host/settings-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ieum-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings store', () => {
  it('starts from defaults and persists updates as JSON', async () => {
    const file = join(dir, 'settings.json');
    const store = createSettingsStore(file);
    expect(await store.get()).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    const profile = { id: 's1', label: '서울센터', hubUrl: 'https://hub.example.co.kr' };
    await store.update({ language: 'en', profiles: [profile], lastProfileId: 's1' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ language: 'en', profiles: [profile] });
    expect(await createSettingsStore(file).get()).toMatchObject({
      ok: true,
      value: { language: 'en', lastProfileId: 's1' },
    });
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('keeps valid fields of a damaged file and defaults the rest', async () => {
    const file = join(dir, 'settings.json');
    writeFileSync(
      file,
      JSON.stringify({ language: 'en', notificationVolume: 'loud', profiles: [{ id: '' }] }),
    );
    expect(await createSettingsStore(file).get()).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, language: 'en' },
    });
    writeFileSync(file, '{{{');
    expect(await createSettingsStore(file).get()).toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });

  it('refuses an invalid patch and leaves the file alone', async () => {
    const file = join(dir, 'settings.json');
    const store = createSettingsStore(file);
    await store.update({ language: 'en' });
    const result = await store.update({ profiles: [{ id: 'x', label: 'x', hubUrl: 'file:///etc/passwd' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.parse(readFileSync(file, 'utf8')).profiles).toEqual([]);
  });

  it('serialises concurrent updates so none is lost', async () => {
    const store = createSettingsStore(join(dir, 'settings.json'));
    await Promise.all([store.update({ language: 'en' }), store.update({ notificationVolume: 0.2 })]);
    expect(await store.get()).toMatchObject({ ok: true, value: { language: 'en', notificationVolume: 0.2 } });
  });
});
