/**
 * The host API: what the desk's renderer may ask of the machine it runs on.
 * In Electron the preload exposes it as `window.ieum` over IPC; in a browser
 * (`/desk/`) the renderer uses a web implementation of the same interface.
 * Every call resolves to `Result<T>`; nothing throws across the bridge.
 */
import { z } from 'zod';
import { AgentStateName, Conversation, Customer, Id, MAX_MESSAGE_LENGTH, Message } from './domain';
import { MeResponse } from './api';
import type { Result } from './errors';
import { OutboxItem, OutboxScope, OutboxStateChange, type OutboxStore } from './outbox';
import { CallRecord } from './telephony';

export const Language = z.enum(['ko', 'en']);
export type Language = z.infer<typeof Language>;

export const SiteProfile = z.object({
  id: z.string().min(1).max(64),
  /** e.g. "서울센터" — what the switcher shows. */
  label: z.string().min(1).max(100),
  hubUrl: z.url({ protocol: /^https?$/ }),
});
export type SiteProfile = z.infer<typeof SiteProfile>;

/** What a global hotkey does; the renderer receives it as an `onHotkey` event. */
export const HOTKEY_ACTIONS = ['answer', 'hangUp', 'mute', 'toggleReady'] as const;
export const HotkeyAction = z.enum(HOTKEY_ACTIONS);
export type HotkeyAction = z.infer<typeof HotkeyAction>;

/**
 * What the renderer's `onHotkey` may receive: the agent's hotkeys plus a
 * headset's single call button (Electron's MediaPlayPause when headset keys
 * are on). The button answers a ringing call and hangs up a call that is up.
 */
export const HOST_KEY_ACTIONS = [...HOTKEY_ACTIONS, 'headsetButton'] as const;
export const HostKeyAction = z.enum(HOST_KEY_ACTIONS);
export type HostKeyAction = z.infer<typeof HostKeyAction>;

/** The OS media keys the desk takes globally while headset keys are on, and what each does. */
export const HEADSET_SHORTCUTS = {
  MediaPlayPause: 'headsetButton',
  MediaStop: 'hangUp',
} as const satisfies Record<string, HostKeyAction>;

/**
 * An Electron accelerator such as `CommandOrControl+Shift+A` or `MediaPlayPause`:
 * modifiers joined by `+`, then one key. Null turns the hotkey off.
 */
export const Accelerator = z
  .string()
  .max(60)
  .regex(
    /^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+){0,3}([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Escape|Enter|Plus|num[0-9]|MediaPlayPause|MediaStop|MediaNextTrack|MediaPreviousTrack|VolumeMute)$/,
  );
export const Hotkeys = z.object({
  answer: Accelerator.nullable(),
  hangUp: Accelerator.nullable(),
  mute: Accelerator.nullable(),
  toggleReady: Accelerator.nullable(),
});
export type Hotkeys = z.infer<typeof Hotkeys>;

export const DEFAULT_HOTKEYS: Hotkeys = {
  answer: 'CommandOrControl+Shift+A',
  hangUp: 'CommandOrControl+Shift+H',
  mute: 'CommandOrControl+Shift+M',
  toggleReady: 'CommandOrControl+Shift+R',
};

export const DeskSettings = z.object({
  language: Language,
  profiles: z.array(SiteProfile).max(50),
  lastProfileId: z.string().nullable(),
  notificationVolume: z.number().min(0).max(1),
  hotkeys: Hotkeys,
  /** Start the desk when the user logs in to the OS. */
  startAtLogin: z.boolean(),
  /** Take the headset's media keys (play/pause, stop) globally for the phone (Electron only). */
  headsetKeys: z.boolean(),
});
export type DeskSettings = z.infer<typeof DeskSettings>;

export const DEFAULT_SETTINGS: DeskSettings = {
  language: 'ko',
  profiles: [],
  lastProfileId: null,
  notificationVolume: 0.8,
  hotkeys: DEFAULT_HOTKEYS,
  startAtLogin: false,
  headsetKeys: false,
};

export const Notification = z.object({
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  /** Replaces an earlier notification with the same tag (e.g. one per conversation). */
  tag: z.string().max(100).optional(),
});
export type Notification = z.infer<typeof Notification>;

export const SaveCredential = z.object({ hubUrl: z.string().url(), token: z.string().min(1).max(8192) });

/** What the tray icon shows: the agent's state (already in the user's language) and unread work. */
export const TrayStatus = z.object({
  state: AgentStateName.nullable(),
  label: z.string().max(100),
  unread: z.number().int().min(0).max(9999),
});
export type TrayStatus = z.infer<typeof TrayStatus>;

/** Snapshots kept on the desk's disk for an instant start and offline reading. */
export const CACHE_LIMIT = 500;
export const CachedConversations = z.object({
  scope: OutboxScope,
  items: z.array(Conversation).max(CACHE_LIMIT),
});
export const CachedMessages = z.object({
  scope: OutboxScope,
  conversationId: Id,
  items: z.array(Message).max(CACHE_LIMIT),
});
export const CacheKey = z.object({ scope: OutboxScope, id: Id });
export const CachedCustomer = z.object({ scope: OutboxScope, customer: Customer });
/** The agent's recent calls as the hub recorded them, shown at once on start and while the hub is away. */
export const CachedCalls = z.object({ scope: OutboxScope, items: z.array(CallRecord).max(CACHE_LIMIT) });
/** Who was signed in to a hub, so a restart while the hub is down still opens the desk. */
export const CachedSession = z.object({ hubUrl: OutboxScope.shape.hubUrl, me: MeResponse });
export const Draft = z.object({
  scope: OutboxScope,
  conversationId: Id,
  body: z.string().max(MAX_MESSAGE_LENGTH),
});

