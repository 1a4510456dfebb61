/**
 * The "other centers" entries of the 360 timeline: this customer's
 * consultations at the group's other centers, which HQ shares only when the
 * customer agreed (group_share consent, here and there). Without consent the
 * agent sees why nothing is shown and can record the consent the customer
 * gives on the phone; the entries carry no message text and masked subjects.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { setGroupShare } from '@renderer/services/customer/customer-actions';
import { useCustomerStore } from '@renderer/stores/customer';
import { formatDateTime } from './format';

export function OtherCenters({ readOnly }: { readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const answer = useCustomerStore((s) => s.otherCenters);
  const [error, setError] = useState<IeumError | null>(null);
  const [busy, setBusy] = useState(false);
  if (!answer) return null;
  const record = (granted: boolean) => {
    setBusy(true);
    void setGroupShare(granted).then((r) => {
      setBusy(false);
      setError(r.ok ? null : r.error);
    });
  };
  return (
    <section aria-labelledby={headingId} className="customer360__other-centers">
      <h3 id={headingId} className="customer360__subheading">
        {t('customer.otherCenters.heading')}
      </h3>
      {!answer.consent && <p className="empty empty--left">{t('customer.otherCenters.noConsent')}</p>}
      {answer.consent && !answer.reachable && (
        <p className="empty empty--left">{t('customer.otherCenters.unreachable')}</p>
      )}
      {answer.consent && answer.reachable && answer.items.length === 0 && (
        <p className="empty empty--left">{t('customer.otherCenters.empty')}</p>
      )}
      {answer.items.length > 0 && (
        <ol className="customer360__timeline" aria-labelledby={headingId}>
          {answer.items.map((item) => (
            <li key={`${item.siteCode}-${item.id}`} className="customer360__item customer360__item--other">
              <time className="customer360__time" dateTime={item.at}>
                {formatDateTime(item.at, i18n.language)}
              </time>
              <p className="customer360__item-title">
                <span className="chip">{t('customer.otherCenters.center', { name: item.siteName })}</span>{' '}
                <span className={`chip chip--${item.channel}`}>{t(`inbox.channels.${item.channel}`)}</span>{' '}
                <span>{item.subject ?? t('customer.timeline.noSubject')}</span>{' '}
                <span className={`chip chip--status-${item.status}`}>
                  {t(`inbox.statuses.${item.status}`)}
                </span>
              </p>
              <p className="customer360__meta">
                {t('customer.timeline.messages', { count: item.messageCount })}
              </p>
            </li>
          ))}
        </ol>
      )}
      {!readOnly && (
        <button type="button" className="button" disabled={busy} onClick={() => record(!answer.consent)}>
          {answer.consent ? t('customer.otherCenters.withdraw') : t('customer.otherCenters.record')}
        </button>
      )}
      {error && (
        <p role="alert" className="form-error">
          {errorText(t, error)}
        </p>
      )}
    </section>
  );
}
