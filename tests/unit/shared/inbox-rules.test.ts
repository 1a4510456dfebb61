import { describe, expect, it } from 'vitest';
import {
  InboxListCommand,
  InboxSearchCommand,
  applyMessageToItem,
  compareInboxOrder,
  cursorOf,
  matchesInboxFilter,
  mergeConversation,
} from '@shared/inbox';
import { item } from '../renderer/fixtures/inbox';

const viewer = { userId: 'me', teamAgentIds: ['me', 'mate'] };

describe('inbox filter rules', () => {
  it('scopes: mine, unassigned (not resolved), team, all', () => {
    const mine = item('a');
    const mate = item('b', { assigneeId: 'mate' });
    const stranger = item('c', { assigneeId: 'other' });
    const free = item('d', { assigneeId: null, status: 'pending' });
    const freeDone = item('e', { assigneeId: null, status: 'resolved' });
    const pick = (scope: 'mine' | 'unassigned' | 'team' | 'all') =>
      [mine, mate, stranger, free, freeDone]
        .filter((c) => matchesInboxFilter(c, { scope }, viewer))
        .map((c) => c.id);
    expect(pick('mine')).toEqual(['a']);
    expect(pick('unassigned')).toEqual(['d']);
    expect(pick('team')).toEqual(['a', 'b']);
    expect(pick('all')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(matchesInboxFilter(mine, { scope: 'team' }, { userId: 'me', teamAgentIds: [] })).toBe(false);
  });

  it('status, channel, queue and tag must all match', () => {
    const c = item('a', { status: 'pending', channel: 'email', queueId: 'q2', tags: ['vip', '환불'] });
    const f = { scope: 'mine' as const };
    expect(
      matchesInboxFilter(
        c,
        { ...f, status: 'pending', channel: 'email', queueId: 'q2', tag: '환불' },
        viewer,
      ),
    ).toBe(true);
    expect(matchesInboxFilter(c, { ...f, status: 'open' }, viewer)).toBe(false);
    expect(matchesInboxFilter(c, { ...f, channel: 'sms' }, viewer)).toBe(false);
    expect(matchesInboxFilter(c, { ...f, queueId: 'q1' }, viewer)).toBe(false);
    expect(matchesInboxFilter(c, { ...f, tag: '배송' }, viewer)).toBe(false);
  });

  it('orders newest activity first, ties by id descending, like the hub’s keyset', () => {
    const rows = [
      item('a', { lastMessageAt: '2026-11-23T09:00:00.000Z' }),
      item('c', { lastMessageAt: '2026-11-23T10:00:00.000Z' }),
      item('b', { lastMessageAt: '2026-11-23T09:00:00.000Z' }),
      item('d', { lastMessageAt: null, createdAt: '2026-11-23T11:00:00.000Z' }),
    ].sort(compareInboxOrder);
    expect(rows.map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(cursorOf(rows[1]!)).toBe(`${Date.parse('2026-11-23T10:00:00.000Z')}.c`);
  });

  it('validates commands: scope, page size, cursor, search length', () => {
    expect(InboxListCommand.safeParse({ scope: 'everyone' }).success).toBe(false);
    expect(InboxListCommand.safeParse({ limit: 501 }).success).toBe(false);
    expect(InboxListCommand.safeParse({ after: "1' OR 1=1" }).success).toBe(false);
    expect(InboxListCommand.parse({})).toEqual({ scope: 'mine', limit: 100 });
    expect(InboxSearchCommand.safeParse({ query: '   ' }).success).toBe(false);
    expect(InboxSearchCommand.safeParse({ query: 'x'.repeat(101) }).success).toBe(false);
    expect(InboxSearchCommand.parse({ query: ' 환불 ' }).query).toBe('환불');
  });
});

describe('messages move the SLA clock on a row', () => {
  it('a customer message starts the wait and the first-response clock', () => {
    const row = applyMessageToItem(item('a'), { direction: 'in', createdAt: '2026-11-23T09:05:00.000Z' });
    expect(row.waitingSince).toBe('2026-11-23T09:05:00.000Z');
    expect(row.lastMessageAt).toBe('2026-11-23T09:05:00.000Z');
    expect(row.firstResponseDueAt).toBe('2026-11-23T09:06:00.000Z');
    // A second one does not restart it.
    const again = applyMessageToItem(row, { direction: 'in', createdAt: '2026-11-23T09:05:30.000Z' });
    expect(again.firstResponseDueAt).toBe('2026-11-23T09:06:00.000Z');
  });

  it('the reply stops it and is the first response; the next customer message runs the next-response clock', () => {
    const waiting = applyMessageToItem(item('a'), { direction: 'in', createdAt: '2026-11-23T09:05:00.000Z' });
    const answered = applyMessageToItem(waiting, { direction: 'out', createdAt: '2026-11-23T09:05:40.000Z' });
    expect(answered).toMatchObject({
      waitingSince: null,
      firstResponseAt: '2026-11-23T09:05:40.000Z',
      firstResponseDueAt: null,
      nextResponseDueAt: null,
    });
    const next = applyMessageToItem(answered, { direction: 'in', createdAt: '2026-11-23T09:07:00.000Z' });
    expect(next.nextResponseDueAt).toBe('2026-11-23T09:09:00.000Z');
    expect(next.firstResponseDueAt).toBeNull();
  });

  it('a note changes nothing', () => {
    const row = item('a', { waitingSince: '2026-11-23T09:05:00.000Z' });
    expect(applyMessageToItem(row, { direction: 'note', createdAt: '2026-11-23T09:09:00.000Z' })).toBe(row);
  });

  it('a conversation event keeps the row’s name and tags and recomputes the clock', () => {
    const row = item('a', { tags: ['vip'], firstResponseAt: '2026-11-23T09:01:00.000Z' });
    const {
      customerName: _n,
      tags: _t,
      firstResponseAt: _f,
      sla: _s,
      firstResponseDueAt: _d,
      nextResponseDueAt: _x,
      ...c
    } = item('a', { status: 'open', waitingSince: '2026-11-23T09:10:00.000Z' });
    const merged = mergeConversation(row, c, () => ({ firstResponseSeconds: 1, nextResponseSeconds: 1 }));
    expect(merged.tags).toEqual(['vip']);
    expect(merged.customerName).toBe('김민준');
    expect(merged.nextResponseDueAt).toBe('2026-11-23T09:12:00.000Z'); // the row's own 120 s target
  });
});
