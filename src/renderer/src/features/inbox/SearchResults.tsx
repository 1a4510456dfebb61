/**
 * Search hits: the matching message (masked as everywhere) with the match
 * marked, newest first. A listbox like the list: arrow keys, Home/End, Enter.
 */
import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { openConversation } from '@renderer/services/desk-session';
import { useInboxStore } from '@renderer/stores/inbox';
import { ConversationRow } from './ConversationRow';
import { highlightParts, snippetAround } from './highlight';

const hitId = (messageId: string): string => `inbox-hit-${messageId}`;

export function SearchResults({ timeFormat }: { timeFormat: Intl.DateTimeFormat }) {
  const { t } = useTranslation();
  const search = useInboxStore((s) => s.search);
  const selectedId = useInboxStore((s) => s.selectedId);
  const hits = search.result?.hits ?? [];
  const [active, setActive] = useState(0);
  const activeIndex = Math.min(active, Math.max(0, hits.length - 1));
  const activeHit = hits[activeIndex];

  const move = (to: number) => {
    const next = Math.max(0, Math.min(hits.length - 1, to));
    setActive(next);
    const hit = hits[next];
    if (hit) document.getElementById(hitId(hit.message.id))?.scrollIntoView({ block: 'nearest' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      Home: () => move(0),
      End: () => move(hits.length - 1),
      Enter: () => activeHit && openConversation(activeHit.conversation.id),
      ' ': () => activeHit && openConversation(activeHit.conversation.id),
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

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
      <div
        className="inbox-list"
        role="listbox"
        aria-label={t('inbox.search.resultsLabel')}
        tabIndex={0}
        aria-activedescendant={activeHit ? hitId(activeHit.message.id) : undefined}
        onKeyDown={onKeyDown}
      >
        {hits.map(({ message, conversation }, index) => (
          <div
            key={message.id}
            id={hitId(message.id)}
            role="option"
            aria-selected={conversation.id === selectedId}
            className={`inbox-row inbox-row--static${index === activeIndex ? ' inbox-row--active' : ''}`}
            onClick={() => {
              setActive(index);
              openConversation(conversation.id);
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
