/**
 * Hub events → store actions. One entry per event type; the type checker
 * makes sure each handler gets the payload of its event.
 */
import type { z } from 'zod';
import { AgentStatus, Conversation, Message, MessageDelivery } from '@shared/domain';
import {
  OfferPayload,
  OfferWithdrawn,
  WorkItemView,
  type DeskEvent,
  type DeskEventPayloads,
  type DeskEventType,
} from '@shared/protocol';
import { createLogger } from '@renderer/lib/log';
import { useAgentStore } from '@renderer/stores/agent';
import { useDeliveriesStore } from '@renderer/stores/deliveries';
import { useInboxStore } from '@renderer/stores/inbox';
import { useOffersStore } from '@renderer/stores/offers';
import { useSessionStore } from '@renderer/stores/session';
import { useWorkStore } from '@renderer/stores/work';

const log = createLogger('events');

/** The inbox lists my conversations: one assigned elsewhere leaves it. */
function conversationChanged(conversation: Conversation): void {
  const inbox = useInboxStore.getState();
  if (conversation.assigneeId === useSessionStore.getState().user?.id)
    inbox.conversationChanged(conversation);
  else inbox.conversationRemoved(conversation.id);
}

/** My work moved on: keep it while active or in wrap-up; an item past `offered` is no longer an offer. */
function workUpdated(item: WorkItemView): void {
  useWorkStore.getState().workUpdated(item, useSessionStore.getState().user?.id ?? null);
  if (item.status !== 'offered') useOffersStore.getState().offerSettled(item.id);
}

type Handlers = { [K in DeskEventType]: (payload: DeskEventPayloads[K]) => void };

export const eventHandlers: Handlers = {
  'agent.state_changed': (status) => {
    if (status.userId === useSessionStore.getState().user?.id) useAgentStore.getState().statusChanged(status);
  },
  'conversation.created': (c) => conversationChanged(c),
  'conversation.assigned': (c) => conversationChanged(c),
  'conversation.updated': (c) => conversationChanged(c),
  'message.created': (m) => {
    useInboxStore.getState().messageCreated(m);
    useDeliveriesStore.getState().messagesSeen([m]);
  },
  'message.delivery_updated': (d) => useDeliveriesStore.getState().deliveryUpdated(d),
  'offer.created': (offer) => useOffersStore.getState().offerCreated(offer),
  'offer.withdrawn': (withdrawn) => useOffersStore.getState().offerWithdrawn(withdrawn),
  'work.updated': (item) => workUpdated(item),
};

/** The payload schema of each event: nothing reaches a store unvalidated. */
const payloadSchemas: { [K in DeskEventType]: z.ZodType<DeskEventPayloads[K]> } = {
  'agent.state_changed': AgentStatus,
  'conversation.created': Conversation,
  'conversation.assigned': Conversation,
  'conversation.updated': Conversation,
  'message.created': Message,
  'message.delivery_updated': MessageDelivery,
  'offer.created': OfferPayload,
  'offer.withdrawn': OfferWithdrawn,
  'work.updated': WorkItemView,
};

/** Applies one event; unknown types (a newer hub) are ignored, malformed payloads logged and skipped. */
export function dispatchDeskEvent(event: DeskEvent): void {
  const type = event.type as string;
  if (!Object.hasOwn(eventHandlers, type)) return;
  const parsed = payloadSchemas[event.type].safeParse(event.payload);
  if (!parsed.success) {
    log.warn(`dropped malformed ${type} payload`, parsed.error.issues);
    return;
  }
  (eventHandlers[event.type] as (payload: unknown) => void)(parsed.data);
}
