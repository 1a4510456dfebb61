/**
 * Earlier consultations, newest first: conversations on every channel with
 * their last messages, calls with duration and disposition, surveys and
 * notes. The conversation the agent has open is left out — it is on screen.
 * Supervisors may reveal one masked message at a time (audited by the hub).
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '@shared/customers';
import type { Message } from '@shared/domain';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { formatDuration } from '@renderer/lib/use-now';
import { loadOlder, revealMessage } from '@renderer/services/customer/customer-actions';
import { displayNumber } from '@renderer/features/softphone/display-number';
import { formatDateTime } from './format';

interface Props {
  items: TimelineItem[];
  hasMore: boolean;
  revealed: Record<string, string>;
  mayReveal: boolean;
}

function MessageLine({
  m,
  revealed,
  mayReveal,
}: {
  m: Message;
  revealed: string | undefined;
  mayReveal: boolean;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<IeumError | null>(null);
  return (
    <li className={`customer360__message customer360__message--${m.direction}`}>
      <span className="customer360__message-body">{revealed ?? m.body}</span>
      {m.masked && revealed === undefined && (
        <>
          <span className="visually-hidden">{t('customer.timeline.masked')}</span>
          {mayReveal && (
            <button
              type="button"
              className="button button--quiet customer360__small"
              onClick={() => void revealMessage(m.id).then((r) => setError(r.ok ? null : r.error))}
            >
              {t('customer.timeline.reveal')}
            </button>
          )}
        </>
      )}
      {error && (
        <span className="form-error form-error--inline" role="alert">
          {errorText(t, error)}
        </span>
      )}
    </li>
  );
}

function ItemBody({
  item,
  revealed,
  mayReveal,
}: {
  item: TimelineItem;
  revealed: Record<string, string>;
  mayReveal: boolean;
}) {
  const { t } = useTranslation();
  switch (item.kind) {
    case 'conversation':
      return (
        <>
          <p className="customer360__item-title">
            <span className={`chip chip--${item.channel}`}>{t(`inbox.channels.${item.channel}`)}</span>{' '}
            <span>{item.subject ?? t('customer.timeline.noSubject')}</span>{' '}
            <span className={`chip chip--status-${item.status}`}>{t(`inbox.statuses.${item.status}`)}</span>
          </p>
          <p className="customer360__meta">
            {t('customer.timeline.messages', { count: item.messageCount })}
            {item.assigneeName && ` · ${t('customer.timeline.assignee', { name: item.assigneeName })}`}
          </p>
          <ul className="customer360__messages">
            {item.lastMessages.map((m) => (
              <MessageLine key={m.id} m={m} revealed={revealed[m.id]} mayReveal={mayReveal} />
            ))}
          </ul>
        </>
      );
    case 'call':
      return (
        <>
          <p className="customer360__item-title">
            <span className="chip chip--voice">{t(`customer.timeline.${item.direction}`)}</span>{' '}
            <span>{displayNumber(item.remote)}</span>
          </p>
          <p className="customer360__meta">
            {item.talkSeconds !== null
              ? t('customer.timeline.talk', { duration: formatDuration(item.talkSeconds) })
              : t('customer.timeline.notAnswered')}
            {item.disposition && ` · ${item.disposition.label}`}
            {item.agentName && ` · ${t('customer.timeline.assignee', { name: item.agentName })}`}
          </p>
          {item.note && <p className="customer360__note-body">{item.note}</p>}
        </>
      );
    case 'survey':
      return (
        <p className="customer360__item-title">
          <span className="chip">{t('customer.timeline.survey')}</span>{' '}
          {[
            item.csat !== null ? t('customer.timeline.csat', { score: item.csat }) : null,
            item.nps !== null ? t('customer.timeline.nps', { score: item.nps }) : null,
            item.ces !== null ? t('customer.timeline.ces', { score: item.ces }) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      );
    case 'note':
      return (
        <>
          <p className="customer360__item-title">
            <span className="chip">{t('customer.timeline.note')}</span>
            {item.authorName && <span className="customer360__meta"> {item.authorName}</span>}
          </p>
          <p className="customer360__note-body">{item.body}</p>
        </>
      );
  }
}

export function CustomerTimeline({ items, hasMore, revealed, mayReveal }: Props) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="customer360__subheading">
        {t('customer.timeline.heading')}
      </h3>
      {items.length === 0 ? (
        <p className="empty empty--left">{t('customer.timeline.empty')}</p>
      ) : (
        <ol className="customer360__timeline" aria-labelledby={headingId}>
          {items.map((item) => (
            <li
              key={`${item.kind}-${item.id}`}
              className={`customer360__item customer360__item--${item.kind}`}
            >
              <time className="customer360__time" dateTime={item.at}>
                {formatDateTime(item.at, i18n.language)}
              </time>
              <ItemBody item={item} revealed={revealed} mayReveal={mayReveal} />
            </li>
          ))}
        </ol>
      )}
      {hasMore && (
        <button type="button" className="button button--quiet" onClick={() => void loadOlder()}>
          {t('customer.timeline.more')}
        </button>
      )}
    </section>
  );
}
