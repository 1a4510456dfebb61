/**
 * Every desk window goes through here (Electron security checklist): a
 * sandboxed, context-isolated renderer without Node, no navigation away from
 * the desk, no new windows (https links go to the OS browser after
 * validation), and only microphone/speaker permission for the desk itself.
 */
import {
  BrowserWindow,
  shell,
  type BrowserWindowConstructorOptions,
  type Session,
  type WebPreferences,
} from 'electron';
import { isDeskUrl, isPermissionAllowed, safeExternalUrl } from './host/trust';
import { createLogger } from './log';

const log = createLogger('harden');

export interface HardenOptions {
  /** The Vite dev server URL in development (ELECTRON_RENDERER_URL). */
  devUrl?: string;
  /** The current Content-Security-Policy (it follows the configured hubs). */
  csp: () => string;
}

/** webPreferences every window must be created with. */
export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

const hardenedSessions = new WeakSet<Session>();

function hardenSession(session: Session, options: HardenOptions): void {
  if (hardenedSessions.has(session)) return;
  hardenedSessions.add(session);
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const allowed = isPermissionAllowed(
      permission,
      details.requestingUrl ?? webContents.getURL(),
      { mediaTypes },
      options.devUrl,
    );
    if (!allowed) log.warn(`denied permission ${permission}`);
    callback(allowed);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    isPermissionAllowed(
      permission,
      details.requestingUrl ?? requestingOrigin,
      { mediaTypes: details.mediaType ? [details.mediaType] : [] },
      options.devUrl,
    ),
  );
  // The packaged renderer gets its CSP from the app:// handler; the dev
  // server's responses get it here.
  if (options.devUrl) {
    const devOrigin = new URL(options.devUrl).origin;
    session.webRequest.onHeadersReceived((details, callback) => {
      if (!details.url.startsWith(devOrigin)) return callback({ responseHeaders: details.responseHeaders });
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [options.csp()] },
      });
    });
  }
}

/**
 * Creates a window with hardened webPreferences and applies the desk's
 * security rules to it. Callers cannot pass their own webPreferences.
 */
export function createHardenedWindow(
  init: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
  preload: string,
  options: HardenOptions,
): BrowserWindow {
  return hardenWindow(
    new BrowserWindow({ ...init, webPreferences: hardenedWebPreferences(preload) }),
    options,
  );
}

/** Applies the desk's navigation, window-open and permission rules to `win`. */
export function hardenWindow(win: BrowserWindow, options: HardenOptions): BrowserWindow {
  const contents = win.webContents;
  hardenSession(contents.session, options);

  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn('blocked navigation', url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isDeskUrl(url, options.devUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = safeExternalUrl(url);
    if (external) void shell.openExternal(external);
    else log.warn('blocked window.open', url);
    return { action: 'deny' };
  });
  return win;
}
