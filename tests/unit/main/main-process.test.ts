/**
 * The desk's main process, started against a fake `electron` module: which
 * IPC handlers exist and that they check the sender and validate; the single
 * instance lock; tel: links reaching the renderer as `dial`; hotkeys; the
 * keep-awake blocker; the tray; IT's ieum.json preset on first start.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, IPC_EVENTS } from '@shared/host-api';
import { createFakeElectron, type FakeElectron } from '../../support/fake-electron';

let fake: FakeElectron;
const dir = mkdtempSync(join(tmpdir(), 'ieum-main-'));
const DESK = 'app://desk/index.html';
const stderr: string[] = [];
const writeSpy = vi.spyOn(process.stderr, 'write');

// The mock is created once; it forwards to whichever fake the current test started.
vi.mock('electron', () => {
  const keys = [
    'app',
    'BrowserWindow',
    'ipcMain',
    'protocol',
    'net',
    'safeStorage',
    'screen',
    'shell',
  ] as const;
  const more = ['globalShortcut', 'powerSaveBlocker', 'Notification', 'Tray', 'Menu', 'nativeImage'] as const;
  const mod = {};
  for (const key of [...keys, ...more]) {
    Object.defineProperty(mod, key, { enumerable: true, get: () => fake.electron[key] });
  }
  return mod;
});
vi.mock('electron-updater', () => ({
  default: {
    autoUpdater: { on: () => undefined, setFeedURL: () => undefined, checkForUpdates: async () => null },
  },
}));

async function startMain(options: Parameters<typeof createFakeElectron>[0], argv: string[] = []) {
  fake = createFakeElectron(options);
  vi.resetModules();
  const saved = process.argv;
  process.argv = [...saved.slice(0, 2), ...argv];
  try {
    await import('../../../src/main/index');
  } finally {
    process.argv = saved;
  }
  fake.ready();
  // Start-up runs on whenReady: wait for the window to exist and load.
  await vi.waitFor(() => expect(fake.windows[0]?.webContents.url).toBe(DESK));
  await new Promise((r) => setTimeout(r, 0));
  return fake;
}

beforeAll(() => {
  writeSpy.mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  // The hubs the desk is configured for, as far as the main process asks them: where their SIP server is.
  vi.stubGlobal('fetch', async (url: string) =>
    String(url).endsWith('/api/v1/sip/server')
      ? new Response(JSON.stringify({ wsUrl: 'wss://pbx-seoul.example.internal:8089/ws' }), {
          headers: { 'content-type': 'application/json' },
        })
      : new Response('not found', { status: 404 }),
  );
});
afterEach(() => {
  stderr.length = 0;
});
afterAll(() => {
  writeSpy.mockRestore();
  vi.unstubAllGlobals();
  rmSync(dir, { recursive: true, force: true });
});

describe('main process wiring', () => {
  it("takes IT's ieum.json on first start and registers a validating handler per channel", async () => {
    const userData = join(dir, 'first');
    const preset = join(dir, 'ieum-preset.json');
    writeFileSync(
      preset,
      JSON.stringify({ hubUrl: 'http://hub-seoul.example.internal:7300', label: '서울센터' }),
    );
    process.env['IEUM_PRESET'] = preset;
    try {
      await startMain({ userData });
    } finally {
      delete process.env['IEUM_PRESET'];
    }
    const settings = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'));
    expect(settings.profiles).toEqual([
      {
        id: 'hub-hub-seoul.example.internal',
        label: '서울센터',
        hubUrl: 'http://hub-seoul.example.internal:7300',
      },
    ]);
    expect(settings.lastProfileId).toBe('hub-hub-seoul.example.internal');
    // The desk's CSP lets it reach that hub and the SIP server the hub named on another host.
    const page = await fake.schemes.get('app')!(new Request(DESK));
    const connect = page.headers
      .get('content-security-policy')
      ?.split('; ')
      .find((d) => d.startsWith('connect-src'));
    expect(connect).toContain('http://hub-seoul.example.internal:7300');
    expect(connect).toContain('wss://pbx-seoul.example.internal:8089');

    expect([...fake.handlers.keys()].sort()).toEqual(
      Object.values(IPC)
        .map((c) => c.channel)
        .sort(),
    );
    expect(fake.calls.filter((c) => c.name === 'setAsDefaultProtocolClient').map((c) => c.args[0])).toEqual([
      'tel',
      'sip',
    ]);
    // Default hotkeys are held, and pressing one tells the renderer.
    expect([...fake.shortcuts.keys()]).toContain('CommandOrControl+Shift+R');
    fake.shortcuts.get('CommandOrControl+Shift+R')!();
    expect(fake.windows[0]!.webContents.sent).toContainEqual({
      channel: IPC_EVENTS.hotkey,
      value: 'toggleReady',
    });
  });

  it("answers only the desk's top frame, validates, and logs every refusal", async () => {
    const getSettings = IPC.getSettings.channel;
    expect(await fake.invoke(getSettings, DESK, [])).toMatchObject({ ok: true });
    expect(await fake.invoke(getSettings, 'https://evil.example/', [])).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await fake.invoke(getSettings, DESK, [], true)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await fake.invoke(IPC.setBadge.channel, DESK, ['many'])).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const log = stderr.join('');
    expect(log).toMatch(/refused getSettings: untrusted-sender/);
    expect(log).toMatch(/refused setBadge: invalid-arguments/);
  });

  it('keeps the machine awake exactly while a call is up', async () => {
    await fake.invoke(IPC.setCallActive.channel, DESK, [true]);
    expect(fake.blockers.size).toBe(1);
    await fake.invoke(IPC.setCallActive.channel, DESK, [false]);
    expect(fake.blockers.size).toBe(0);
  });

  it('takes the headset media keys while the agent has them on, and tells the renderer as call keys', async () => {
    expect(fake.shortcuts.has('MediaPlayPause')).toBe(false);
    expect(await fake.invoke(IPC.updateSettings.channel, DESK, [{ headsetKeys: true }])).toMatchObject({
      ok: true,
    });
    fake.shortcuts.get('MediaPlayPause')!();
    fake.shortcuts.get('MediaStop')!();
    const sent = fake.windows[0]!.webContents.sent.filter((m) => m.channel === IPC_EVENTS.hotkey);
    expect(sent.slice(-2).map((m) => m.value)).toEqual(['headsetButton', 'hangUp']);
    // The other hotkeys are still held.
    expect(fake.shortcuts.has('CommandOrControl+Shift+A')).toBe(true);
    await fake.invoke(IPC.updateSettings.channel, DESK, [{ headsetKeys: false }]);
    expect(fake.shortcuts.has('MediaPlayPause')).toBe(false);
    expect(fake.shortcuts.has('MediaStop')).toBe(false);
  });

  it('shows state and unread in the tray', async () => {
    await fake.invoke(IPC.setTrayStatus.channel, DESK, [{ state: 'ready', label: '대기', unread: 2 }]);
    expect(fake.calls.filter((c) => c.name === 'tray.tooltip').at(-1)?.args[0]).toBe('Ieum Desk · 대기 · 2');
  });

  it('keeps the outbox on disk through IPC', async () => {
    const scope = { hubUrl: 'http://hub-seoul.example.internal:7300', userId: 'u-1' };
    const item = {
      ...scope,
      id: 'cmd-main-0001',
      conversationId: 'c-1',
      body: '안녕하세요',
      kind: 'out',
      createdAt: new Date().toISOString(),
      state: 'pending',
      error: null,
    };
    expect(await fake.invoke(IPC.outboxAdd.channel, DESK, [item])).toMatchObject({ ok: true });
    expect(await fake.invoke(IPC.outboxList.channel, DESK, [scope])).toEqual({ ok: true, value: [item] });
  });

  it('turns a tel: link from a second launch into a dial event and brings the window forward', async () => {
    const win = fake.windows[0]!;
    win.hide();
    fake.electron.app.emit('second-instance', {}, ['/opt/ieum-desk', 'tel:010-1234-5678']);
    expect(win.webContents.sent).toContainEqual({
      channel: IPC_EVENTS.dial,
      value: { number: '01012345678' },
    });
    expect(win.webContents.sent).toContainEqual({ channel: IPC_EVENTS.deepLink, value: 'tel:010-1234-5678' });
    expect(win.visible).toBe(true);
  });

  it('hides to the tray on close instead of quitting, and closes for real on quit', () => {
    const win = fake.windows[0]!;
    const close = { prevented: false, preventDefault: () => void (close.prevented = true) };
    win.emit('close', close);
    expect(close.prevented).toBe(true);
    expect(win.visible).toBe(false);
    fake.electron.app.emit('before-quit');
    const quitClose = { prevented: false, preventDefault: () => void (quitClose.prevented = true) };
    win.emit('close', quitClose);
    expect(quitClose.prevented).toBe(false);
    fake.electron.app.emit('will-quit');
    expect(fake.shortcuts.size).toBe(0);
  });

  it('a tel: link given at start-up reaches the renderer once it loaded', async () => {
    await startMain({ userData: join(dir, 'link') }, ['sip:1001@pbx.example.internal']);
    await vi.waitFor(() =>
      expect(fake.windows[0]!.webContents.sent).toContainEqual({
        channel: IPC_EVENTS.dial,
        value: { number: '1001@pbx.example.internal' },
      }),
    );
    fake.electron.app.emit('before-quit');
    fake.electron.app.emit('will-quit');
  });

  it('the second instance quits without opening anything', async () => {
    fake = createFakeElectron({ userData: join(dir, 'second'), gotLock: false });
    vi.resetModules();
    await import('../../../src/main/index');
    fake.ready();
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.calls.map((c) => c.name)).toContain('quit');
    expect(fake.windows).toHaveLength(0);
    expect(fake.handlers.size).toBe(0);
  });
});
