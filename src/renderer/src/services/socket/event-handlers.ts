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
import { ConversationDetails, NoteMentioned, SurveyAnswered } from '@shared/conversation-tools';
import { loadCustomer } from '@renderer/services/customer/customer-actions';
import { useCustomerStore } from '@renderer/stores/customer';
import { i18next } from '@renderer/i18n';
import { createLogger } from '@renderer/lib/log';
import { notifyMention } from '@renderer/services/conversation/conversation-actions';
import { useConversationToolsStore } from '@renderer/stores/conversation-tools';
import { useAgentStore } from '@renderer/stores/agent';
import { useDeliveriesStore } from '@renderer/stores/deliveries';
import { refreshRow } from '@renderer/services/inbox-loader';
import { useInboxStore } from '@renderer/stores/inbox';
import { useOffersStore } from '@renderer/stores/offers';
import { useSessionStore } from '@renderer/stores/session';
import { useWorkStore } from '@renderer/stores/work';

const log = createLogger('events');

/** My conversations: one assigned elsewhere leaves them. The filtered list applies its own rules. */
function conversationChanged(conversation: Conversation): void {
  const inbox = useInboxStore.getState();
  const known = inbox.list.items[conversation.id];
  inbox.liveConversation(conversation);
  // A row first seen in an event lacks the customer's name, tags and first reply: fetch it.
  if (!known) void refreshRow(conversation.id);
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
  'conversation.tags_changed': (details) => useConversationToolsStore.getState().detailsChanged(details),
  'survey.answered': (survey) => {
    if (useCustomerStore.getState().customerId === survey.customerId) void loadCustomer(survey.customerId);
  },
  'note.mentioned': (mention) => {
    const tools = useConversationToolsStore.getState();
    const known = tools.mentions.some((m) => m.messageId === mention.messageId);
    tools.mentioned(mention);
    if (!known) {
      const title = i18next.t('conversation.mentionNotificationTitle', { name: mention.authorName });
      notifyMention(title, mention.body.slice(0, 1000), mention.conversationId);
    }
  },
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
  'conversation.tags_changed': ConversationDetails,
  'note.mentioned': NoteMentioned,
  'survey.answered': SurveyAnswered,
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
