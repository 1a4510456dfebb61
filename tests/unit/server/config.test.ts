import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV, loadConfig, USAGE } from '../../../server/config';

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

  it('documents every IEUM_* variable in --help', () => {
    for (const name of Object.keys(ENV)) expect(USAGE).toContain(name);
  });

  it('takes the command rate limits from the environment', () => {
    const cfg = loadConfig([], { IEUM_COMMAND_RATE_PER_SECOND: '5', IEUM_COMMAND_BURST: '7' });
    expect(cfg).toMatchObject({ commandRatePerSecond: 5, commandBurst: 7 });
  });
});
