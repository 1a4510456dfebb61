/**
 * Ieum Desk main process: one hardened window, the renderer served from
 * `app://desk/`, host services over validated IPC, and the desktop around it:
 * single instance, tray, global hotkeys, `tel:`/`sip:` links, keep-awake
 * during calls, start at login, updates from the hub.
 */
import { app, BrowserWindow, globalShortcut, powerSaveBlocker, safeStorage, screen } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENTS, type DeskSettings, type TrayStatus } from '@shared/host-api';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { createHardenedWindow } from './harden-window';
import { buildCsp, hubConnectOrigins } from './host/csp';
import { createSipServers } from './host/sip-servers';
import { createCredentialStore } from './host/credential-store';
import { parseDialTarget } from './host/dial';
import { createHostServices } from './host/host-services';
import { createHeadsetKeys } from './host/headset-keys';
import { createHotkeyRegistry } from './host/hotkey-registry';
import { createLocalCache } from './host/local-cache';
import { openLocalDb } from './host/local-db';
import { createOutboxStore } from './host/outbox-store';
import { createPowerGuard } from './host/power-guard';
import { readPreset } from './host/preset';
import { createSettingsStore } from './host/settings-store';
import { APP_ORIGIN, findDeepLink, isDeepLink, isDeskUrl } from './host/trust';
import { createWindowStateStore, DEFAULT_SIZE, type WindowState } from './host/window-bounds';
import { registerIpcHandlers } from './ipc';
import { createLogger } from './log';
import { createNotifier } from './notifications';
import { createDeskTray, type DeskTray } from './tray';
import { createDeskUpdater } from './updater';

const log = createLogger('main');
const here = fileURLToPath(new URL('.', import.meta.url));
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

/**
 * IT's ieum.json: beside the executable (NSIS /HUB=, hand-placed), then a
 * machine-wide folder (what MDM/GPO can write without breaking the app's
 * signature), then the packaged resources.
 */
function presetCandidates(): string[] {
  const list = [join(dirname(process.execPath), 'ieum.json')];
  if (process.platform === 'win32') {
    list.push(join(process.env['ProgramData'] ?? 'C:\\ProgramData', 'Ieum Desk', 'ieum.json'));
  } else if (process.platform === 'darwin') {
    list.push('/Library/Application Support/Ieum Desk/ieum.json');
  } else {
    list.push('/etc/ieum-desk/ieum.json');
  }
  if (app.isPackaged) list.push(join(process.resourcesPath, 'ieum.json'));
  if (process.env['IEUM_PRESET']) list.unshift(process.env['IEUM_PRESET']);
  return list;
}

