/**
 * The desk's user commands: sign in and out, change agent state, open a
 * conversation, send a message. Components call these; these call the hub
 * and the stores. Holds the one realtime connection.
 */
import { v4 as uuidv4 } from 'uuid';
import type { MeResponse } from '@shared/api';
import type { AgentStateName, Site } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import { createOutbox, type Outbox, type OutboxScope } from '@shared/outbox';
import { getHost } from '@renderer/host/get-host';
import { createLogger } from '@renderer/lib/log';
import { useAgentStore } from '@renderer/stores/agent';
import { useCallsStore } from '@renderer/stores/calls';
import { useCustomerStore } from '@renderer/stores/customer';
import { useHqBoardStore } from '@renderer/stores/hq-board';
import { useInboxStore } from '@renderer/stores/inbox';
import { useReplyChannelStore } from '@renderer/stores/reply-channel';
import { useOffersStore } from '@renderer/stores/offers';
import { useOutboxStore } from '@renderer/stores/outbox';
import { type HubRole, useSessionStore } from '@renderer/stores/session';
import { useSiteKpisStore } from '@renderer/stores/site-kpis';
import { useSupervisionStore } from '@renderer/stores/supervision';
import { useWallboardStore } from '@renderer/stores/wallboard';
import { useWorkStore } from '@renderer/stores/work';
import { createApiClient } from './api/api-client';
import { loadMyWork } from './my-work-loader';
import { normalizeHubUrl } from './api/hub-url';
import { connectDesk, type DeskConnection } from './socket/connector';
import type { DeskSync } from './socket/desk-sync';
import { dispatchDeskEvent } from './socket/event-handlers';
import { sessionSeqStorage } from './socket/seq-storage';
import { startPhone, stopPhone } from './sip/phone';

const log = createLogger('desk-session');
let connection: DeskConnection | null = null;
let outbox: Outbox | null = null;
let scope: OutboxScope | null = null;
/** sessionStorage key: the hub a switch in this tab went to without a token (see `switchTarget`). */
const SWITCH_TARGET = 'ieum:switchTarget';

/**
 * Who we are on this hub: asked of the hub, or — when it cannot be reached —
 * what it said last time, so a desk restarted during an outage still opens
 * with its conversations and unsent replies (the socket connects when it can).
 */
async function whoAmI(hubUrl: string, token: string): Promise<Result<MeResponse>> {
  const host = getHost();
  const me = await createApiClient(hubUrl).me(token);
  if (me.ok) {
    void host.cacheSession({ hubUrl, me: me.value });
    return me;
  }
  if (me.error.code !== 'UNAVAILABLE') return me;
  const cached = await host.cachedSession(hubUrl);
  return cached.ok && cached.value ? ok(cached.value) : me;
}

/** The site code HQ's own office has; what tells an HQ hub apart when `/healthz` cannot be asked. */
const HQ_SITE_CODE = 'hq';

/** Whether this is a center's hub or the group's HQ, as the hub itself says. */
async function hubRoleOf(hubUrl: string, site: Promise<Site | null>): Promise<HubRole> {
  const health = await createApiClient(hubUrl).health();
  if (health.ok) return health.value.role;
  return (await site)?.code === HQ_SITE_CODE ? 'hq' : 'site';
}

