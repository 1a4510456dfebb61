/**
 * The agent's routing commands: accept or reject an offer, finish a piece of
 * work, end wrap-up. Each goes through DeskSync (retried with one commandId
 * until the hub acks) and then updates the stores with the ack.
 */
import { fail, type Result } from '@shared/errors';
import type { AgentStatus } from '@shared/domain';
import type { WorkItemView } from '@shared/protocol';
import { createLogger } from '@renderer/lib/log';
import { useAgentStore } from '@renderer/stores/agent';
import { useInboxStore } from '@renderer/stores/inbox';
import { useOffersStore } from '@renderer/stores/offers';
import { useSessionStore } from '@renderer/stores/session';
import { useWorkStore } from '@renderer/stores/work';
import { deskSync, openConversation } from './desk-session';

const log = createLogger('work');

/** How long an accepted conversation may take to arrive (`conversation.assigned`) before we stop waiting to open it. */
const OPEN_WAIT_MS = 30_000;

const myId = (): string | null => useSessionStore.getState().user?.id ?? null;

/**
 * Opens the conversation once it is in the inbox. The hub commits the accept
 * and `conversation.assigned` together, but the event and the ack may reach
 * us in either order.
 */
function openWhenArrived(conversationId: string): void {
  if (useInboxStore.getState().conversations[conversationId]) {
    openConversation(conversationId);
    return;
  }
  const stop = (): void => {
    unsubscribe();
    clearTimeout(timer);
  };
  const unsubscribe = useInboxStore.subscribe((s) => {
    if (!s.conversations[conversationId]) return;
    stop();
    openConversation(conversationId);
  });
  const timer = setTimeout(() => {
    unsubscribe();
    log.warn(`accepted conversation ${conversationId} did not arrive`);
  }, OPEN_WAIT_MS);
}

export async function acceptOffer(itemId: string): Promise<Result<WorkItemView>> {
  const sync = deskSync();
  if (!sync) return fail('UNAVAILABLE', 'not signed in');
  useOffersStore.getState().responseStarted(itemId);
  const result = await sync.send('offer.accept', { itemId });
  if (!result.ok) {
    useOffersStore.getState().responseFailed(itemId, result.error);
    return result;
  }
  useOffersStore.getState().offerSettled(itemId);
  useWorkStore.getState().workUpdated(result.value, myId());
  if (result.value.conversationId) openWhenArrived(result.value.conversationId);
  return result;
}

export async function rejectOffer(itemId: string): Promise<Result<WorkItemView>> {
  const sync = deskSync();
  if (!sync) return fail('UNAVAILABLE', 'not signed in');
  useOffersStore.getState().responseStarted(itemId);
  const result = await sync.send('offer.reject', { itemId });
  if (result.ok) useOffersStore.getState().offerSettled(itemId);
  else useOffersStore.getState().responseFailed(itemId, result.error);
  return result;
}

/** The agent is done with this item (e.g. the chat is answered): wrap-up starts, if the queue has one. */
export async function completeWork(itemId: string): Promise<Result<WorkItemView>> {
  const sync = deskSync();
  if (!sync) return fail('UNAVAILABLE', 'not signed in');
  const result = await sync.send('work.complete', { itemId });
  if (result.ok) useWorkStore.getState().workUpdated(result.value, myId());
  return result;
}

/** Ends wrap-up before its timer: the agent can take work again. */
export async function endWrapUp(): Promise<Result<AgentStatus>> {
  const sync = deskSync();
  if (!sync) return fail('UNAVAILABLE', 'not signed in');
  const result = await sync.send('wrapup.end', {});
  if (result.ok) useAgentStore.getState().statusChanged(result.value);
  return result;
}
