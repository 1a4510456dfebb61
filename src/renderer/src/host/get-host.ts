/**
 * The host the renderer runs on: Electron's preload bridge when present,
 * otherwise the browser implementation. Resolved once per page.
 */
import type { HostApi } from '@shared/host-api';
import { createBrowserHost } from './browser-host';

let host: HostApi | undefined;

export function getHost(): HostApi {
  host ??=
    window.ieum ??
    createBrowserHost(
      {
        localStorage: window.localStorage,
        sessionStorage: window.sessionStorage,
        document,
        location: window.location,
        navigator: window.navigator,
        Notification: 'Notification' in window ? window.Notification : undefined,
        focus: () => window.focus(),
        keys: window,
      },
      __APP_VERSION__,
    );
  return host;
}
