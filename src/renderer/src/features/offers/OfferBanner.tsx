/**
 * The offer on the agent's desk: channel, customer, subject and the time left
 * to accept, with Accept and Reject. Non-modal, so an agent in the middle of
 * a reply is not blocked; focus moves to Accept only when it is not in a text
 * field, so an offer never swallows what the agent is typing.
 */
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '@renderer/lib/error-text';
import { formatDuration, useNow } from '@renderer/lib/use-now';
import { acceptOffer, rejectOffer } from '@renderer/services/work-commands';
import { selectCurrentOffer, selectOfferCount, useOffersStore } from '@renderer/stores/offers';

const isTyping = (element: Element | null): boolean =>
  element instanceof HTMLInputElement ||
  element instanceof HTMLTextAreaElement ||
  element instanceof HTMLSelectElement ||
  (element instanceof HTMLElement && element.isContentEditable);

export function OfferBanner() {
  const { t } = useTranslation();
  const entry = useOffersStore(selectCurrentOffer);
  const count = useOffersStore(selectOfferCount);
  const titleId = useId();
  const detailsId = useId();
  const acceptRef = useRef<HTMLButtonElement>(null);
  const now = useNow(250);
  const itemId = entry?.offer.item.id ?? null;

  useEffect(() => {
    if (itemId && !isTyping(document.activeElement)) acceptRef.current?.focus();
  }, [itemId]);

  if (!entry) return null;
  const { offer, responding, error } = entry;
  const secondsLeft = Math.max(0, (Date.parse(offer.expiresAt) - now) / 1000);

  return (
    <section
      className="offer"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={detailsId}
    >
      <h2 id={titleId} className="offer__title">
        {t('offers.heading')}
        {count > 1 && <span className="count">{count}</span>}
      </h2>
      <dl id={detailsId} className="offer__details">
        <dt>{t('offers.channel')}</dt>
        <dd>
          <span className={`chip chip--${offer.item.channel}`}>
            {t(`inbox.channels.${offer.item.channel}`)}
          </span>
        </dd>
        <dt>{t('offers.customer')}</dt>
        <dd className="offer__customer">{offer.customerName ?? t('offers.unknownCustomer')}</dd>
        <dt>{t('offers.subject')}</dt>
        <dd>{offer.subject ?? t('inbox.untitled')}</dd>
        <dt>{t('offers.remaining')}</dt>
        <dd>
          <time role="timer" className="offer__countdown" dateTime={`PT${Math.ceil(secondsLeft)}S`}>
            {formatDuration(Math.ceil(secondsLeft))}
          </time>
        </dd>
      </dl>
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {errorText(t, error)}
        </p>
      )}
      <div className="offer__actions">
        <button
          ref={acceptRef}
          type="button"
          className="button button--primary"
          disabled={responding}
          onClick={() => void acceptOffer(offer.item.id)}
        >
          {t('offers.accept')}
        </button>
        <button
          type="button"
          className="button"
          disabled={responding}
          onClick={() => void rejectOffer(offer.item.id)}
        >
          {t('offers.reject')}
        </button>
      </div>
    </section>
  );
}
