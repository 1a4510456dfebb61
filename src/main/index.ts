/**
 * Ieum Desk main process: one hardened window, the renderer served from
 * `app://desk/`, host services over validated IPC, and `tel:`/`sip:` links.
 * Later desktop features (tray, hotkeys, offline outbox, updater) plug in as
 * further host services and modules next to these.
 */
import { app, BrowserWindow, safeStorage, screen } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENTS } from '@shared/host-api';
import { ok } from '@shared/errors';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { createHardenedWindow } from './harden-window';
import { buildCsp, hubConnectOrigins } from './host/csp';
import { createCredentialStore } from './host/credential-store';
import type { HostServices } from './host/ipc-dispatch';
import { createSettingsStore } from './host/settings-store';
import { APP_ORIGIN, findDeepLink, isDeepLink, isDeskUrl } from './host/trust';
import { createWindowStateStore, DEFAULT_SIZE, type WindowState } from './host/window-bounds';
import { registerIpcHandlers } from './ipc';
import { createLogger } from './log';
import { createNotifier } from './notifications';

const log = createLogger('main');
const here = fileURLToPath(new URL('.', import.meta.url));
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  const userData = app.getPath('userData');
  const settings = createSettingsStore(join(userData, 'settings.json'));
  const credentials = createCredentialStore(join(userData, 'credentials.json'), {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
  });
  const windowState = createWindowStateStore(join(userData, 'window-state.json'));

  let mainWindow: BrowserWindow | null = null;
  let pendingDeepLink = findDeepLink(process.argv);
  // Hubs the CSP allows: every configured profile plus IEUM_HUB_URL (for
  // kiosk-style installs that preconfigure one hub).
  let hubUrls: string[] = process.env['IEUM_HUB_URL'] ? [process.env['IEUM_HUB_URL']] : [];
  const csp = (): string => buildCsp({ hubUrls, devUrl });
  const isTrusted = (url: string | undefined): boolean => isDeskUrl(url, devUrl);

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

  const deliverDeepLink = (url: string): void => {
    if (!isDeepLink(url)) return;
    if (mainWindow && !mainWindow.webContents.isLoading()) {
      mainWindow.webContents.send(IPC_EVENTS.deepLink, url);
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    } else {
      pendingDeepLink = url;
    }
  };

  const services: HostServices = {
    getInfo: async () => ok({ kind: 'electron', platform: process.platform, appVersion: app.getVersion() }),
    getSettings: () => settings.get(),
    updateSettings: async (patch) => {
      const result = await settings.update(patch);
      // A CSP cannot change under a loaded document: reload so a newly added
      // hub becomes reachable (the login form restores the last profile).
      if (result.ok && refreshHubs(result.value.profiles)) mainWindow?.webContents.reload();
      return result;
    },
    saveCredential: ({ hubUrl, token }) => credentials.save(hubUrl, token),
    loadCredential: (hubUrl) => credentials.load(hubUrl),
    clearCredential: (hubUrl) => credentials.clear(hubUrl),
    notify: createNotifier(() => mainWindow),
    setBadge: async (count) => {
      app.setBadgeCount(count);
      return ok(null);
    },
  };

  app.on('second-instance', (_event, argv) => {
    const link = findDeepLink(argv);
    if (link) deliverDeepLink(link);
    else if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
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
    win.on('close', remember);
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
      const current = await settings.get();
      if (current.ok) refreshHubs(current.value.profiles);
      serveAppScheme(join(here, '../renderer'), csp);
      registerIpcHandlers(services, isTrusted);
      for (const scheme of ['tel', 'sip']) app.setAsDefaultProtocolClient(scheme);
      await createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) void createWindow();
      });
    })
    .catch((error: unknown) => {
      log.error('start-up failed', error);
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
