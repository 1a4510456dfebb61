/** My conversations, and the open one's messages with a composer. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { openConversation } from '@renderer/services/desk-session';
import { selectConversations, sortConversations, useInboxStore } from '@renderer/stores/inbox';
import { ConversationView } from './ConversationView';

export function InboxPane({ headingId }: { headingId: string }) {
  const { t, i18n } = useTranslation();
  const conversations = useInboxStore(selectConversations);
  const selectedId = useInboxStore((s) => s.selectedId);
  const loading = useInboxStore((s) => s.loading);
  const list = useMemo(() => sortConversations(Object.values(conversations)), [conversations]);
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }),
    [i18n.language],
  );

  return (
    <div className="inbox">
      <div className="inbox__list">
        <h2 id={headingId} className="pane-heading">
          {t('inbox.heading')}
          <span className="count">{list.length}</span>
        </h2>
        {list.length === 0 ? (
          <p className="empty">{loading ? t('inbox.loading') : t('inbox.empty')}</p>
        ) : (
          <ul aria-label={t('inbox.listLabel')} className="conversation-list">
            {list.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="conversation-item"
                  aria-current={c.id === selectedId ? 'true' : undefined}
                  onClick={() => openConversation(c.id)}
                >
                  <span className="conversation-item__subject">{c.subject ?? t('inbox.untitled')}</span>
                  <span className="conversation-item__meta">
                    <span className={`chip chip--${c.channel}`}>{t(`inbox.channels.${c.channel}`)}</span>
                    <span className={`chip chip--status-${c.status}`}>{t(`inbox.statuses.${c.status}`)}</span>
                    <time dateTime={c.lastMessageAt ?? c.createdAt}>
                      {timeFormat.format(new Date(c.lastMessageAt ?? c.createdAt))}
                    </time>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <ConversationView />
    </div>
  );
}
