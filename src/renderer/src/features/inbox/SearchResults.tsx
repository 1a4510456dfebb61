/** Search hits: the matching message (masked as everywhere) with the match marked, newest first. */
import { useTranslation } from 'react-i18next';
import { openConversation } from '@renderer/services/desk-session';
import { useInboxStore } from '@renderer/stores/inbox';
import { ConversationRow } from './ConversationRow';
import { highlightParts, snippetAround } from './highlight';

export function SearchResults({ timeFormat }: { timeFormat: Intl.DateTimeFormat }) {
  const { t } = useTranslation();
  const search = useInboxStore((s) => s.search);
  const selectedId = useInboxStore((s) => s.selectedId);
  const hits = search.result?.hits ?? [];

  return (
    <div className="inbox-search-results">
      <p className="inbox-search-results__summary" role="status">
        {search.status === 'loading'
          ? t('inbox.search.searching')
          : search.status === 'failed'
            ? t('inbox.search.failed')
            : t('inbox.search.count', { count: hits.length })}
        {search.result?.mode === 'recent' && hits.length > 0 && ` · ${t('inbox.search.recentOnly')}`}
      </p>
      <div className="inbox-list" role="listbox" aria-label={t('inbox.search.resultsLabel')}>
        {hits.map(({ message, conversation }) => (
          <div
            key={message.id}
            role="option"
            tabIndex={-1}
            aria-selected={conversation.id === selectedId}
            className="inbox-row inbox-row--static"
            onClick={() => openConversation(conversation.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                openConversation(conversation.id);
              }
            }}
          >
            <ConversationRow
              item={conversation}
              timeFormat={timeFormat}
              detail={highlightParts(snippetAround(message.body, search.query), search.query).map((p, i) =>
                p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
              )}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
