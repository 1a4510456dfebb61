/**
 * The host API for the desk running as a web page (`/desk/` on the hub):
 * settings in localStorage, the hub token only for this tab (sessionStorage),
 * the Notification API, a title prefix as badge, and `?dial=` as deep link.
 */
import {
  DEFAULT_SETTINGS,
  DeskSettings,
  HOTKEY_ACTIONS,
  type DialRequest,
  type HostKeyAction,
  type HostApi,
  type Notification,
} from '@shared/host-api';
import { fail, ok } from '@shared/errors';
import { CallRecord } from '@shared/telephony';
import { captureAccelerator, type KeyPress } from '@renderer/features/settings/accelerator';
import { createBrowserOutbox } from './browser-outbox';

export const SETTINGS_KEY = 'ieum:settings';
const callsKey = (scope: { hubUrl: string; userId: string }) => `ieum:calls:${scope.hubUrl}:${scope.userId}`;
const CREDENTIAL_PREFIX = 'ieum:credential:';

/** The browser pieces the host uses, injectable so tests run without a DOM. */
export interface BrowserEnv {
  localStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  document: { title: string };
  location: { search: string };
  navigator: { userAgent: string };
  Notification?: {
    permission: NotificationPermission;
    requestPermission(): Promise<NotificationPermission>;
    new (
      title: string,
      options?: NotificationOptions,
    ): { addEventListener(type: 'click', listener: () => void): void; close(): void };
  };
  focus?: () => void;
  /** Where key presses arrive (the window): a browser has no global hotkeys, only the focused desk's. */
  keys?: {
    addEventListener(type: 'keydown', listener: (event: KeyPress & KeyHandled) => void): void;
    removeEventListener(type: 'keydown', listener: (event: KeyPress & KeyHandled) => void): void;
  };
}

/** What the hotkey listener needs of a keydown event besides the key. */
export interface KeyHandled {
  defaultPrevented: boolean;
  repeat: boolean;
  preventDefault(): void;
}

function readSettings(env: BrowserEnv): DeskSettings {
  const settings: DeskSettings = { ...DEFAULT_SETTINGS };
  let raw: unknown;
  try {
    raw = JSON.parse(env.localStorage.getItem(SETTINGS_KEY) ?? 'null');
  } catch {
    raw = null;
  }
  if (raw === null || typeof raw !== 'object') return settings;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof DeskSettings)[]) {
    const parsed = DeskSettings.shape[key].safeParse((raw as Record<string, unknown>)[key]);
    if (parsed.success) Object.assign(settings, { [key]: parsed.data });
  }
  return settings;
}

