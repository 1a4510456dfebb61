/** One row of the inbox list or search results: who, what, where it stands, and its SLA timer. */
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxItem } from '@shared/inbox';
import { SlaTimer } from './SlaTimer';

/** Every row has this height (px, as in inbox-list.css): the virtual list places rows by arithmetic, never by measuring. */
export const ROW_HEIGHT = 80;

/** Memoized: while the list scrolls, rows that stay on screen do not re-render. */
export const ConversationRow = memo(function ConversationRow({
  item,
  timeFormat,
  detail,
}: {
  item: InboxItem;
  timeFormat: Intl.DateTimeFormat;
  /** Replaces the subject line (search results show the matching message). */
  detail?: ReactNode;
}) {
  const { t } = useTranslation();
  const at = item.lastMessageAt ?? item.createdAt;
  return (
    <>
      <span className="inbox-row__top">
        <span className="inbox-row__name">{item.customerName ?? t('inbox.unknownCustomer')}</span>
        {item.waitingSince !== null && item.status !== 'resolved' && (
          <span className="inbox-row__waiting" role="img" aria-label={t('inbox.customerWaiting')} />
        )}
        <SlaTimer item={item} />
        <time dateTime={at}>{timeFormat.format(new Date(at))}</time>
      </span>
      <span className="inbox-row__subject">{detail ?? item.subject ?? t('inbox.untitled')}</span>
      <span className="inbox-row__meta">
        <span className={`chip chip--${item.channel}`}>{t(`inbox.channels.${item.channel}`)}</span>
        <span className={`chip chip--status-${item.status}`}>{t(`inbox.statuses.${item.status}`)}</span>
        {item.tags.slice(0, 3).map((tag) => (
          <span key={tag} className="chip chip--tag">
            {tag}
          </span>
        ))}
      </span>
    </>
  );
});
