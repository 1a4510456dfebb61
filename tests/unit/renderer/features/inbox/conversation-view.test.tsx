/**
 * The conversation view rendered to HTML (no browser needed): a customer's
 * HTML is text, the collision warning names who views and who types, read
 * receipts mark replies up to the customer's last read, the customer's
 * typing shows, and the canned popup is a listbox with one selected option.
 */
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import type * as Zustand from 'zustand';
import type { StateCreator } from 'zustand/vanilla';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Message } from '@shared/domain';
import { ConversationView } from '@renderer/features/inbox/ConversationView';
import { SuggestionList } from '@renderer/features/inbox/SuggestionList';
import ko from '@renderer/i18n/ko';
import {
  getInitialState as toolsInitial,
  useConversationToolsStore,
} from '@renderer/stores/conversation-tools';
import { getInitialState as inboxInitial, useInboxStore } from '@renderer/stores/inbox';

// Server rendering reads a zustand store's initial state; these tests want what each one set.
vi.mock('zustand', async (importOriginal) => {
  const actual = await importOriginal<typeof Zustand>();
  const { createStore } = await import('zustand/vanilla');
  const React = await import('react');
  type Init = StateCreator<unknown>;
  const create = (init: Init) => {
    const api = createStore<unknown>(init);
    const hook = (select: (s: unknown) => unknown = (s) => s) =>
      React.useSyncExternalStore(
        api.subscribe,
        () => select(api.getState()),
        () => select(api.getState()),
      );
    return Object.assign(hook, api);
  };
  return { ...actual, create: (init?: Init) => (init ? create(init) : create) };
});

const conversation: Conversation = {
  id: 'c1',
  siteId: 's1',
  customerId: 'k1',
  channel: 'webchat',
  queueId: null,
  status: 'open',
  priority: 0,
  assigneeId: 'a1',
  subject: '배송 문의',
  waitingSince: null,
  createdAt: '2026-11-23T09:00:00.000Z',
  lastMessageAt: '2026-11-23T09:03:00.000Z',
};
const message = (id: string, direction: Message['direction'], body: string, minute: number): Message => ({
  id,
  conversationId: 'c1',
  direction,
  authorId: direction === 'in' ? null : 'a1',
  body,
  clientId: null,
  createdAt: new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString(),
});

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { ko: { translation: ko } },
    lng: 'ko',
    interpolation: { escapeValue: false },
  });
});
beforeEach(() => {
  useInboxStore.setState(inboxInitial());
  useConversationToolsStore.setState(toolsInitial());
});

function render(): string {
  return renderToStaticMarkup(<ConversationView />);
}

describe('ConversationView', () => {
  it('shows a customer’s HTML as text, never as markup', () => {
    useInboxStore.setState({
      conversations: { c1: conversation },
      selectedId: 'c1',
      messages: { c1: [message('m1', 'in', '<img src=x onerror=alert(1)><script>alert(2)</script>', 1)] },
    });
    const html = render();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src="x"');
  });

  it('names who else views and who types; marks replies the customer has read; shows the customer typing', () => {
    useInboxStore.setState({
      conversations: { c1: conversation },
      selectedId: 'c1',
      messages: {
        c1: [
          message('m1', 'in', '안녕하세요', 1),
          message('m2', 'out', '첫 답장', 2),
          message('m3', 'out', '둘째 답장', 3),
        ],
      },
    });
    useConversationToolsStore.setState({
      presence: {
        c1: [
          { userId: 's1', name: '박서연', typing: true },
          { userId: 'a2', name: '이준호', typing: false },
        ],
      },
      visitor: { c1: { typing: true, readUpTo: new Date(Date.UTC(2026, 10, 23, 9, 2)).toISOString() } },
    });
    const html = render();
    expect(html).toContain('박서연님이 입력 중');
    expect(html).toContain('이준호님이 보고 있음');
    expect(html).toContain('고객이 입력 중…');
    // Only the first reply is read.
    expect(html.split('· 읽음').length - 1).toBe(1);
    expect(html.indexOf('· 읽음')).toBeLessThan(html.indexOf('둘째 답장'));
  });

  it('without anyone else there, the collision warning is empty', () => {
    useInboxStore.setState({ conversations: { c1: conversation }, selectedId: 'c1', messages: { c1: [] } });
    expect(render()).not.toMatch(/보고 있음|입력 중/);
  });
});

describe('SuggestionList', () => {
  it('is a listbox whose active option is selected', () => {
    const html = renderToStaticMarkup(
      <SuggestionList
        id="l"
        label="상용구"
        items={[
          { id: 'a', label: '/hello · 첫 인사' },
          { id: 'b', label: '/thanks · 마무리 인사' },
        ]}
        active={1}
        empty="없음"
        onPick={() => undefined}
      />,
    );
    expect(html).toContain('role="listbox" aria-label="상용구"');
    expect(html).toMatch(/id="l-opt-0" role="option" aria-selected="false"/);
    expect(html).toMatch(/id="l-opt-1" role="option" aria-selected="true"/);
  });
});
