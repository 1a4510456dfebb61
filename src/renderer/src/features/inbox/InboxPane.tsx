/**
 * The unified inbox: filters and search over a virtualized conversation list
 * on the left; the conversations open as tabs, and the shown one, on the right.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useInboxStore } from '@renderer/stores/inbox';
import { ConversationList } from './ConversationList';
import { ConversationTabs, TAB_PANEL_ID, tabId } from './ConversationTabs';
import { ConversationView } from './ConversationView';
import { InboxFilters } from './InboxFilters';
import { SearchResults } from './SearchResults';
import './inbox-list.css';

export function InboxPane({ headingId }: { headingId: string }) {
  const { t, i18n } = useTranslation();
  // Only the numbers: a page arriving must not re-render the conversation view beside the list.
  const total = useInboxStore((s) => s.list.total);
  const waiting = useInboxStore((s) => s.list.waiting);
  const loaded = useInboxStore((s) => s.list.loaded);
  const empty = useInboxStore((s) => s.list.ids.length === 0);
  const searching = useInboxStore((s) => s.search.query !== '');
  const selectedId = useInboxStore((s) => s.selectedId);
  const hasTabs = useInboxStore((s) => s.tabs.length > 0);
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }),
    [i18n.language],
  );

  return (
    <div className="inbox">
      <div className="inbox__list">
        <h2 id={headingId} className="pane-heading">
          {t('inbox.heading')}
          <span className="count" aria-label={t('inbox.totalLabel', { count: total })}>
            {total}
          </span>
          {waiting > 0 && (
            <span className="count count--waiting" aria-label={t('inbox.waitingLabel', { count: waiting })}>
              {waiting}
            </span>
          )}
        </h2>
        <InboxFilters />
        {searching ? (
          <SearchResults timeFormat={timeFormat} />
        ) : loaded && total === 0 && empty ? (
          <p className="empty">{t('inbox.empty')}</p>
        ) : !loaded && empty ? (
          <p className="empty">{t('inbox.loading')}</p>
        ) : (
          <ConversationList timeFormat={timeFormat} />
        )}
      </div>
      <div className="inbox__work">
        <ConversationTabs />
        <div
          className="inbox__panel"
          {...(hasTabs && selectedId
            ? { role: 'tabpanel', id: TAB_PANEL_ID, 'aria-labelledby': tabId(selectedId) }
            : {})}
        >
          <ConversationView />
        </div>
      </div>
    </div>
  );
}