async function start(hubUrl: string, token: string): Promise<Result<null>> {
  const asked = whoAmI(hubUrl, token);
  const [me, hubRole] = await Promise.all([
    asked,
    hubRoleOf(
      hubUrl,
      asked.then((r) => (r.ok ? r.value.site : null)),
    ),
  ]);
  if (!me.ok) return me;
  const { user, site, status, reasonCodes } = me.value;
  useSessionStore.getState().signedIn({ hubUrl, token, user, site, hubRole });
  useAgentStore.getState().loaded(status, reasonCodes);
  connection?.close();
  outbox?.close();
  scope = { hubUrl, userId: user.id };
  const cached = await getHost().cachedConversations(scope);
  if (cached.ok && cached.value.length) useInboxStore.getState().conversationsLoaded(cached.value);
  connection = connectDesk({
    hubUrl,
    token,
    seqStorage: sessionSeqStorage(window.sessionStorage, hubUrl, user.id),
    apply: dispatchDeskEvent,
    onState: (state) => useSessionStore.getState().setConnection(state),
    onSynced: () => {
      void loadConversations();
      void loadMyWork();
      void outbox?.flush();
    },
    onReset: () => {
      useInboxStore.getState().reset();
      useOffersStore.getState().reset();
      useWorkStore.getState().reset();
    },
    onRoutingStats: (stats) => useWallboardStore.getState().statsReceived(stats),
    onAuthFailed: (code) => {
      log.warn('hub refused the session', code);
      void signOut();
    },
  });
  const sync = connection.sync;
  outbox = createOutbox({
    store: getHost(),
    scope,
    newId: () => uuidv4(),
    send: (item) =>
      sync.send(
        'message.send',
        {
          conversationId: item.conversationId,
          body: item.body,
          kind: item.kind,
          ...(item.channel ? { channel: item.channel } : {}),
        },
        item.id,
      ),
    onChange: (items) => useOutboxStore.getState().itemsChanged(items),
    onDelivered: (message) => useInboxStore.getState().messageCreated(message),
    onError: (message, detail) => log.warn(message, detail),
  });
  const loaded = await outbox.load();
  if (!loaded.ok) log.warn('could not read the outbox', loaded.error);
  // What an earlier run left unsent; it waits in DeskSync until the socket is up.
  void outbox.flush();
  // The phone registers on its own; its state and problems show in the softphone pane.
  // HQ takes no calls: its desk is the group board.
  if (hubRole === 'site') void startPhone(hubUrl, token);
  return ok(null);
}

/** Registers the phone again with fresh credentials (after they were refused). */
export async function restartPhone(): Promise<void> {
  const { hubUrl, token } = useSessionStore.getState();
  if (hubUrl && token) await startPhone(hubUrl, token);
}

/** Signs in with a password; `hubInput` is what the user typed as hub address. */
export async function signIn(hubInput: string, username: string, password: string): Promise<Result<null>> {
  const hubUrl = normalizeHubUrl(hubInput);
  if (!hubUrl) return fail('VALIDATION_FAILED', 'invalid hub URL', { field: 'hubUrl' });
  const login = await createApiClient(hubUrl).login(username, password);
  if (!login.ok) return login;
  const host = getHost();
  const saved = await host.saveCredential({ hubUrl, token: login.value.token });
  if (!saved.ok) log.warn('token not kept; you will sign in again next start', saved.error);
  const settings = await host.getSettings();
  if (settings.ok) {
    const profileId = login.value.site.id;
    // Replaces the provisional profile `prepareHub` may have added for this hub.
    const others = settings.value.profiles.filter((p) => p.id !== profileId && p.hubUrl !== hubUrl);
    await host.updateSettings({
      profiles: [...others, { id: profileId, label: login.value.site.name, hubUrl }],
      lastProfileId: profileId,
    });
  }
  const started = await start(hubUrl, login.value.token);
  if (started.ok) window.sessionStorage.removeItem(SWITCH_TARGET);
  return started;
}

const PENDING_USERNAME = 'ieum:pendingUsername';

/**
 * In Electron the page's CSP only lets it reach hubs saved as profiles, and a
 * CSP cannot change under a loaded page. So a new hub address is saved first;
 * main then reloads the page with a CSP that allows it. Returns 'reloading'
 * when that happens (the username survives the reload, the password never).
 */
export async function prepareHub(hubInput: string, username: string): Promise<'ready' | 'reloading'> {
  const host = getHost();
  const hubUrl = normalizeHubUrl(hubInput);
  const info = await host.getInfo();
  if (!hubUrl || !info.ok || info.value.kind !== 'electron') return 'ready';
  const settings = await host.getSettings();
  if (!settings.ok || settings.value.profiles.some((p) => p.hubUrl === hubUrl)) return 'ready';
  window.sessionStorage.setItem(PENDING_USERNAME, username);
  const id = `hub-${new URL(hubUrl).host}`.slice(0, 64);
  await host.updateSettings({
    profiles: [...settings.value.profiles, { id, label: new URL(hubUrl).hostname, hubUrl }],
    lastProfileId: id,
  });
  return 'reloading';
}

/** The username typed before a `prepareHub` reload, once. */
export function takePendingUsername(): string | null {
  const username = window.sessionStorage.getItem(PENDING_USERNAME);
  window.sessionStorage.removeItem(PENDING_USERNAME);
  return username;
}

