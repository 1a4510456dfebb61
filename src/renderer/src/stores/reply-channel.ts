/**
 * The channel an agent picked for replies in a conversation when it is not
 * the conversation's own (answer a web chat or a call-back by SMS). Replies
 * carry it to the hub, which sends them through that channel and records
 * the switch. Kept for the session only: a new day starts on the customer's
 * own channel.
 */
import { create } from 'zustand';
import type { Channel } from '@shared/domain';

// ---- State
export interface ReplyChannelState {
  chosen: Record<string, Channel>;
}

export const getInitialState = (): ReplyChannelState => ({ chosen: {} });

// ---- Actions
export interface ReplyChannelActions {
  /** `null` (or the conversation's own channel) goes back to replying on the conversation's channel. */
  choose(conversationId: string, channel: Channel | null): void;
  reset(): void;
}

export const useReplyChannelStore = create<ReplyChannelState & ReplyChannelActions>()((set) => ({
  ...getInitialState(),
  choose: (conversationId, channel) =>
    set((s) => {
      const { [conversationId]: _previous, ...rest } = s.chosen;
      return { chosen: channel ? { ...rest, [conversationId]: channel } : rest };
    }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectReplyChannel =
  (conversationId: string, own: Channel) =>
  (s: ReplyChannelState): Channel =>
    s.chosen[conversationId] ?? own;
