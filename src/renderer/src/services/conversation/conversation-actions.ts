/**
 * What the conversation view does besides sending: load its directory,
 * details, attachments and older messages; tag, resolve/reopen, snooze,
 * transfer and merge (acked socket commands, retried until the hub answers);
 * send a canned response with its attachments; tell the hub what this desk
 * is looking at and whether the agent types (presence, ephemeral); the 360
 * panel's CRM orders. Results land in the stores; failures are returned for
 * the control that caused them.
 */
import type { ConversationDetails } from '@shared/conversation-tools';
import { type Conversation, Conversation as ConversationSchema, type Message } from '@shared/domain';
import { fail, type Result } from '@shared/errors';
import { getHost } from '@renderer/host/get-host';
import { createLogger } from '@renderer/lib/log';
import { useConversationToolsStore } from '@renderer/stores/conversation-tools';
import { useCustomerOrdersStore } from '@renderer/stores/customer-orders';
import { useInboxStore } from '@renderer/stores/inbox';
import { useCustomerStore } from '@renderer/stores/customer';
import { loadCustomer } from '../customer/customer-actions';
import { useSessionStore } from '@renderer/stores/session';
import { deskSync, openConversation } from '../desk-session';
import { type ConversationApi, createConversationApi } from './conversation-api';

const log = createLogger('conversation');
/** Older messages per page when scrolling back. */
export const OLDER_PAGE = 50;

function api(): ConversationApi | null {
  const { hubUrl, token } = useSessionStore.getState();
  return hubUrl && token ? createConversationApi(hubUrl, token) : null;
}
const notConnected = () => fail('UNAVAILABLE', 'not signed in');

export async function loadDirectory(): Promise<void> {
  const client = api();
  if (!client) return;
  const r = await client.directory();
  if (r.ok) useConversationToolsStore.getState().directoryLoaded(r.value);
  else log.warn('directory not loaded', r.error);
}

/** Tags, snooze and merge pointer, and the attachments of the conversation just opened. */
export async function loadConversationExtras(conversationId: string): Promise<void> {
  const sync = deskSync();
  const client = api();
  const [details, files] = await Promise.all([
    sync ? sync.request('conversation.details', { conversationId }) : Promise.resolve(notConnected()),
    client ? client.attachments(conversationId) : Promise.resolve(notConnected()),
  ]);
  if (details.ok) useConversationToolsStore.getState().detailsChanged(details.value);
  if (files.ok) useConversationToolsStore.getState().attachmentsLoaded(conversationId, files.value);
}

/** A message with a file arrived that we do not know yet: ask for the conversation's attachments. */
export async function refreshAttachments(conversationId: string): Promise<void> {
  const r = await api()?.attachments(conversationId);
  if (r?.ok) useConversationToolsStore.getState().attachmentsLoaded(conversationId, r.value);
}

/**
 * The page before the oldest message shown. Messages merge into the inbox
 * store by id, so a live message arriving meanwhile is never shown twice.
 */
export async function loadOlderMessages(conversationId: string): Promise<void> {
  const sync = deskSync();
  const tools = useConversationToolsStore.getState();
  const history = tools.history[conversationId];
  if (!sync || history?.loading || history?.exhausted) return;
  const oldest = useInboxStore.getState().messages[conversationId]?.[0];
  tools.olderStarted(conversationId);
  const r = await sync.request('message.list', {
    conversationId,
    ...(oldest ? { before: oldest.id } : {}),
    limit: OLDER_PAGE,
  });
  if (!r.ok) {
    log.warn('older messages not loaded', r.error);
    useConversationToolsStore.getState().olderFailed(conversationId);
    return;
  }
  useInboxStore.getState().messagesLoaded(conversationId, r.value);
  useConversationToolsStore.getState().olderLoaded(conversationId, r.value.length, OLDER_PAGE);
}

async function command<T>(run: () => Promise<Result<T>> | undefined): Promise<Result<T>> {
  return (await run()) ?? notConnected();
}

function detailsResult(r: Result<ConversationDetails>): Result<ConversationDetails> {
  if (r.ok) useConversationToolsStore.getState().detailsChanged(r.value);
  return r;
}

export async function setTag(conversationId: string, tag: string, on: boolean) {
  return detailsResult(
    await command(() => deskSync()?.send('conversation.tag', { conversationId, tag, on })),
  );
}

function conversationResult(r: Result<Conversation>): Result<Conversation> {
  if (r.ok) {
    const me = useSessionStore.getState().user?.id;
    const inbox = useInboxStore.getState();
    if (r.value.assigneeId === me) inbox.conversationChanged(r.value);
    else inbox.conversationRemoved(r.value.id);
  }
  return r;
}

