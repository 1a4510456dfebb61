import { beforeEach, describe, expect, it } from 'vitest';
import type { CannedResponseView, NoteMentioned } from '@shared/conversation-tools';
import type { Message } from '@shared/domain';
import { moveActive, triggerAt } from '@renderer/features/inbox/SuggestionList';
import {
  filterAgents,
  filterCanned,
  getInitialState,
  mentionHandle,
  selectHistoryOf,
  useConversationToolsStore,
} from '@renderer/stores/conversation-tools';
import { latestOrderNumber } from '@renderer/stores/customer-orders';
import { getInitialState as inboxInitial, useInboxStore } from '@renderer/stores/inbox';

const msg = (id: string, minute: number): Message => ({
  id,
  conversationId: 'c1',
  direction: 'in',
  authorId: null,
  body: id,
  clientId: null,
  createdAt: new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString(),
});

beforeEach(() => {
  useConversationToolsStore.setState(getInitialState());
  useInboxStore.setState(inboxInitial());
});

describe('paged history', () => {
  it('a page shorter than asked marks the start; a full one does not', () => {
    const s = useConversationToolsStore.getState();
    s.olderStarted('c1');
    expect(selectHistoryOf('c1')(useConversationToolsStore.getState())).toEqual({
      loading: true,
      exhausted: false,
    });
    s.olderLoaded('c1', 50, 50);
    expect(selectHistoryOf('c1')(useConversationToolsStore.getState()).exhausted).toBe(false);
    s.olderLoaded('c1', 12, 50);
    expect(selectHistoryOf('c1')(useConversationToolsStore.getState())).toEqual({
      loading: false,
      exhausted: true,
    });
  });

  it('an older page and a live message that cross each other show every message once, in order', () => {
    const inbox = useInboxStore.getState();
    inbox.messagesLoaded('c1', [msg('m3', 3), msg('m4', 4)]);
    inbox.messageCreated(msg('m5', 5)); // live, while the older page is on its way
    inbox.messagesLoaded('c1', [msg('m1', 1), msg('m2', 2), msg('m3', 3)]); // overlaps by one
    inbox.messageCreated(msg('m5', 5)); // the same event again after a resume
    expect(useInboxStore.getState().messages.c1!.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });
});

describe('signals and mentions', () => {
  it('read receipts only move forward; typing follows the last signal', () => {
    const s = useConversationToolsStore.getState();
    s.visitorSignal('c1', { typing: true });
    s.visitorSignal('c1', { readUpTo: '2026-11-23T09:05:00.000Z' });
    s.visitorSignal('c1', { readUpTo: '2026-11-23T09:01:00.000Z' });
    expect(useConversationToolsStore.getState().visitor.c1).toEqual({
      typing: true,
      readUpTo: '2026-11-23T09:05:00.000Z',
    });
    s.visitorSignal('c1', { typing: false });
    expect(useConversationToolsStore.getState().visitor.c1!.typing).toBe(false);
  });

  it('the same mention replayed is kept once; dismissing removes it', () => {
    const m: NoteMentioned = {
      conversationId: 'c1',
      messageId: 'n1',
      authorId: 'u1',
      authorName: '김지은',
      body: '@박서연 확인 부탁드립니다',
      subject: null,
      createdAt: '2026-11-23T09:00:00.000Z',
    };
    const s = useConversationToolsStore.getState();
    s.mentioned(m);
    s.mentioned(m);
    expect(useConversationToolsStore.getState().mentions).toHaveLength(1);
    s.mentionDismissed('n1');
    expect(useConversationToolsStore.getState().mentions).toHaveLength(0);
  });
});

describe('composer suggestions', () => {
  const canned = (shortcut: string, title: string, body = ''): CannedResponseView => ({
    id: shortcut,
    shortcut,
    title,
    body,
    attachments: [],
  });
  const list = [
    canned('thanks', '마무리 인사'),
    canned('hello', '첫 인사'),
    canned('order', '주문 확인', '주문번호'),
  ];

  it('filters canned responses: shortcut prefix first, then title or body', () => {
    expect(filterCanned(list, 'hel').map((c) => c.id)).toEqual(['hello']);
    expect(filterCanned(list, '인사').map((c) => c.id)).toEqual(['thanks', 'hello']);
    expect(filterCanned(list, '').map((c) => c.id)).toEqual(['thanks', 'hello', 'order']);
    expect(filterCanned(list, 'zzz')).toEqual([]);
  });

  it('finds the / or @ the caret is in, only at a word start', () => {
    expect(triggerAt('/hel', 4, '/')).toEqual({ start: 0, query: 'hel' });
    expect(triggerAt('네 /or', 5, '/')).toEqual({ start: 2, query: 'or' });
    expect(triggerAt('1/2 입니다', 3, '/')).toBeNull();
    expect(triggerAt('/hello 안녕', 9, '/')).toBeNull();
    expect(triggerAt('메모 @이', 6, '@')).toEqual({ start: 3, query: '이' });
  });

  it('arrow keys wrap around the list', () => {
    expect(moveActive(0, 'ArrowUp', 3)).toBe(2);
    expect(moveActive(2, 'ArrowDown', 3)).toBe(0);
    expect(moveActive(0, 'ArrowDown', 0)).toBe(0);
  });

  it('mention candidates leave me out; a display name with a space is mentioned by username', () => {
    const agents = [
      { id: 'a1', username: 'agent1', displayName: '김지은', role: 'agent' },
      { id: 'a2', username: 'agent2', displayName: '이준호', role: 'agent' },
      { id: 's1', username: 'supervisor1', displayName: 'Park Seoyeon', role: 'supervisor' },
    ];
    expect(filterAgents(agents, '', 'a1').map((a) => a.id)).toEqual(['a2', 's1']);
    expect(filterAgents(agents, 'sup', 'a1').map((a) => a.id)).toEqual(['s1']);
    expect(mentionHandle(agents[1]!)).toBe('이준호');
    expect(mentionHandle(agents[2]!)).toBe('supervisor1');
  });

  it('the order number variable takes the newest order', () => {
    const o = (number: string, day: number) => ({
      number,
      placedAt: new Date(Date.UTC(2026, 10, day)).toISOString(),
      status: '배송 중',
      total: 1000,
      currency: 'KRW',
      items: [],
    });
    expect(latestOrderNumber([o('A', 1), o('C', 20), o('B', 10)])).toBe('C');
    expect(latestOrderNumber([])).toBeNull();
  });
});
