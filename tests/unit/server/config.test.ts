import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';

describe('hub configuration', () => {
  it('takes flags over environment over config file over defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ieum-cfg-'));
    const file = join(dir, 'hub.json');
    writeFileSync(file, JSON.stringify({ port: 9000, host: '127.0.0.1', role: 'hq', dataDir: '/from/file' }));
    const cfg = loadConfig(['--config', file, '--port', '9100', '--demo'], {
      IEUM_DATA: '/from/env',
      IEUM_PORT: '9050',
    });
    expect(cfg).toMatchObject({ port: 9100, dataDir: '/from/env', role: 'hq', demo: true });
    expect(loadConfig([], {})).toMatchObject({ port: 7300, role: 'site', demo: false });
  });

  it('refuses bad values with a clear error', () => {
    expect(() => loadConfig(['--role', 'boss'], {})).toThrow(/role/);
    expect(() => loadConfig(['--port', 'eighty'], {})).toThrow();
    expect(() => loadConfig(['--bogus'], {})).toThrow(/bogus/);
  });
});