/** Signs in again with the token kept for the last hub, if there is one. */
export async function restoreSession(): Promise<boolean> {
  const host = getHost();
  const settings = await host.getSettings();
  if (!settings.ok) return false;
  const profile = settings.value.profiles.find((p) => p.id === settings.value.lastProfileId);
  if (!profile) return false;
  const token = await host.loadCredential(profile.hubUrl);
  if (!token.ok || !token.value) return false;
  const started = await start(profile.hubUrl, token.value);
  if (!started.ok) {
    // Only a refused token is forgotten; an unreachable hub is tried again next start.
    if (started.error.code === 'UNAUTHENTICATED' || started.error.code === 'TOKEN_EXPIRED') {
      await host.clearCredential(profile.hubUrl);
    }
    return false;
  }
  return true;
}

/** The hub address to offer on the login form: the last profile's. */
export async function lastHubUrl(): Promise<string | null> {
  const settings = await getHost().getSettings();
  if (!settings.ok) return null;
  return settings.value.profiles.find((p) => p.id === settings.value.lastProfileId)?.hubUrl ?? null;
}

/** How long sign-out waits for the hub to take the agent offline before leaving anyway. */
const OFFLINE_ON_SIGN_OUT_MS = 2_000;

export async function signOut(): Promise<void> {
  const { hubUrl } = useSessionStore.getState();
  const state = useAgentStore.getState().status?.state;
  if (connection?.sync.isConnected && state && state !== 'offline') {
    // Stop routing work to someone who left; the hub's presence timeout is only the fallback.
    await Promise.race([
      connection.sync.send('agent.setState', { state: 'offline' }),
      new Promise((resolve) => setTimeout(resolve, OFFLINE_ON_SIGN_OUT_MS)),
    ]);
  }
  if (hubUrl) await getHost().clearCredential(hubUrl);
  leaveHub();
}

/** Drops the connection and everything shown for it; tokens and unsent replies stay stored. */
function leaveHub(): void {
  void stopPhone();
  connection?.close();
  connection = null;
  // Unsent replies stay on disk and go out when this agent signs in here again.
  outbox?.close();
  outbox = null;
  scope = null;
  useOutboxStore.getState().reset();
  useSessionStore.getState().signedOut();
  useAgentStore.getState().reset();
  useInboxStore.getState().reset();
  useCallsStore.getState().reset();
  useCustomerStore.getState().reset();
  useOffersStore.getState().reset();
  useWorkStore.getState().reset();
  useWallboardStore.getState().reset();
  useSupervisionStore.getState().reset();
  useSiteKpisStore.getState().reset();
  useHqBoardStore.getState().reset();
}

/** The hub this tab switched to without a token for it: the login form offers it until a sign-in succeeds. */
export function switchTarget(): string | null {
  return window.sessionStorage.getItem(SWITCH_TARGET);
}

/**
 * Switches to another saved center in one step: remembered as the last
 * profile, signed in with the token kept for that hub, or — without one —
 * the login form with that hub's address. The token of the center left
 * behind is kept, so switching back is one click too.
 */
export async function switchSite(profileId: string): Promise<Result<null>> {
  const host = getHost();
  const settings = await host.getSettings();
  if (!settings.ok) return settings;
  const profile = settings.value.profiles.find((p) => p.id === profileId);
  if (!profile) return fail('NOT_FOUND', `no profile ${profileId}`);
  const saved = await host.updateSettings({ lastProfileId: profileId });
  if (!saved.ok) return saved;
  const token = await host.loadCredential(profile.hubUrl);
  // In a browser the login form would offer the page's own hub; offer the one chosen.
  // Set before leaving: the form reads it as it mounts.
  if (!token.ok || !token.value) window.sessionStorage.setItem(SWITCH_TARGET, profile.hubUrl);
  leaveHub();
  if (!token.ok || !token.value) return ok(null);
  const started = await start(profile.hubUrl, token.value);
  if (!started.ok) {
    leaveHub();
    if (started.error.code === 'UNAUTHENTICATED' || started.error.code === 'TOKEN_EXPIRED') {
      await host.clearCredential(profile.hubUrl);
    }
  }
  return started;
}

/** The live command path, for the routing commands (services/work-commands.ts); null when signed out. */
export function deskSync(): DeskSync | null {
  return connection?.sync ?? null;
}

