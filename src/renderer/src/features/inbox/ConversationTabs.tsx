/**
 * The conversations open at once, as tabs: each with its unread count (the
 * customer wrote while another tab was shown) and its SLA timer. Viewing a
 * tab reads it. Arrow keys move between tabs, Delete closes one.
 */
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { InboxItem } from '@shared/inbox';
import { openConversation } from '@renderer/services/desk-session';
import { type InboxState, useInboxStore } from '@renderer/stores/inbox';
import { SlaTimer } from './SlaTimer';

export const tabId = (conversationId: string): string => `conversation-tab-${conversationId}`;
export const TAB_PANEL_ID = 'conversation-tab-panel';

type TabRow = Pick<InboxItem, 'id' | 'subject' | 'status'> &
  Partial<Pick<InboxItem, 'customerName' | 'sla' | 'firstResponseDueAt' | 'nextResponseDueAt'>>;

function rowOf(s: InboxState, id: string): TabRow | null {
  return (
    s.list.items[id] ??
    s.search.result?.hits.find((h) => h.conversation.id === id)?.conversation ??
    s.conversations[id] ??
    null
  );
}

export function ConversationTabs() {
  const { t } = useTranslation();
  const tabs = useInboxStore((s) => s.tabs);
  const selectedId = useInboxStore((s) => s.selectedId);
  const unread = useInboxStore((s) => s.unread);
  const rows = useInboxStore(useShallow((s) => s.tabs.map((id) => rowOf(s, id))));
  const closeTab = useInboxStore((s) => s.closeTab);
  if (tabs.length === 0) return null;

  const focusTab = (id: string | undefined) => {
    if (!id) return;
    openConversation(id);
    document.getElementById(tabId(id))?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => focusTab(tabs[(index + 1) % tabs.length]),
      ArrowLeft: () => focusTab(tabs[(index - 1 + tabs.length) % tabs.length]),
      Home: () => focusTab(tabs[0]),
      End: () => focusTab(tabs.at(-1)),
      Delete: () => closeTab(tabs[index]!),
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  return (
    <div className="conversation-tabs" role="tablist" aria-label={t('inbox.tabs.label')}>
      {tabs.map((id, index) => {
        const row = rows[index];
        const count = unread[id] ?? 0;
        const title = row ? (row.customerName ?? row.subject ?? t('inbox.untitled')) : t('inbox.untitled');
        return (
          <div
            key={id}
            className={`conversation-tab${id === selectedId ? ' conversation-tab--selected' : ''}`}
          >
            <button
              type="button"
              role="tab"
              id={tabId(id)}
              aria-selected={id === selectedId}
              aria-controls={TAB_PANEL_ID}
              tabIndex={id === selectedId ? 0 : -1}
              onClick={() => openConversation(id)}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              <span className="conversation-tab__title">{title}</span>
              {count > 0 && (
                <span className="conversation-tab__unread" aria-label={t('inbox.tabs.unread', { count })}>
                  {count}
                </span>
              )}
              {row?.sla && (
                <SlaTimer
                  item={{
                    sla: row.sla,
                    firstResponseDueAt: row.firstResponseDueAt ?? null,
                    nextResponseDueAt: row.nextResponseDueAt ?? null,
                  }}
                />
              )}
            </button>
            <button
              type="button"
              className="conversation-tab__close"
              aria-label={t('inbox.tabs.close', { title })}
              onClick={() => closeTab(id)}
            >
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
