/**
 * A conversation's replies and notes that are saved on this desk but not yet
 * acked by the hub (the offline outbox), shown after its messages. A reply
 * the hub refused stays here with the reason, to send again or discard; one
 * refused because the messenger session is over offers a notification template.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '@shared/domain';
import { errorText } from '@renderer/lib/error-text';
import { discardOutboxItem, retryOutboxItem } from '@renderer/services/desk-session';
import { selectOutboxOf, useOutboxStore } from '@renderer/stores/outbox';
import { TemplateOffer } from './TemplateOffer';

export function PendingMessages({
  conversationId,
  messages,
}: {
  conversationId: string;
  messages: Message[];
}) {
  const { t } = useTranslation();
  const items = useOutboxStore(selectOutboxOf(conversationId));
  // An item whose message already arrived (event before ack) is shown once, as the message.
  const delivered = useMemo(() => new Set(messages.map((m) => m.clientId)), [messages]);
  return items
    .filter((item) => !delivered.has(item.id))
    .map((item) => (
      <li key={item.id} className={`message message--${item.kind} message--${item.state}`}>
        <span className="message__who">{t(`inbox.direction.${item.kind}`)}</span>
        <p className="message__body">{item.body}</p>
        {item.state === 'pending' ? (
          <span className="message__status" title={t('outbox.pendingHint')}>
            {t('outbox.pending')}
          </span>
        ) : (
          <span className="message__status message__status--failed" role="alert">
            {t('outbox.failed', { reason: item.error ? errorText(t, item.error) : '' })}
            <button
              type="button"
              className="button button--quiet"
              onClick={() => void retryOutboxItem(item.id)}
            >
              {t('outbox.retry')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => void discardOutboxItem(item.id)}
            >
              {t('outbox.discard')}
            </button>
          </span>
        )}
        {item.state === 'failed' && item.error?.details?.reason === 'SESSION_EXPIRED' && (
          <TemplateOffer conversationId={conversationId} />
        )}
      </li>
    ));
}
