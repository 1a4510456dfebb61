/** The customer 360 panel. A placeholder until the customer issue fills it. */
import { useTranslation } from 'react-i18next';
import { useCustomerStore } from '@renderer/stores/customer';

export function CustomerPane({ headingId }: { headingId: string }) {
  const { t } = useTranslation();
  const customerId = useCustomerStore((s) => s.customerId);
  return (
    <div className="pane-body">
      <h2 id={headingId} className="pane-heading">
        {t('customer.heading')}
      </h2>
      <p className="empty empty--left">{t(customerId ? 'customer.coming' : 'customer.placeholder')}</p>
      {customerId && (
        <dl className="facts">
          <dt>{t('customer.customerId')}</dt>
          <dd className="mono" title={customerId}>
            {customerId.slice(-12)}
          </dd>
        </dl>
      )}
    </div>
  );
}
