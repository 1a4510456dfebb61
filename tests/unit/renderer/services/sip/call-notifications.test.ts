/** A ringing call notifies the OS once, and only while the desk is not in front. */
import i18next from 'i18next';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import ko from '@renderer/i18n/ko';
import { getInitialState, useCallsStore, type DeskCall } from '@renderer/stores/calls';

const host = vi.hoisted(() => ({
  notify: vi.fn(async (_n: { title: string; body: string; tag?: string }) => ({
    ok: true as const,
    value: null,
  })),
}));
vi.mock('@renderer/host/get-host', () => ({ getHost: () => host }));

const { listenForCallNotifications } = await import('@renderer/services/sip/call-notifications');

function setCall(patch: Partial<DeskCall> | null) {
  useCallsStore.setState({
    active:
      patch &&
      ({
        id: 'c1',
        direction: 'inbound',
        remote: '+821012345678',
        remoteName: null,
        state: 'incoming',
        muted: false,
        ...patch,
      } as DeskCall),
  });
}

beforeAll(async () => {
  await i18next.init({
    resources: { ko: { translation: ko } },
    lng: 'ko',
    interpolation: { escapeValue: false },
  });
});
beforeEach(() => {
  useCallsStore.setState(getInitialState());
  host.notify.mockClear();
});

describe('incoming call notifications', () => {
  it('notifies once per ringing call while the desk is behind other windows', () => {
    const stop = listenForCallNotifications(() => false);
    setCall({ remoteName: '김고객' });
    setCall({ remoteName: '김고객', muted: true });
    expect(host.notify).toHaveBeenCalledTimes(1);
    expect(host.notify.mock.calls[0]![0]).toEqual({
      title: '전화가 왔습니다',
      body: '김고객 · 010-1234-5678',
      tag: 'call:c1',
    });
    setCall({ state: 'active' });
    setCall({ id: 'c2', remote: '1001' });
    expect(host.notify).toHaveBeenCalledTimes(2);
    expect(host.notify.mock.calls[1]![0]).toMatchObject({ body: '1001', tag: 'call:c2' });
    stop();
    setCall({ id: 'c3' });
    expect(host.notify).toHaveBeenCalledTimes(2);
  });

  it('stays quiet when the agent is looking at the desk, and for calls the agent makes', () => {
    const stop = listenForCallNotifications(() => true);
    setCall({});
    stop();
    const stop2 = listenForCallNotifications(() => false);
    setCall({ id: 'out', direction: 'outbound', state: 'dialing' });
    expect(host.notify).not.toHaveBeenCalled();
    stop2();
  });
});
