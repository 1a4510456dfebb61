/** The hub serves what IT places in `<dataDir>/updates` at `/updates/`, for the desk's auto-update. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHubInProcess } from '../support/in-process-hub';

let hub: TestHubInProcess;
let dataDir: string;
const installer = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ieum-updates-'));
  hub = await startTestHub({ dataDir, demo: false });
  // IT drops the build output in while the hub runs.
  const updates = join(dataDir, 'updates');
  writeFileSync(join(updates, 'latest.yml'), 'version: 0.2.0\npath: Ieum-Desk-Setup-0.2.0.exe\n');
  writeFileSync(join(updates, 'Ieum-Desk-Setup-0.2.0.exe'), installer);
  writeFileSync(join(updates, '.secret'), 'no');
  mkdirSync(join(dataDir, 'other'), { recursive: true });
  writeFileSync(join(dataDir, 'other', 'x.txt'), 'outside');
});
afterAll(async () => {
  await hub.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('/updates/', () => {
  it('serves the feed, never cached, and the installer, with ranges', async () => {
    const feed = await fetch(`${hub.url}/updates/latest.yml`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('version: 0.2.0');
    expect(feed.headers.get('cache-control')).toBe('no-cache');

    const full = await fetch(`${hub.url}/updates/Ieum-Desk-Setup-0.2.0.exe`);
    expect(full.status).toBe(200);
    expect(Buffer.from(await full.arrayBuffer()).equals(installer)).toBe(true);

    const part = await fetch(`${hub.url}/updates/Ieum-Desk-Setup-0.2.0.exe`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(installer.subarray(100, 200))).toBe(true);
  });

  it('serves nothing else: no listing, no dotfiles, nothing outside the folder', async () => {
    for (const path of [
      '/updates/',
      '/updates/.secret',
      '/updates/../token.key',
      '/updates/%2e%2e/other/x.txt',
      '/updates/missing.yml',
    ]) {
      const res = await fetch(`${hub.url}${path}`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(await res.text()).not.toMatch(/outside|^no$/);
    }
  });
});
