/** The reply channel per conversation: the conversation's own unless the agent picked another. */
import { beforeEach, describe, expect, it } from 'vitest';
import { getInitialState, selectReplyChannel, useReplyChannelStore } from '@renderer/stores/reply-channel';

beforeEach(() => useReplyChannelStore.setState(getInitialState()));

describe('reply channel store', () => {
  it('is the conversation’s own until another is chosen, and back when cleared', () => {
    const own = selectReplyChannel('c1', 'webchat');
    expect(own(useReplyChannelStore.getState())).toBe('webchat');
    useReplyChannelStore.getState().choose('c1', 'sms');
    expect(own(useReplyChannelStore.getState())).toBe('sms');
    expect(selectReplyChannel('c2', 'messenger')(useReplyChannelStore.getState())).toBe('messenger');
    useReplyChannelStore.getState().choose('c1', null);
    expect(own(useReplyChannelStore.getState())).toBe('webchat');
    expect(useReplyChannelStore.getState().chosen).toEqual({});
  });
});
