/// <reference types="vite/client" />
import type { HostApi } from '@shared/host-api';

declare global {
  interface Window {
    /** Present only inside Ieum Desk (Electron), exposed by the preload. */
    ieum?: HostApi;
  }
}

export {};

declare global {
  /** package.json version, injected by the build. */
  const __APP_VERSION__: string;
}