export async function setConversationStatus(conversationId: string, status: 'resolved' | 'open') {
  const r = conversationResult(
    await command(() => deskSync()?.send('conversation.setStatus', { conversationId, status })),
  );
  // A resolved conversation joins the customer's history in the 360 panel.
  const customerId = useCustomerStore.getState().customerId;
  if (r.ok && customerId === r.value.customerId) void loadCustomer(customerId);
  return r;
}

export async function snoozeConversation(conversationId: string, until: Date) {
  const r = conversationResult(
    await command(() =>
      deskSync()?.send('conversation.snooze', { conversationId, until: until.toISOString() }),
    ),
  );
  if (r.ok) void loadConversationExtras(conversationId);
  return r;
}

export async function transferConversation(
  conversationId: string,
  to: { kind: 'agent'; agentId: string } | { kind: 'queue'; queueId: string },
) {
  return conversationResult(
    await command(() => deskSync()?.send('conversation.transfer', { conversationId, to })),
  );
}

/** Merges `otherId` into the open conversation, then reads its messages again (they moved). */
export async function mergeConversation(conversationId: string, otherId: string) {
  const r = conversationResult(
    await command(() => deskSync()?.send('conversation.merge', { conversationId, otherId })),
  );
  if (!r.ok) return r;
  const sync = deskSync();
  const messages = sync ? await sync.request('message.list', { conversationId, limit: 100 }) : null;
  if (messages?.ok) useInboxStore.getState().messagesLoaded(conversationId, messages.value);
  void loadConversationExtras(conversationId);
  return r;
}

/** A canned response that carries files: sent straight to the hub (not through the offline outbox). */
export async function sendCanned(
  conversationId: string,
  cannedId: string,
  body: string,
): Promise<Result<Message>> {
  const r = await command(() => deskSync()?.send('message.sendCanned', { conversationId, cannedId, body }));
  if (r.ok) {
    useInboxStore.getState().messageCreated(r.value);
    void refreshAttachments(conversationId);
  }
  return r;
}

let shown: { conversationId: string | null; typing: boolean } = { conversationId: null, typing: false };

/** Tells the hub which conversation this desk shows and whether the agent types; answers who else is there. */
export async function setPresence(conversationId: string | null, typing = false): Promise<void> {
  if (shown.conversationId === conversationId && shown.typing === typing) return;
  const wasTypingIn = shown.typing ? shown.conversationId : null;
  shown = { conversationId, typing };
  const sync = deskSync();
  if (!sync) return;
  const r = await sync.request('presence.set', { conversationId, typing });
  if (r.ok && r.value)
    useConversationToolsStore.getState().presenceChanged(r.value.conversationId, r.value.viewers);
  // A web chat customer sees the agent typing too.
  const inbox = useInboxStore.getState().conversations;
  const tell = (id: string | null, on: boolean) => {
    if (id && inbox[id]?.channel === 'webchat') void api()?.visitorTyping(id, on);
  };
  if (wasTypingIn && (wasTypingIn !== conversationId || !typing)) tell(wasTypingIn, false);
  if (typing && wasTypingIn !== conversationId) tell(conversationId, true);
}

/** After a reconnect the hub has forgotten this desk's presence: say it again. */
export function presenceReconnected(): void {
  const again = shown;
  shown = { conversationId: null, typing: false };
  void setPresence(again.conversationId, again.typing);
}

export async function loadOrders(customerId: string): Promise<void> {
  const client = api();
  if (!client) return;
  const store = useCustomerOrdersStore.getState();
  store.loadStarted(customerId);
  const r = await client.orders(customerId);
  if (r.ok) useCustomerOrdersStore.getState().loaded(customerId, r.value.orders);
  else useCustomerOrdersStore.getState().failed(customerId, r.error);
}

/** The attachment's bytes as a URL for <img>/<a> (revoke it when done). */
export async function attachmentUrl(attachmentId: string): Promise<Result<string>> {
  return (await api()?.attachmentUrl(attachmentId)) ?? notConnected();
}

/** A note mentioned me: shown in the view and as a desk notification. */
export function notifyMention(title: string, body: string, conversationId: string): void {
  void getHost().notify({ title, body, tag: conversationId });
}

/**
 * Opens a conversation a note mentioned me in, even when it is not mine:
 * read from the hub and shown (a supervisor or colleague can read it; only
 * the assignee replies).
 */
export async function openMentioned(conversationId: string): Promise<void> {
  const inbox = useInboxStore.getState();
  if (!inbox.conversations[conversationId]) {
    const { hubUrl, token } = useSessionStore.getState();
    if (!hubUrl || !token) return;
    const r = await fetch(`${hubUrl}/api/v1/conversations/${encodeURIComponent(conversationId)}`, {
      headers: { Authorization: `Bearer ${token}` },
      credentials: 'omit',
    }).catch(() => null);
    if (!r?.ok) return;
    const parsed = ConversationSchema.safeParse(await r.json());
    if (!parsed.success) return;
    inbox.conversationChanged(parsed.data);
  }
  openConversation(conversationId);
}
