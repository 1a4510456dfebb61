/**
 * What the conversation view shows beside the messages: the site's directory
 * for its tools (agents, queues, reply limits, canned responses), each
 * conversation's tags and snooze, who else is looking at it (presence), the
 * customer's typing and read receipts, how far back its history is loaded,
 * its attachments, and the notes that mentioned me. Kept out of the inbox
 * store so the inbox list stays its own.
 */
import { create } from 'zustand';
import type {
  CannedResponseView,
  ConversationDetails,
  ConversationViewer,
  NoteMentioned,
  ReplyLimits,
} from '@shared/conversation-tools';

// ---- State
export interface DirectoryAgent {
  id: string;
  username: string;
  displayName: string;
  role: string;
}
export interface DirectoryQueue {
  id: string;
  name: string;
  channels: string[];
}
export interface ConversationDirectory {
  agents: DirectoryAgent[];
  queues: DirectoryQueue[];
  replyLimits: ReplyLimits;
  canned: CannedResponseView[];
}
export interface AttachmentInfo {
  id: string;
  messageId: string;
  name: string;
  contentType: string;
  size: number;
}
export interface HistoryState {
  loading: boolean;
  /** The hub has nothing older: the first message is loaded. */
  exhausted: boolean;
}
export interface VisitorState {
  typing: boolean;
  /** Replies sent at or before this time have been read by the customer. */
  readUpTo: string | null;
}

export interface ConversationToolsState {
  directory: ConversationDirectory | null;
  details: Record<string, ConversationDetails>;
  presence: Record<string, ConversationViewer[]>;
  visitor: Record<string, VisitorState>;
  history: Record<string, HistoryState>;
  attachments: Record<string, Record<string, AttachmentInfo>>;
  mentions: NoteMentioned[];
}

export const getInitialState = (): ConversationToolsState => ({
  directory: null,
  details: {},
  presence: {},
  visitor: {},
  history: {},
  attachments: {},
  mentions: [],
});

// ---- Actions
export interface ConversationToolsActions {
  directoryLoaded(directory: ConversationDirectory): void;
  detailsChanged(details: ConversationDetails): void;
  presenceChanged(conversationId: string, viewers: ConversationViewer[]): void;
  visitorSignal(conversationId: string, signal: { typing?: boolean; readUpTo?: string }): void;
  olderStarted(conversationId: string): void;
  /** A page of older messages arrived: fewer than asked for means the start is reached. */
  olderLoaded(conversationId: string, received: number, asked: number): void;
  olderFailed(conversationId: string): void;
  attachmentsLoaded(conversationId: string, list: AttachmentInfo[]): void;
  /** A note mentioned me; the same note twice (a replay) is kept once. */
  mentioned(mention: NoteMentioned): void;
  mentionDismissed(messageId: string): void;
  reset(): void;
}

const NO_HISTORY: HistoryState = { loading: false, exhausted: false };

export const useConversationToolsStore = create<ConversationToolsState & ConversationToolsActions>()(
  (set) => ({
    ...getInitialState(),
    directoryLoaded: (directory) => set({ directory }),
    detailsChanged: (details) =>
      set((s) => ({ details: { ...s.details, [details.conversationId]: details } })),
    presenceChanged: (conversationId, viewers) =>
      set((s) => ({ presence: { ...s.presence, [conversationId]: viewers } })),
    visitorSignal: (conversationId, signal) =>
      set((s) => {
        const was = s.visitor[conversationId] ?? { typing: false, readUpTo: null };
        const readUpTo =
          signal.readUpTo && (!was.readUpTo || Date.parse(signal.readUpTo) > Date.parse(was.readUpTo))
            ? signal.readUpTo
            : was.readUpTo;
        return {
          visitor: { ...s.visitor, [conversationId]: { typing: signal.typing ?? was.typing, readUpTo } },
        };
      }),
    olderStarted: (conversationId) =>
      set((s) => ({
        history: {
          ...s.history,
          [conversationId]: { ...(s.history[conversationId] ?? NO_HISTORY), loading: true },
        },
      })),
    olderLoaded: (conversationId, received, asked) =>
      set((s) => ({
        history: { ...s.history, [conversationId]: { loading: false, exhausted: received < asked } },
      })),
    olderFailed: (conversationId) =>
      set((s) => ({
        history: {
          ...s.history,
          [conversationId]: { ...(s.history[conversationId] ?? NO_HISTORY), loading: false },
        },
      })),
    attachmentsLoaded: (conversationId, list) =>
      set((s) => ({
        attachments: {
          ...s.attachments,
          [conversationId]: {
            ...s.attachments[conversationId],
            ...Object.fromEntries(list.map((a) => [a.messageId, a])),
          },
        },
      })),
    mentioned: (mention) =>
      set((s) =>
        s.mentions.some((m) => m.messageId === mention.messageId)
          ? s
          : { mentions: [mention, ...s.mentions] },
      ),
    mentionDismissed: (messageId) =>
      set((s) => ({ mentions: s.mentions.filter((m) => m.messageId !== messageId) })),
    reset: () => set(getInitialState()),
  }),
);

// ---- Selectors
const NO_VIEWERS: ConversationViewer[] = [];
const NO_ATTACHMENTS: Record<string, AttachmentInfo> = {};

export const selectDetailsOf = (id: string | null) => (s: ConversationToolsState) =>
  (id && s.details[id]) || null;
export const selectViewersOf = (id: string | null) => (s: ConversationToolsState) =>
  (id && s.presence[id]) || NO_VIEWERS;
export const selectHistoryOf = (id: string | null) => (s: ConversationToolsState) =>
  (id && s.history[id]) || NO_HISTORY;
export const selectVisitorOf = (id: string | null) => (s: ConversationToolsState) =>
  (id && s.visitor[id]) || null;
export const selectAttachmentsOf = (id: string | null) => (s: ConversationToolsState) =>
  (id && s.attachments[id]) || NO_ATTACHMENTS;

/** Canned responses whose shortcut or title contains the query (shortcut matches first). */
export function filterCanned(list: readonly CannedResponseView[], query: string): CannedResponseView[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...list];
  const starts = list.filter((c) => c.shortcut.toLowerCase().startsWith(q));
  const rest = list.filter(
    (c) =>
      !starts.includes(c) &&
      (c.shortcut.toLowerCase().includes(q) ||
        c.title.toLowerCase().includes(q) ||
        c.body.toLowerCase().includes(q)),
  );
  return [...starts, ...rest];
}

/** Agents whose username or display name starts with (or contains) the query, never me. */
export function filterAgents(
  list: readonly DirectoryAgent[],
  query: string,
  me: string | null,
): DirectoryAgent[] {
  const q = query.trim().toLowerCase();
  return list.filter(
    (a) =>
      a.id !== me && (!q || a.username.toLowerCase().includes(q) || a.displayName.toLowerCase().includes(q)),
  );
}

/** How an agent is written in a note: the display name when it has no spaces, else the username. */
export const mentionHandle = (a: DirectoryAgent): string =>
  /^\S+$/.test(a.displayName) ? a.displayName : a.username;
