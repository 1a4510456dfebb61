/**
 * The host API: what the desk's renderer may ask of the machine it runs on.
 * In Electron the preload exposes it as `window.ieum` over IPC; in a browser
 * (`/desk/`) the renderer uses a web implementation of the same interface.
 * Every call resolves to `Result<T>`; nothing throws across the bridge.
 */
import { z } from 'zod';
import type { Result } from './errors';

export const Language = z.enum(['ko', 'en']);
export type Language = z.infer<typeof Language>;

export const SiteProfile = z.object({
  id: z.string().min(1).max(64),
  /** e.g. "서울센터" — what the switcher shows. */
  label: z.string().min(1).max(100),
  hubUrl: z.url({ protocol: /^https?$/ }),
});
export type SiteProfile = z.infer<typeof SiteProfile>;

export const DeskSettings = z.object({
  language: Language,
  profiles: z.array(SiteProfile),
  lastProfileId: z.string().nullable(),
  notificationVolume: z.number().min(0).max(1),
});
export type DeskSettings = z.infer<typeof DeskSettings>;

export const DEFAULT_SETTINGS: DeskSettings = {
  language: 'ko',
  profiles: [],
  lastProfileId: null,
  notificationVolume: 0.8,
};

export const Notification = z.object({
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  /** Replaces an earlier notification with the same tag (e.g. one per conversation). */
  tag: z.string().max(100).optional(),
});
export type Notification = z.infer<typeof Notification>;

export const SaveCredential = z.object({ hubUrl: z.string().url(), token: z.string().min(1).max(8192) });

/**
 * IPC channels, namespaced, with the zod schema of the argument each takes.
 * The preload builds the functions below from these; main validates with them.
 */
export const IPC = {
  getInfo: { channel: 'ieum:host:get-info', args: z.tuple([]) },
  getSettings: { channel: 'ieum:settings:get', args: z.tuple([]) },
  updateSettings: { channel: 'ieum:settings:update', args: z.tuple([DeskSettings.partial()]) },
  saveCredential: { channel: 'ieum:credentials:save', args: z.tuple([SaveCredential]) },
  loadCredential: { channel: 'ieum:credentials:load', args: z.tuple([z.string().url()]) },
  clearCredential: { channel: 'ieum:credentials:clear', args: z.tuple([z.string().url()]) },
  notify: { channel: 'ieum:notify', args: z.tuple([Notification]) },
  setBadge: { channel: 'ieum:badge:set', args: z.tuple([z.number().int().min(0).max(9999)]) },
} as const;
export type IpcName = keyof typeof IPC;

/** main → renderer pushes. */
export const IPC_EVENTS = {
  deepLink: 'ieum:deep-link',
  notificationClicked: 'ieum:notification-clicked',
} as const;

export interface HostInfo {
  kind: 'electron' | 'browser';
  platform: string;
  appVersion: string;
}

export interface HostApi {
  getInfo(): Promise<Result<HostInfo>>;
  getSettings(): Promise<Result<DeskSettings>>;
  updateSettings(patch: Partial<DeskSettings>): Promise<Result<DeskSettings>>;
  /** Kept encrypted by the OS (Electron safeStorage); the browser desk keeps it for the tab only. */
  saveCredential(input: { hubUrl: string; token: string }): Promise<Result<null>>;
  loadCredential(hubUrl: string): Promise<Result<string | null>>;
  clearCredential(hubUrl: string): Promise<Result<null>>;
  notify(notification: Notification): Promise<Result<null>>;
  setBadge(count: number): Promise<Result<null>>;
  /** `tel:` / `sip:` links opened from other apps. Returns an unsubscribe function. */
  onDeepLink(listener: (url: string) => void): () => void;
  onNotificationClicked(listener: (tag: string) => void): () => void;
}
