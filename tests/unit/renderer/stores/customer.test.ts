/** The customer 360 store: focus changes, stale answers, paging, notes, and earlier consultations. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CustomerProfile, TimelineItem } from '@shared/customers';
import { getInitialState, previousInteractions, useCustomerStore } from '@renderer/stores/customer';

const store = () => useCustomerStore.getState();

const profile = (id: string): CustomerProfile => ({
  id,
  siteId: 'site',
  name: '홍길동',
  segment: null,
  lifetimeValue: 0,
  phones: [],
  emails: [],
  identities: [],
  consents: [],
  tags: [],
  notes: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  mergedInto: null,
});

const note = (id: string, at: string): TimelineItem => ({ kind: 'note', id, at, body: id, authorName: null });
const conversation = (id: string, at: string): TimelineItem => ({
  kind: 'conversation',
  id,
  at,
  channel: 'webchat',
  subject: null,
  status: 'resolved',
  assigneeName: null,
  createdAt: at,
  messageCount: 0,
  lastMessages: [],
});

beforeEach(() => useCustomerStore.setState(getInitialState()));

describe('customer store', () => {
  it('drops answers for a customer no longer in focus', () => {
    store().focus('a');
    expect(store().loading).toBe(true);
    store().focus('b');
    store().profileLoaded(profile('a'));
    store().timelineLoaded('a', [note('n1', '2026-01-02T00:00:00.000Z')], null, false);
    expect(store().customer).toBeNull();
    expect(store().timeline).toEqual([]);
    store().profileLoaded(profile('b'));
    expect(store().customer?.id).toBe('b');
  });

  it('appends older pages without repeating items', () => {
    store().focus('a');
    store().timelineLoaded('a', [note('n2', '2026-01-03T00:00:00.000Z')], 'cursor', false);
    store().timelineLoaded(
      'a',
      [note('n2', '2026-01-03T00:00:00.000Z'), note('n1', '2026-01-02T00:00:00.000Z')],
      null,
      true,
    );
    expect(store().timeline.map((i) => i.id)).toEqual(['n2', 'n1']);
    expect(store().nextCursor).toBeNull();
    expect(store().loading).toBe(false);
  });

  it('puts a new note on top of the notes and of the timeline, and removes it from both', () => {
    store().focus('a');
    store().profileLoaded(profile('a'));
    store().timelineLoaded('a', [note('old', '2026-01-02T00:00:00.000Z')], null, false);
    store().noteAdded({
      id: 'new',
      customerId: 'a',
      authorId: 'u',
      authorName: '김지은',
      body: '메모',
      createdAt: '2026-01-05T00:00:00.000Z',
    });
    expect(store().customer?.notes.map((n) => n.id)).toEqual(['new']);
    expect(store().timeline.map((i) => i.id)).toEqual(['new', 'old']);
    store().noteRemoved('new');
    expect(store().customer?.notes).toEqual([]);
    expect(store().timeline.map((i) => i.id)).toEqual(['old']);
  });

  it('earlier consultations leave out the open conversation', () => {
    const items = [
      conversation('open', '2026-01-05T00:00:00.000Z'),
      conversation('earlier', '2026-01-01T00:00:00.000Z'),
    ];
    expect(previousInteractions(items, 'open').map((i) => i.id)).toEqual(['earlier']);
    expect(previousInteractions(items, null).map((i) => i.id)).toEqual(['open', 'earlier']);
  });

  it('forgets revealed text when the focus changes', () => {
    store().focus('a');
    store().revealedBody('m1', 'raw');
    expect(store().revealed).toEqual({ m1: 'raw' });
    store().focus('b');
    expect(store().revealed).toEqual({});
  });
});
