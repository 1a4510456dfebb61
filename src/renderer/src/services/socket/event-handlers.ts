/**
 * Hub events → store actions. One entry per event type; the type checker
 * makes sure each handler gets the payload of its event.
 */
import type { Conversation } from '@shared/domain';
import type { DeskEvent, DeskEventPayloads, DeskEventType } from '@shared/protocol';
import { useAgentStore } from '@renderer/stores/agent';
import { useInboxStore } from '@renderer/stores/inbox';
import { useSessionStore } from '@renderer/stores/session';

/** The inbox lists my conversations: one assigned elsewhere leaves it. */
function conversationChanged(conversation: Conversation): void {
  const inbox = useInboxStore.getState();
  if (conversation.assigneeId === useSessionStore.getState().user?.id)
    inbox.conversationChanged(conversation);
  else inbox.conversationRemoved(conversation.id);
}

type Handlers = { [K in DeskEventType]: (payload: DeskEventPayloads[K]) => void };

export const eventHandlers: Handlers = {
  'agent.state_changed': (status) => {
    if (status.userId === useSessionStore.getState().user?.id) useAgentStore.getState().statusChanged(status);
  },
  'conversation.created': (c) => conversationChanged(c),
  'conversation.assigned': (c) => conversationChanged(c),
  'conversation.updated': (c) => conversationChanged(c),
  'message.created': (m) => useInboxStore.getState().messageCreated(m),
};

/** Applies one event; unknown types (a newer hub) are ignored. */
export function dispatchDeskEvent(event: DeskEvent): void {
  const handler = (eventHandlers as Record<string, ((payload: unknown) => void) | undefined>)[event.type];
  handler?.(event.payload);
}
