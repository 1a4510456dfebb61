import { beforeEach, describe, expect, it } from 'vitest';
import type { EmailView } from '@shared/email';
import { getInitialState, selectEmailView, useEmailStore } from '@renderer/stores/email';

const view = (messageId: string): EmailView => ({
  messageId,
  direction: 'in',
  subject: '배송 문의',
  from: { address: 'kim@customer.test', name: '김고객' },
  to: ['help@ieum.test'],
  cc: [],
  html: '<p>안녕하세요</p>',
  quotedHtml: null,
  quotedText: null,
  attachments: [],
  status: 'received',
  statusDetail: null,
  auto: null,
});

describe('email store', () => {
  beforeEach(() => useEmailStore.setState(getInitialState()));

  it('keeps views by message across loads of a conversation, and a failed load clears its flag', () => {
    const s = useEmailStore.getState();
    s.loadStarted('c1');
    expect(useEmailStore.getState().loading.c1).toBe(true);
    s.loaded('c1', [view('m1')]);
    s.loadStarted('c1');
    s.loaded('c1', [view('m1'), view('m2')]);
    const state = useEmailStore.getState();
    expect(Object.keys(state.views).sort()).toEqual(['m1', 'm2']);
    expect(state.loading.c1).toBeUndefined();
    expect(selectEmailView('m2')(state)?.subject).toBe('배송 문의');
    s.loadStarted('c2');
    s.loadFailed('c2', { code: 'UNAVAILABLE', message: 'hub unreachable' });
    expect(useEmailStore.getState().loading.c2).toBeUndefined();
    expect(useEmailStore.getState().errors.c2?.code).toBe('UNAVAILABLE');
    expect(selectEmailView('m1')(useEmailStore.getState())).toBeDefined();
  });
});
