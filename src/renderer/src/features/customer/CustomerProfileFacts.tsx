/** Who the customer is: segment, lifetime value, contacts, channel identities and consents. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerProfile } from '@shared/customers';
import { displayNumber } from '@renderer/features/softphone/display-number';
import { formatAmount, formatDate } from './format';

export function CustomerProfileFacts({ customer }: { customer: CustomerProfile }) {
  const { t, i18n } = useTranslation();
  const profileId = useId();
  const consentId = useId();
  const others = customer.identities.filter((i) => i.channel !== 'voice' && i.channel !== 'email');
  return (
    <>
      <section aria-labelledby={profileId}>
        <h3 id={profileId} className="customer360__subheading">
          {t('customer.profile')}
        </h3>
        <dl className="facts">
          <dt>{t('customer.segment')}</dt>
          <dd>{customer.segment ?? t('customer.noSegment')}</dd>
          <dt>{t('customer.lifetimeValue')}</dt>
          <dd>{t('customer.won', { amount: formatAmount(customer.lifetimeValue, i18n.language) })}</dd>
          <dt>{t('customer.phones')}</dt>
          <dd>
            {customer.phones.length ? customer.phones.map(displayNumber).join(', ') : t('customer.none')}
          </dd>
          <dt>{t('customer.emails')}</dt>
          <dd>{customer.emails.length ? customer.emails.join(', ') : t('customer.none')}</dd>
          {others.length > 0 && (
            <>
              <dt>{t('customer.identities')}</dt>
              <dd>{others.map((i) => `${t(`inbox.channels.${i.channel}`)} ${i.handle}`).join(', ')}</dd>
            </>
          )}
          <dt>{t('customer.since')}</dt>
          <dd>{formatDate(customer.createdAt, i18n.language)}</dd>
        </dl>
      </section>
      <section aria-labelledby={consentId}>
        <h3 id={consentId} className="customer360__subheading">
          {t('customer.consents.heading')}
        </h3>
        <dl className="facts">
          {customer.consents.map((c) => (
            <div key={c.kind} className="customer360__consent">
              <dt>{t(`customer.consents.${c.kind}`)}</dt>
              <dd className={c.granted ? 'consent consent--granted' : 'consent'}>
                {c.at
                  ? t(c.granted ? 'customer.consents.granted' : 'customer.consents.withdrawn', {
                      date: formatDate(c.at, i18n.language),
                    })
                  : t('customer.consents.never')}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