/** A `tel:`/`sip:` link (or `?dial=`) for the softphone's dialer. */
export const DialRequest = z.object({
  /** Digits (`+821012345678`) for tel:, `user@host` for sip:. */
  number: z.string().min(1).max(200),
});
export type DialRequest = z.infer<typeof DialRequest>;

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
  setTrayStatus: { channel: 'ieum:tray:set', args: z.tuple([TrayStatus]) },
  setCallActive: { channel: 'ieum:power:call-active', args: z.tuple([z.boolean()]) },
  outboxAdd: { channel: 'ieum:outbox:add', args: z.tuple([OutboxItem]) },
  outboxList: { channel: 'ieum:outbox:list', args: z.tuple([OutboxScope]) },
  outboxRemove: { channel: 'ieum:outbox:remove', args: z.tuple([z.string().min(8).max(64)]) },
  outboxSetState: { channel: 'ieum:outbox:set-state', args: z.tuple([OutboxStateChange]) },
  cacheConversations: { channel: 'ieum:cache:conversations:save', args: z.tuple([CachedConversations]) },
  cachedConversations: { channel: 'ieum:cache:conversations:load', args: z.tuple([OutboxScope]) },
  cacheMessages: { channel: 'ieum:cache:messages:save', args: z.tuple([CachedMessages]) },
  cachedMessages: { channel: 'ieum:cache:messages:load', args: z.tuple([CacheKey]) },
  cacheCustomer: { channel: 'ieum:cache:customer:save', args: z.tuple([CachedCustomer]) },
  cachedCustomer: { channel: 'ieum:cache:customer:load', args: z.tuple([CacheKey]) },
  cacheSession: { channel: 'ieum:cache:session:save', args: z.tuple([CachedSession]) },
  cacheCalls: { channel: 'ieum:cache:calls:save', args: z.tuple([CachedCalls]) },
  cachedCalls: { channel: 'ieum:cache:calls:load', args: z.tuple([OutboxScope]) },
  cachedSession: { channel: 'ieum:cache:session:load', args: z.tuple([OutboxScope.shape.hubUrl]) },
  saveDraft: { channel: 'ieum:drafts:save', args: z.tuple([Draft]) },
  loadDraft: { channel: 'ieum:drafts:load', args: z.tuple([CacheKey]) },
} as const;
export type IpcName = keyof typeof IPC;

/** main → renderer pushes. */
export const IPC_EVENTS = {
  deepLink: 'ieum:deep-link',
  dial: 'ieum:dial',
  notificationClicked: 'ieum:notification-clicked',
  hotkey: 'ieum:hotkey',
} as const;

export interface HostInfo {
  kind: 'electron' | 'browser';
  platform: string;
  appVersion: string;
}

export interface HostApi extends OutboxStore {
  getInfo(): Promise<Result<HostInfo>>;
  getSettings(): Promise<Result<DeskSettings>>;
  updateSettings(patch: Partial<DeskSettings>): Promise<Result<DeskSettings>>;
  /** Kept encrypted by the OS (Electron safeStorage); the browser desk keeps it for the tab only. */
  saveCredential(input: { hubUrl: string; token: string }): Promise<Result<null>>;
  loadCredential(hubUrl: string): Promise<Result<string | null>>;
  clearCredential(hubUrl: string): Promise<Result<null>>;
  notify(notification: Notification): Promise<Result<null>>;
  setBadge(count: number): Promise<Result<null>>;
  setTrayStatus(status: TrayStatus): Promise<Result<null>>;
  /** Keeps the machine awake while a call is up (Electron powerSaveBlocker). */
  setCallActive(active: boolean): Promise<Result<null>>;
  cacheConversations(input: z.infer<typeof CachedConversations>): Promise<Result<null>>;
  cachedConversations(scope: OutboxScope): Promise<Result<Conversation[]>>;
  cacheMessages(input: z.infer<typeof CachedMessages>): Promise<Result<null>>;
  cachedMessages(key: z.infer<typeof CacheKey>): Promise<Result<Message[]>>;
  cacheCustomer(input: z.infer<typeof CachedCustomer>): Promise<Result<null>>;
  cachedCustomer(key: z.infer<typeof CacheKey>): Promise<Result<Customer | null>>;
  cacheSession(input: z.infer<typeof CachedSession>): Promise<Result<null>>;
  cachedSession(hubUrl: string): Promise<Result<MeResponse | null>>;
  cacheCalls(input: z.infer<typeof CachedCalls>): Promise<Result<null>>;
  cachedCalls(scope: OutboxScope): Promise<Result<CallRecord[]>>;
  /** An empty body deletes the draft. */
  saveDraft(draft: z.infer<typeof Draft>): Promise<Result<null>>;
  loadDraft(key: z.infer<typeof CacheKey>): Promise<Result<string | null>>;
  /** `tel:` / `sip:` links opened from other apps, as the raw URL. Returns an unsubscribe function. */
  onDeepLink(listener: (url: string) => void): () => void;
  /** The same links, parsed for the softphone's dialer. */
  onDial(listener: (request: DialRequest) => void): () => void;
  onNotificationClicked(listener: (tag: string) => void): () => void;
  onHotkey(listener: (action: HostKeyAction) => void): () => void;
}
