/** electron-builder.yml is checked against electron-builder's own schema, and says what IT relies on. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, '../../..');
// The parts of the config these tests read.
interface Config {
  linux: { target: string[] };
  nsis: { perMachine: boolean; oneClick: boolean; include: string };
  mac: { extendInfo: { NSMicrophoneUsageDescription: string }; entitlements: string };
  protocols: { schemes: string[] }[];
  asarUnpack: string[];
  publish: unknown;
  extraResources: { from: string; filter: string[] }[];
}
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8')) as Config;

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds what IT installs: deb, AppImage, per-machine NSIS with /HUB=, dmg with a microphone reason', () => {
    expect(config.linux.target).toEqual(['deb', 'AppImage']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    const include = resolve(ROOT, config.nsis.include);
    expect(readFileSync(include, 'utf8')).toMatch(/GetOptions\} \$R0 "\/HUB="[\s\S]*ieum\.json/);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
    expect(readFileSync(resolve(ROOT, config.mac.entitlements), 'utf8')).toContain('audio-input');
    expect(config.protocols[0]!.schemes).toEqual(['tel', 'sip']);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
  });

  it('updates only from a hub, and ships no example preset', () => {
    expect(config.publish).toEqual([{ provider: 'generic', url: '${env.IEUM_UPDATE_URL}' }]);
    expect(config.extraResources[0]!.filter).toEqual(['ieum.json']);
    expect(existsSync(resolve(ROOT, config.extraResources[0]!.from, 'ieum.json'))).toBe(false);
  });
});
