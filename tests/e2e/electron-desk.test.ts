/**
 * The real Electron desk, driven by Playwright's `_electron`: it starts with
 * IT's preset hub, signs in to a demo hub, goes Ready (the hub agrees), and
 * keeps a reply written while the hub is down in its SQLite outbox until the
 * hub is back. Where no Electron binary is installed (`npm ci` skips the
 * download) or there is no display, the test reports itself skipped with
 * the reason; everything else in CI still runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentStatusView } from '@shared/api';
import { login, startHub, type TestHub } from '../support/hub';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'out/main/index.js');

/** The Electron binary, or why there is none. */
function electronBinary(): { path: string } | { reason: string } {
  let path: string;
  try {
    path = createRequire(import.meta.url)('electron') as unknown as string;
  } catch {
    return {
      reason:
        'Electron binary not installed (npm ci skips it; run `node node_modules/electron/install.js` where the network allows)',
    };
  }
  if (!existsSync(path)) return { reason: `Electron binary missing at ${path}` };
  if (!existsSync(MAIN)) return { reason: `${MAIN} missing: build the desk first (npx electron-vite build)` };
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' });
    if (xvfb.status !== 0) return { reason: 'no display (set DISPLAY or run the suite under xvfb-run)' };
    return { reason: 'no display: run this test under xvfb-run (e.g. xvfb-run -a npm run test:e2e)' };
  }
  return { path };
}

const binary = electronBinary();
let hub: TestHub | undefined;
let app: ElectronApplication | undefined;
const dirs: string[] = [];

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await hub?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function agentState(username: string): Promise<string | undefined> {
  const { token } = await login(hub!.url, 'supervisor1');
  const res = await fetch(`${hub!.url}/api/v1/admin/agent-states`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const states = (await res.json()) as AgentStatusView[];
  return states.find((s) => s.username === username)?.state;
}

async function launch(userData: string, preset: string): Promise<ElectronApplication> {
  if (!('path' in binary)) throw new Error('unreachable');
  return _electron.launch({
    executablePath: binary.path,
    args: [MAIN, `--user-data-dir=${userData}`, '--no-sandbox'],
    env: { ...process.env, IEUM_PRESET: preset, ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>,
    timeout: 60_000,
  });
}

describe('desk in Electron', () => {
  it('starts with the preset hub, signs in, goes Ready, and keeps an offline reply until the hub is back', async (ctx) => {
    if (!('path' in binary)) {
      ctx.skip(binary.reason);
      return;
    }
    hub = await startHub({ demo: true });
    const userData = mkdtempSync(join(tmpdir(), 'ieum-electron-'));
    dirs.push(userData);
    const preset = join(userData, 'ieum-preset.json');
    writeFileSync(preset, JSON.stringify({ hubUrl: hub.url }));

    app = await launch(userData, preset);
    const page = await app.firstWindow();
    expect(page.url()).toBe('app://desk/index.html');
    expect(await page.getByLabel('허브 주소', { exact: true }).inputValue()).toBe(hub.url);
    await page.getByLabel('아이디', { exact: true }).fill('agent1');
    await page.getByLabel('비밀번호', { exact: true }).fill('demo');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    await page.getByRole('button', { name: '대기', exact: true }).click();
    await page.getByRole('button', { name: '대기', exact: true, pressed: true }).waitFor();
    expect(await agentState('agent1')).toBe('ready');

    // The hub goes down; a reply written now waits in the outbox, shown as pending.
    await page.getByRole('listbox', { name: '상담 목록' }).getByRole('option').first().click();
    // kill (not stop): stop() also deletes the hub's data directory.
    await hub.kill();
    await page.getByRole('status').filter({ hasText: '재연결 중' }).waitFor();
    const body = `오프라인 ${Date.now()}`;
    await page.getByLabel('답장', { exact: true }).fill(body);
    await page.getByRole('button', { name: '보내기', exact: true }).click();
    const messages = page.getByRole('list', { name: '메시지' });
    await messages.getByRole('listitem').filter({ hasText: body }).filter({ hasText: '전송 대기' }).waitFor();

    // The desk restarts before the hub is back: it opens from its snapshots, the reply still pending.
    await app.close();
    app = await launch(userData, preset);
    const again = await app.firstWindow();
    await again.getByRole('button', { name: '로그아웃' }).waitFor();
    await again.getByRole('listbox', { name: '상담 목록' }).getByRole('option').first().click();
    const list = again.getByRole('list', { name: '메시지' });
    await list.getByRole('listitem').filter({ hasText: body }).filter({ hasText: '전송 대기' }).waitFor();

    // The hub is back: the reply goes out once, and stops being pending.
    await hub.restart();
    await again.getByRole('status').filter({ hasText: '허브 연결됨' }).waitFor();
    await expect
      .poll(async () => await list.getByRole('listitem').filter({ hasText: '전송 대기' }).count(), {
        timeout: 30_000,
      })
      .toBe(0);
    expect(await list.getByText(body).count()).toBe(1);
  }, 180_000);
});
