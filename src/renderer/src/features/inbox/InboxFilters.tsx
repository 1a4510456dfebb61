/** The list's filters (scope, status, channel, queue, tag) and the search box, all labelled controls. */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, CONVERSATION_STATUSES } from '@shared/domain';
import { INBOX_SCOPES, type InboxFilter, type InboxScope } from '@shared/inbox';
import { runSearch, SEARCH_DEBOUNCE_MS, setInboxFilter } from '@renderer/services/inbox-loader';
import { useInboxStore } from '@renderer/stores/inbox';
import { useSessionStore } from '@renderer/stores/session';

const SUPERVISING = ['supervisor', 'site_manager', 'admin'];

export function InboxFilters() {
  const { t } = useTranslation();
  const id = useId();
  const filter = useInboxStore((s) => s.filter);
  const choices = useInboxStore((s) => s.choices);
  const role = useSessionStore((s) => s.user?.role);
  const scopes = INBOX_SCOPES.filter((s) => s !== 'all' || SUPERVISING.includes(role ?? ''));
  const [text, setText] = useState(() => useInboxStore.getState().search.query);

  // Debounced: one search after the agent stops typing, not one per key.
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void runSearch(text), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer.current);
  }, [text]);

  const change = (patch: Partial<InboxFilter>) => {
    const next: InboxFilter = { ...filter, ...patch };
    for (const key of ['status', 'channel', 'queueId', 'tag'] as const) if (!next[key]) delete next[key];
    void setInboxFilter(next);
  };

  return (
    <div className="inbox-filters">
      <div className="inbox-filters__search">
        <label htmlFor={`${id}-q`} className="visually-hidden">
          {t('inbox.search.label')}
        </label>
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          placeholder={t('inbox.search.placeholder')}
          onChange={(e) => setText(e.target.value)}
          maxLength={100}
        />
      </div>
      <div className="inbox-filters__row">
        <div className="inbox-filters__field">
          <label htmlFor={`${id}-scope`}>{t('inbox.filters.scope')}</label>
          <select
            id={`${id}-scope`}
            value={filter.scope}
            onChange={(e) => change({ scope: e.target.value as InboxScope })}
          >
            {scopes.map((s) => (
              <option key={s} value={s}>
                {t(`inbox.scopes.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="inbox-filters__field">
          <label htmlFor={`${id}-status`}>{t('inbox.filters.status')}</label>
          <select
            id={`${id}-status`}
            value={filter.status ?? ''}
            onChange={(e) => change({ status: (e.target.value || undefined) as InboxFilter['status'] })}
          >
            <option value="">{t('inbox.filters.any')}</option>
            {CONVERSATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`inbox.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="inbox-filters__field">
          <label htmlFor={`${id}-channel`}>{t('inbox.filters.channel')}</label>
          <select
            id={`${id}-channel`}
            value={filter.channel ?? ''}
            onChange={(e) => change({ channel: (e.target.value || undefined) as InboxFilter['channel'] })}
          >
            <option value="">{t('inbox.filters.any')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`inbox.channels.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="inbox-filters__field">
          <label htmlFor={`${id}-queue`}>{t('inbox.filters.queue')}</label>
          <select
            id={`${id}-queue`}
            value={filter.queueId ?? ''}
            onChange={(e) => change({ queueId: e.target.value || undefined })}
          >
            <option value="">{t('inbox.filters.any')}</option>
            {choices.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </div>
        <div className="inbox-filters__field">
          <label htmlFor={`${id}-tag`}>{t('inbox.filters.tag')}</label>
          <select
            id={`${id}-tag`}
            value={filter.tag ?? ''}
            onChange={(e) => change({ tag: e.target.value || undefined })}
          >
            <option value="">{t('inbox.filters.any')}</option>
            {choices.tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
      </div>
    </div>
  );
}