function originOf(hubUrl: string): string | null {
  try {
    const url = new URL(hubUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

const BADGE = /^\(\d+\) /;
const DRAFT_PREFIX = 'ieum:draft:';
const draftKey = (scope: { hubUrl: string; userId: string }, conversationId: string): string =>
  `${DRAFT_PREFIX}${scope.hubUrl}|${scope.userId}|${conversationId}`;

/** `?dial=010-1234-5678`: what the page was opened to dial, cleaned like a tel: number. */
function dialFromQuery(search: string): DialRequest | null {
  const dial = new URLSearchParams(search).get('dial');
  if (!dial || !/^[\d+*#\-\s().]{1,40}$/.test(dial)) return null;
  return { number: dial.replace(/[\s().-]/g, '') };
}

export function createBrowserHost(env: BrowserEnv, appVersion = '0.0.0'): HostApi {
  const clickListeners = new Set<(tag: string) => void>();
  const hotkeyListeners = new Set<(action: HostKeyAction) => void>();
  const onHotkeyPress = (event: KeyPress & KeyHandled) => {
    if (event.defaultPrevented || event.repeat) return;
    const pressed = captureAccelerator(event);
    if (pressed.kind !== 'key') return;
    const hotkeys = readSettings(env).hotkeys;
    const action = HOTKEY_ACTIONS.find((a) => hotkeys[a] === pressed.accelerator);
    if (!action) return;
    event.preventDefault();
    for (const listener of hotkeyListeners) listener(action);
  };
  const once = <T>(value: T | null, listener: (value: T) => void): (() => void) => {
    let active = true;
    if (value !== null) {
      queueMicrotask(() => {
        if (active) listener(value);
      });
    }
    return () => {
      active = false;
    };
  };
  return {
    ...createBrowserOutbox(env.localStorage),
    getInfo: async () => ok({ kind: 'browser', platform: env.navigator.userAgent, appVersion }),
    getSettings: async () => ok(readSettings(env)),
    updateSettings: async (patch) => {
      const merged = DeskSettings.safeParse({ ...readSettings(env), ...patch });
      if (!merged.success) return fail('VALIDATION_FAILED', 'invalid settings', merged.error.issues);
      env.localStorage.setItem(SETTINGS_KEY, JSON.stringify(merged.data));
      return ok(merged.data);
    },
    saveCredential: async ({ hubUrl, token }) => {
      const origin = originOf(hubUrl);
      if (!origin) return fail('BAD_REQUEST', 'hub URL must be http(s)');
      env.sessionStorage.setItem(CREDENTIAL_PREFIX + origin, token);
      return ok(null);
    },
    loadCredential: async (hubUrl) => {
      const origin = originOf(hubUrl);
      if (!origin) return fail('BAD_REQUEST', 'hub URL must be http(s)');
      return ok(env.sessionStorage.getItem(CREDENTIAL_PREFIX + origin));
    },
    clearCredential: async (hubUrl) => {
      const origin = originOf(hubUrl);
      if (!origin) return fail('BAD_REQUEST', 'hub URL must be http(s)');
      env.sessionStorage.removeItem(CREDENTIAL_PREFIX + origin);
      return ok(null);
    },
    notify: async (notification: Notification) => {
      const Api = env.Notification;
      if (!Api) return fail('UNAVAILABLE', 'notifications not supported');
      const permission = Api.permission === 'default' ? await Api.requestPermission() : Api.permission;
      if (permission !== 'granted') return fail('FORBIDDEN', 'notifications not permitted');
      const shown = new Api(notification.title, { body: notification.body, tag: notification.tag });
      shown.addEventListener('click', () => {
        env.focus?.();
        for (const listener of clickListeners) listener(notification.tag ?? '');
        shown.close();
      });
      return ok(null);
    },
    setBadge: async (count) => {
      const title = env.document.title.replace(BADGE, '');
      env.document.title = count > 0 ? `(${count}) ${title}` : title;
      return ok(null);
    },
    // A browser has no tray and no power blocker; the tab title carries the badge.
    setTrayStatus: async () => ok(null),
    setCallActive: async () => ok(null),
    // Snapshots are an Electron nicety (instant start from disk); the browser desk loads from the hub.
    cacheConversations: async () => ok(null),
    cachedConversations: async () => ok([]),
    cacheMessages: async () => ok(null),
    cachedMessages: async () => ok([]),
    // Recent calls are small: kept in localStorage so the softphone shows them at once, and offline.
    cacheCalls: async ({ scope, items }) => {
      try {
        env.localStorage.setItem(callsKey(scope), JSON.stringify(items.slice(0, 50)));
      } catch {
        // A full quota only means no snapshot this time.
      }
      return ok(null);
    },
    cachedCalls: async (scope) => {
      try {
        const parsed = CallRecord.array().safeParse(
          JSON.parse(env.localStorage.getItem(callsKey(scope)) ?? '[]'),
        );
        return ok(parsed.success ? parsed.data : []);
      } catch {
        return ok([]);
      }
    },
    cacheCustomer: async () => ok(null),
    cachedCustomer: async () => ok(null),
    cacheSession: async () => ok(null),
    cachedSession: async () => ok(null),
    saveDraft: async ({ scope, conversationId, body }) => {
      try {
        if (body.trim()) env.localStorage.setItem(draftKey(scope, conversationId), body);
        else env.localStorage.removeItem(draftKey(scope, conversationId));
      } catch {
        // A draft is a convenience; a full quota only means it is not kept.
      }
      return ok(null);
    },
    loadDraft: async ({ scope, id }) => ok(env.localStorage.getItem(draftKey(scope, id))),
    // A page opened as /desk/?dial=010-1234-5678 acts like a tel: link.
    onDeepLink: (listener) => {
      const dial = dialFromQuery(env.location.search);
      return once(dial && `tel:${dial.number}`, listener);
    },
    onDial: (listener) => once(dialFromQuery(env.location.search), listener),
    // The hotkeys work while the desk has focus. One key listener for all
    // subscribers (a second would find the press already taken by the first);
    // a press something else took (a hotkey field capturing keys) is left alone.
    onHotkey: (listener) => {
      const keys = env.keys;
      if (!keys) return () => undefined;
      hotkeyListeners.add(listener);
      if (hotkeyListeners.size === 1) keys.addEventListener('keydown', onHotkeyPress);
      return () => {
        hotkeyListeners.delete(listener);
        if (hotkeyListeners.size === 0) keys.removeEventListener('keydown', onHotkeyPress);
      };
    },
    onNotificationClicked: (listener) => {
      clickListeners.add(listener);
      return () => {
        clickListeners.delete(listener);
      };
    },
  };
}
