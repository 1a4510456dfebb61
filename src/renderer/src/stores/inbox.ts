/**
 * Conversations and their messages, from snapshots (`conversation.list`,
 * `message.list`) and from live events. Every write is an upsert by id, so
 * seeing the same message from a snapshot and an event shows it once.
 */
import { create } from 'zustand';
import type { Conversation, Message } from '@shared/domain';

// ---- State
export interface InboxState {
  conversations: Record<string, Conversation>;
  /** Messages per conversation, oldest first. */
  messages: Record<string, Message[]>;
  selectedId: string | null;
  loading: boolean;
}

export const getInitialState = (): InboxState => ({
  conversations: {},
  messages: {},
  selectedId: null,
  loading: false,
});

// ---- Actions
export interface InboxActions {
  setLoading(loading: boolean): void;
  conversationsLoaded(list: Conversation[]): void;
  conversationChanged(conversation: Conversation): void;
  /** No longer mine (reassigned): drop it from the list. */
  conversationRemoved(conversationId: string): void;
  messagesLoaded(conversationId: string, list: Message[]): void;
  messageCreated(message: Message): void;
  select(conversationId: string | null): void;
  reset(): void;
}

const byCreatedAt = (a: Message, b: Message): number =>
  a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : Date.parse(a.createdAt) - Date.parse(b.createdAt);

function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort(byCreatedAt);
}

export const useInboxStore = create<InboxState & InboxActions>()((set) => ({
  ...getInitialState(),
  setLoading: (loading) => set({ loading }),
  conversationsLoaded: (list) =>
    set((s) => ({
      loading: false,
      conversations: { ...s.conversations, ...Object.fromEntries(list.map((c) => [c.id, c])) },
    })),
  conversationChanged: (conversation) =>
    set((s) => ({ conversations: { ...s.conversations, [conversation.id]: conversation } })),
  conversationRemoved: (conversationId) =>
    set((s) => {
      const { [conversationId]: _removed, ...conversations } = s.conversations;
      return { conversations, selectedId: s.selectedId === conversationId ? null : s.selectedId };
    }),
  messagesLoaded: (conversationId, list) =>
    set((s) => ({
      messages: { ...s.messages, [conversationId]: mergeMessages(s.messages[conversationId] ?? [], list) },
    })),
  messageCreated: (message) =>
    set((s) => {
      const conversation = s.conversations[message.conversationId];
      return {
        messages: {
          ...s.messages,
          [message.conversationId]: mergeMessages(s.messages[message.conversationId] ?? [], [message]),
        },
        conversations: conversation
          ? { ...s.conversations, [conversation.id]: { ...conversation, lastMessageAt: message.createdAt } }
          : s.conversations,
      };
    }),
  select: (selectedId) => set({ selectedId }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
const EMPTY: Message[] = [];

/** Open work first, then the most recent activity. */
export function sortConversations(list: Conversation[]): Conversation[] {
  const rank = (c: Conversation): number => (c.status === 'resolved' ? 1 : 0);
  const last = (c: Conversation): number => Date.parse(c.lastMessageAt ?? c.createdAt);
  return [...list].sort((a, b) => rank(a) - rank(b) || last(b) - last(a));
}

export const selectConversations = (s: InboxState): Record<string, Conversation> => s.conversations;
/** Conversations where a customer is waiting for an answer: the desk's badge. */
export const selectWaitingCount = (s: InboxState): number =>
  Object.values(s.conversations).filter((c) => c.waitingSince !== null && c.status !== 'resolved').length;
export const selectSelected = (s: InboxState): Conversation | null =>
  s.selectedId ? (s.conversations[s.selectedId] ?? null) : null;
export const selectMessagesOf =
  (conversationId: string | null) =>
  (s: InboxState): Message[] =>
    (conversationId && s.messages[conversationId]) || EMPTY;
