/**
 * A supervisor's commands: set an agent's state from the wallboard, hand
 * waiting work to an agent, reassign a conversation. Each goes through
 * DeskSync (retried with one commandId until the hub acks); its pending flag
 * and typed error live in the supervision store, keyed by what it acts on.
 */
import type { AgentStatus, Conversation } from '@shared/domain';
import { fail, type Result } from '@shared/errors';
import type { WorkItemView } from '@shared/protocol';
import { useAgentStore } from '@renderer/stores/agent';
import { useInboxStore } from '@renderer/stores/inbox';
import { useSessionStore } from '@renderer/stores/session';
import { type SupervisionKey, useSupervisionStore } from '@renderer/stores/supervision';
import { useWallboardStore } from '@renderer/stores/wallboard';
import { deskSync } from './desk-session';
import { refreshWaitQueue } from './wait-queue-loader';

/** The states a supervisor can put an agent in (busy and wrap-up come from work). */
export type ForcedState = 'ready' | 'not_ready' | 'offline';

async function tracked<T>(key: SupervisionKey, run: () => Promise<Result<T>>): Promise<Result<T>> {
  const store = useSupervisionStore.getState();
  store.commandStarted(key);
  const result = await run();
  if (result.ok) store.commandSucceeded(key);
  else store.commandFailed(key, result.error);
  return result;
}

export function forceAgentState(
  agentId: string,
  state: ForcedState,
  reasonCodeId: string | null = null,
): Promise<Result<AgentStatus>> {
  return tracked(`agent:${agentId}`, async () => {
    const sync = deskSync();
    if (!sync) return fail('UNAVAILABLE', 'not signed in');
    const result = await sync.send('agent.forceState', { agentId, state, reasonCodeId });
    if (result.ok) {
      useWallboardStore.getState().agentStatusChanged(result.value);
      // A supervisor who also takes work may set their own state from the board.
      if (result.value.userId === useSessionStore.getState().user?.id)
        useAgentStore.getState().statusChanged(result.value);
    }
    return result;
  });
}

/** Hands waiting (or offered) work to an agent; it leaves the wait queue at once. */
export function pickWork(itemId: string, agentId: string): Promise<Result<WorkItemView>> {
  return tracked(`pick:${itemId}`, async () => {
    const sync = deskSync();
    if (!sync) return fail('UNAVAILABLE', 'not signed in');
    const result = await sync.send('queue.pick', { itemId, agentId });
    if (result.ok) useSupervisionStore.getState().workChanged(result.value);
    // Refused (e.g. it was answered meanwhile): show the queue as it is now.
    else void refreshWaitQueue();
    return result;
  });
}

/** Gives a conversation to another agent; once it is theirs it leaves my inbox. */
export function reassignConversation(conversationId: string, agentId: string): Promise<Result<Conversation>> {
  return tracked(`reassign:${conversationId}`, async () => {
    const sync = deskSync();
    if (!sync) return fail('UNAVAILABLE', 'not signed in');
    const result = await sync.send('conversation.reassign', { conversationId, agentId });
    if (result.ok) {
      const inbox = useInboxStore.getState();
      if (result.value.assigneeId === useSessionStore.getState().user?.id)
        inbox.conversationChanged(result.value);
      else inbox.conversationRemoved(result.value.id);
    }
    return result;
  });
}
