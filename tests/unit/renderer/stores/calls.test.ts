import { beforeEach, describe, expect, it } from 'vitest';
import { getInitialState, useCallsStore } from '@renderer/stores/calls';

const store = () => useCallsStore.getState();

describe('calls store', () => {
  beforeEach(() => useCallsStore.setState(getInitialState()));

  it('follows a call through answer, hold and resume, adding up hold time', () => {
    store().callStarted(
      { id: 'c1', direction: 'inbound', remote: '01012345678', remoteName: null, state: 'incoming' },
      1_000,
    );
    store().callAnswered('c1', 2_000);
    store().callHeld('c1', true, 5_000);
    expect(store().active).toMatchObject({ state: 'held', heldSince: 5_000 });
    store().callHeld('c1', false, 8_000);
    expect(store().active).toMatchObject({
      state: 'active',
      heldSince: null,
      heldMs: 3_000,
      answeredAt: 2_000,
    });
    store().dtmfSent('c1', '1');
    store().dtmfSent('c1', '#');
    expect(store().active?.dtmf).toBe('1#');
    store().callEnded('c1');
    expect(store().active).toBeNull();
  });

  it('ignores news about another call', () => {
    store().callStarted(
      { id: 'c1', direction: 'outbound', remote: 'agent2', remoteName: null, state: 'dialing' },
      0,
    );
    store().callAnswered('other', 1);
    store().callEnded('other');
    expect(store().active).toMatchObject({ id: 'c1', state: 'dialing' });
  });

  it('clears the problem once registered', () => {
    store().registrationChanged('reconnecting', 'server_unreachable');
    expect(store().problem).toBe('server_unreachable');
    store().registrationChanged('registering');
    expect(store().problem).toBe('server_unreachable');
    store().registrationChanged('registered');
    expect(store().problem).toBeNull();
  });
});