function start(): void {
  const userData = app.getPath('userData');
  const settingsFile = join(userData, 'settings.json');
  const settings = createSettingsStore(settingsFile);
  const credentials = createCredentialStore(join(userData, 'credentials.json'), {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
  });
  const windowState = createWindowStateStore(join(userData, 'window-state.json'));
  const local = openLocalDb(join(userData, 'desk.db'), { onWarn: (m, d) => log.warn(m, d) });
  if (local.recovered) log.warn('local database rebuilt', local.recovered);

  let mainWindow: BrowserWindow | null = null;
  let tray: DeskTray | null = null;
  let quitting = false;
  let pendingDeepLink = findDeepLink(process.argv);
  // Hubs the CSP allows: every configured profile plus IEUM_HUB_URL (for
  // kiosk-style installs that preconfigure one hub).
  let hubUrls: string[] = process.env['IEUM_HUB_URL'] ? [process.env['IEUM_HUB_URL']] : [];
  const sipServers = createSipServers(join(userData, 'sip-servers.json'), {
    onWarn: (m, d) => log.warn(m, d),
  });
  const csp = (): string => buildCsp({ hubUrls, sipOrigins: sipServers.origins(), devUrl });
  const isTrusted = (url: string | undefined): boolean => isDeskUrl(url, devUrl);
  const updater = createDeskUpdater(app.isPackaged);

  const refreshHubs = (profiles: { hubUrl: string }[]): boolean => {
    const next = [
      ...new Set([
        ...(process.env['IEUM_HUB_URL'] ? [process.env['IEUM_HUB_URL']] : []),
        ...profiles.map((p) => p.hubUrl),
      ]),
    ];
    const key = (list: string[]): string => list.flatMap(hubConnectOrigins).sort().join(' ');
    const changed = key(next) !== key(hubUrls);
    hubUrls = next;
    return changed;
  };

  const showWindow = (): void => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };
  const send = (channel: string, value: unknown): void => {
    if (mainWindow && !mainWindow.webContents.isLoading()) mainWindow.webContents.send(channel, value);
  };

  const deliverDeepLink = (url: string): void => {
    if (!isDeepLink(url)) return;
    if (mainWindow && !mainWindow.webContents.isLoading()) {
      send(IPC_EVENTS.deepLink, url);
      const dial = parseDialTarget(url);
      if (dial) send(IPC_EVENTS.dial, dial);
      showWindow();
    } else {
      pendingDeepLink = url;
    }
  };

  const hotkeys = createHotkeyRegistry(
    {
      register: (accelerator, callback) => globalShortcut.register(accelerator, callback),
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
    (action) => send(IPC_EVENTS.hotkey, action),
  );
  const headset = createHeadsetKeys(
    {
      register: (accelerator, callback) => globalShortcut.register(accelerator, callback),
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
    (action) => send(IPC_EVENTS.hotkey, action),
  );
  const power = createPowerGuard({
    // The app keeps running (audio, socket) with the screen allowed to dim, as Element does.
    start: () => powerSaveBlocker.start('prevent-app-suspension'),
    stop: (id) => powerSaveBlocker.stop(id),
  });

  const applySettings = (current: DeskSettings, reloadOnNewHub: boolean): void => {
    // The media keys are let go first so one moving to a hotkey is free for it.
    headset.clear();
    const failed = hotkeys.apply(current.hotkeys);
    if (failed.length) log.warn('hotkeys not available (held by another app?)', failed);
    const headsetFailed = headset.apply(current.headsetKeys, current.hotkeys);
    if (headsetFailed.length) log.warn('headset keys not available (held by another app?)', headsetFailed);
    if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: current.startAtLogin });
    updater.useHub(current.profiles.find((p) => p.id === current.lastProfileId)?.hubUrl ?? null);
    // A CSP cannot change under a loaded document: reload so a newly added
    // hub and its SIP server become reachable (the login form restores the last profile).
    if (refreshHubs(current.profiles) && reloadOnNewHub) {
      void sipServers.learn(hubUrls).finally(() => mainWindow?.webContents.reload());
    }
  };

  let lastTray: TrayStatus | null = null;
  const services = createHostServices({
    info: { platform: process.platform, appVersion: app.getVersion() },
    settings,
    credentials,
    outbox: createOutboxStore(local.db),
    cache: createLocalCache(local.db),
    power,
    notify: createNotifier(() => mainWindow),
    setBadge: (count) => app.setBadgeCount(count),
    setTrayStatus: (status) => {
      lastTray = status;
      tray?.update(status);
    },
    settingsChanged: (current) => applySettings(current, true),
  });

  app.on('second-instance', (_event, argv) => {
    const link = findDeepLink(argv);
    if (link) deliverDeepLink(link);
    else showWindow();
  });
  // macOS delivers protocol links here, possibly before the window exists.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliverDeepLink(url);
  });
  // Belt and braces: whatever creates web contents, nothing may open windows or attach webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  const createWindow = async (): Promise<void> => {
    const workAreas = screen.getAllDisplays().map((d) => d.workArea);
    const saved = await windowState.load(workAreas);
    const win = createHardenedWindow(
      {
        ...(saved?.bounds ?? DEFAULT_SIZE),
        minWidth: 960,
        minHeight: 600,
        show: false,
        title: 'Ieum Desk',
        backgroundColor: '#f5f6f8',
      },
      join(here, '../preload/index.cjs'),
      { devUrl, csp },
    );
    mainWindow = win;
    if (saved?.maximized) win.maximize();

    const remember = (): void => {
      if (win.isDestroyed()) return;
      const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
      windowState.save(state).catch((error: unknown) => log.warn('could not save window state', error));
    };
    let timer: NodeJS.Timeout | undefined;
    const rememberSoon = (): void => {
      clearTimeout(timer);
      timer = setTimeout(remember, 500);
    };
    win.on('resize', rememberSoon);
    win.on('move', rememberSoon);
    win.on('close', (event) => {
      remember();
      // With a tray the desk keeps running when its window closes: offers must still ring.
      if (tray && !quitting) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      clearTimeout(timer);
      mainWindow = null;
    });
    win.once('ready-to-show', () => win.show());
    win.webContents.on('did-finish-load', () => {
      if (pendingDeepLink) {
        const link = pendingDeepLink;
        pendingDeepLink = null;
        deliverDeepLink(link);
      }
    });

    await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
  };

  app
    .whenReady()
    .then(async () => {
      // First start on this PC account: take IT's preset (hub profiles) if there is one.
      if (!existsSync(settingsFile)) {
        const preset = await readPreset(presetCandidates());
        if (preset) {
          const applied = await settings.update(preset.settings);
          if (applied.ok) log.info(`preset applied from ${preset.file}`);
          else log.warn(`preset in ${preset.file} rejected`, applied.error);
        }
      }
      const current = await settings.get();
      serveAppScheme(join(here, '../renderer'), csp);
      registerIpcHandlers(services, isTrusted);
      for (const scheme of ['tel', 'sip']) app.setAsDefaultProtocolClient(scheme);
      try {
        tray = createDeskTray(
          current.ok && current.value.language === 'en'
            ? { show: 'Open Ieum Desk', quit: 'Quit' }
            : { show: 'Ieum Desk 열기', quit: '종료' },
          { show: showWindow, quit: () => app.quit() },
        );
        if (lastTray) tray.update(lastTray);
      } catch (error) {
        // Some Linux desktops have no status area; the desk then quits when its window closes.
        log.warn('no tray available', error);
      }
      if (current.ok) applySettings(current.value, false);
      // Before the desk loads: its CSP must name the hubs' SIP servers (at most ~2 s when a hub is down).
      await sipServers.learn(hubUrls);
      await createWindow();
      app.on('activate', () => {
        if (mainWindow) showWindow();
        else if (BrowserWindow.getAllWindows().length === 0) void createWindow();
      });
    })
    .catch((error: unknown) => {
      log.error('start-up failed', error);
      app.exit(1);
    });

  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', () => {
    hotkeys.clear();
    headset.clear();
    power.setCallActive(false);
    updater.stop();
    tray?.destroy();
    local.close();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