function notConnected(): Result<never> {
  return fail('UNAVAILABLE', 'not signed in');
}

export async function setAgentState(
  state: Exclude<AgentStateName, 'busy'>,
  reasonCodeId: string | null = null,
) {
  if (!connection) return notConnected();
  const agent = useAgentStore.getState();
  agent.changeStarted();
  const result = await connection.sync.send('agent.setState', { state, reasonCodeId });
  if (result.ok) agent.statusChanged(result.value);
  else agent.changeFailed(result.error);
  return result;
}

export async function loadConversations(): Promise<void> {
  if (!connection) return;
  const inbox = useInboxStore.getState();
  inbox.setLoading(true);
  const result = await connection.sync.request('conversation.list', { scope: 'mine', limit: 100 });
  if (result.ok) {
    inbox.conversationsLoaded(result.value);
    if (scope) void getHost().cacheConversations({ scope, items: result.value });
  } else {
    inbox.setLoading(false);
    log.warn('conversation.list failed', result.error);
  }
  const selected = useInboxStore.getState().selectedId;
  if (selected) void loadMessages(selected);
}

async function loadMessages(conversationId: string): Promise<void> {
  if (!connection) return;
  const at = scope;
  if (at && !useInboxStore.getState().messages[conversationId]?.length) {
    // What we saw last time, at once; the hub's answer below merges over it.
    const cached = await getHost().cachedMessages({ scope: at, id: conversationId });
    if (cached.ok && cached.value.length)
      useInboxStore.getState().messagesLoaded(conversationId, cached.value);
  }
  const result = await connection.sync.request('message.list', { conversationId, limit: 100 });
  if (result.ok) {
    useInboxStore.getState().messagesLoaded(conversationId, result.value);
    if (at) void getHost().cacheMessages({ scope: at, conversationId, items: result.value });
  } else log.warn('message.list failed', result.error);
}

export function openConversation(conversationId: string): void {
  const inbox = useInboxStore.getState();
  inbox.select(conversationId);
  useCustomerStore.getState().focus(inbox.conversations[conversationId]?.customerId ?? null);
  void loadMessages(conversationId);
}

/**
 * Saves the reply (or note) in the outbox, which delivers it in order when
 * the hub can be reached. Resolves once it is safely stored — not when it is
 * delivered; until then the conversation shows it as pending. Fails only when
 * it could not be stored (e.g. `STORAGE_FULL`): the composer keeps the text.
 */
export async function sendMessage(
  conversationId: string,
  body: string,
  kind: 'out' | 'note' = 'out',
): Promise<Result<null>> {
  if (!outbox) return notConnected();
  // The channel the agent picked for replies in this conversation, if not its own.
  const channel = kind === 'out' ? useReplyChannelStore.getState().chosen[conversationId] : undefined;
  const saved = await outbox.submit({ conversationId, body, kind, ...(channel ? { channel } : {}) });
  return saved.ok ? ok(null) : saved;
}

/** Puts a reply the hub refused back in line (after the agent fixed what was wrong, e.g. access). */
export async function retryOutboxItem(id: string): Promise<Result<null>> {
  return outbox ? outbox.retry(id) : notConnected();
}

export async function discardOutboxItem(id: string): Promise<Result<null>> {
  return outbox ? outbox.discard(id) : notConnected();
}

/**
 * Global hotkeys from the desktop host. Ready/not-ready is handled here; the
 * call keys (answer, hang up, mute) are the softphone's to subscribe to with
 * `getHost().onHotkey`.
 */
export function listenForHotkeys(): () => void {
  return getHost().onHotkey((action) => {
    if (action !== 'toggleReady' || !connection) return;
    const state = useAgentStore.getState().status?.state;
    void setAgentState(state === 'ready' ? 'not_ready' : 'ready');
  });
}

/** A click on an OS notification tagged with a conversation id opens that conversation. */
export function listenForNotificationClicks(): () => void {
  return getHost().onNotificationClicked((tag) => {
    if (tag && useInboxStore.getState().conversations[tag]) openConversation(tag);
  });
}

/** Deep links (`tel:`, `sip:`, `?dial=`) become a dial request for the softphone. */
export function listenForDeepLinks(): () => void {
  return getHost().onDeepLink((url) => useCallsStore.getState().dialRequested(url));
}
