/**
 * The 360 panel's orders, from the hub's CRM connector. When the CRM is down
 * or slow the panel says so (with a retry) and the rest of the 360 panel
 * works as usual.
 */
import { useEffect, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { loadOrders } from '@renderer/services/conversation/conversation-actions';
import { useCustomerOrdersStore } from '@renderer/stores/customer-orders';

export function CustomerOrders({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const state = useCustomerOrdersStore();
  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }),
    [i18n.language],
  );

  useEffect(() => {
    void loadOrders(customerId);
  }, [customerId]);

  const mine = state.customerId === customerId;
  const reason = (state.error?.details as { reason?: string } | undefined)?.reason;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="customer360__subheading">
        {t('orders.heading')}
      </h3>
      {mine && state.loading && <p className="hint">{t('orders.loading')}</p>}
      {mine && state.error && (
        <div role="alert" className="form-error">
          {reason === 'CRM_TIMEOUT'
            ? t('orders.timeout')
            : reason === 'CRM_NOT_CONFIGURED'
              ? t('orders.notConfigured')
              : t('orders.unavailable')}{' '}
          <button type="button" className="button" onClick={() => void loadOrders(customerId)}>
            {t('orders.retry')}
          </button>
        </div>
      )}
      {mine && !state.loading && !state.error && state.orders.length === 0 && (
        <p className="hint">{t('orders.none')}</p>
      )}
      {mine && state.orders.length > 0 && (
        <ul className="customer360__timeline" aria-labelledby={headingId}>
          {state.orders.map((o) => (
            <li key={o.number} className="customer360__item order">
              <span className="order__number">{t('orders.number', { number: o.number })}</span>
              <span className="order__meta">
                {dateFormat.format(new Date(o.placedAt))} · {o.status} ·{' '}
                {t('orders.total', { total: o.total.toLocaleString(i18n.language) })}
              </span>
              {o.items.length > 0 && <span className="order__items">{o.items.join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
