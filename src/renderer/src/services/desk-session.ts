/**
 * The desk's user commands: sign in and out, change agent state, open a
 * conversation, send a message. Components call these; these call the hub
 * and the stores. Holds the one realtime connection.
 */
import type { AgentStateName } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import { getHost } from '@renderer/host/get-host';
import { createLogger } from '@renderer/lib/log';
import { useAgentStore } from '@renderer/stores/agent';
import { useCallsStore } from '@renderer/stores/calls';
import { useCustomerStore } from '@renderer/stores/customer';
import { useInboxStore } from '@renderer/stores/inbox';
import { useSessionStore } from '@renderer/stores/session';
import { createApiClient } from './api/api-client';
import { normalizeHubUrl } from './api/hub-url';
import { connectDesk, type DeskConnection } from './socket/connector';
import { dispatchDeskEvent } from './socket/event-handlers';
import { sessionSeqStorage } from './socket/seq-storage';

const log = createLogger('desk-session');
let connection: DeskConnection | null = null;

async function start(hubUrl: string, token: string): Promise<Result<null>> {
  const me = await createApiClient(hubUrl).me(token);
  if (!me.ok) return me;
  const { user, site, status, reasonCodes } = me.value;
  useSessionStore.getState().signedIn({ hubUrl, token, user, site });
  useAgentStore.getState().loaded(status, reasonCodes);
  connection?.close();
  connection = connectDesk({
    hubUrl,
    token,
    seqStorage: sessionSeqStorage(window.sessionStorage, hubUrl, user.id),
    apply: dispatchDeskEvent,
    onState: (state) => useSessionStore.getState().setConnection(state),
    onSynced: () => void loadConversations(),
    onReset: () => useInboxStore.getState().reset(),
    onAuthFailed: (code) => {
      log.warn('hub refused the session', code);
      void signOut();
    },
  });
  return ok(null);
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
  return start(hubUrl, login.value.token);
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
    await host.clearCredential(profile.hubUrl);
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
  connection?.close();
  connection = null;
  if (hubUrl) await getHost().clearCredential(hubUrl);
  useSessionStore.getState().signedOut();
  useAgentStore.getState().reset();
  useInboxStore.getState().reset();
  useCallsStore.getState().reset();
  useCustomerStore.getState().reset();
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
  if (result.ok) inbox.conversationsLoaded(result.value);
  else {
    inbox.setLoading(false);
    log.warn('conversation.list failed', result.error);
  }
  const selected = useInboxStore.getState().selectedId;
  if (selected) void loadMessages(selected);
}

async function loadMessages(conversationId: string): Promise<void> {
  if (!connection) return;
  const result = await connection.sync.request('message.list', { conversationId, limit: 100 });
  if (result.ok) useInboxStore.getState().messagesLoaded(conversationId, result.value);
  else log.warn('message.list failed', result.error);
}

export function openConversation(conversationId: string): void {
  const inbox = useInboxStore.getState();
  inbox.select(conversationId);
  useCustomerStore.getState().focus(inbox.conversations[conversationId]?.customerId ?? null);
  void loadMessages(conversationId);
}

export async function sendMessage(conversationId: string, body: string): Promise<Result<null>> {
  if (!connection) return notConnected();
  const result = await connection.sync.send('message.send', { conversationId, body, kind: 'out' });
  if (!result.ok) return result;
  useInboxStore.getState().messageCreated(result.value);
  return ok(null);
}

/** Deep links (`tel:`, `sip:`, `?dial=`) become a dial request for the softphone. */
export function listenForDeepLinks(): () => void {
  return getHost().onDeepLink((url) => useCallsStore.getState().dialRequested(url));
}
