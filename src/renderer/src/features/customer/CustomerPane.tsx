/**
 * The customer 360 panel, for the open conversation's customer or the caller
 * the softphone popped: the name, then the earlier consultations first (what
 * an agent needs before answering), then profile, consents, tags and notes;
 * supervisors also merge records here and undo a merge.
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '@renderer/lib/error-text';
import { SUPERVISING_ROLES, loadCustomer } from '@renderer/services/customer/customer-actions';
import { previousInteractions, useCustomerStore } from '@renderer/stores/customer';
import { useInboxStore } from '@renderer/stores/inbox';
import { useSessionStore } from '@renderer/stores/session';
import { CustomerMerge } from './CustomerMerge';
import { CustomerNotes } from './CustomerNotes';
import { CustomerOrders } from './CustomerOrders';
import { CustomerProfileFacts } from './CustomerProfileFacts';
import { CustomerSearch } from './CustomerSearch';
import { CustomerTags } from './CustomerTags';
import { CustomerTimeline } from './CustomerTimeline';
import { OtherCenters } from './OtherCenters';
import './customer.css';

export function CustomerPane({ headingId }: { headingId: string }) {
  const { t } = useTranslation();
  const customerId = useCustomerStore((s) => s.customerId);
  const customer = useCustomerStore((s) => s.customer);
  const timeline = useCustomerStore((s) => s.timeline);
  const nextCursor = useCustomerStore((s) => s.nextCursor);
  const loading = useCustomerStore((s) => s.loading);
  const error = useCustomerStore((s) => s.error);
  const revealed = useCustomerStore((s) => s.revealed);
  // The open conversation is not "earlier" history until it is resolved.
  const openConversationId = useInboxStore((s) =>
    s.selectedId && s.conversations[s.selectedId]?.status !== 'resolved' ? s.selectedId : null,
  );
  const user = useSessionStore((s) => s.user);
  const supervising = user !== null && SUPERVISING_ROLES.includes(user.role);
  const readOnly = user?.role === 'hq_analyst';
  const previous = useMemo(
    () => previousInteractions(timeline, openConversationId),
    [timeline, openConversationId],
  );

  useEffect(() => {
    if (customerId) void loadCustomer(customerId);
  }, [customerId]);

  const current = customer && customer.id === customerId ? customer : null;
  return (
    <div className="pane-body customer360" aria-busy={loading}>
      <h2 id={headingId} className="pane-heading">
        {t('customer.heading')}
      </h2>
      {current && <p className="customer360__name">{current.name}</p>}
      <CustomerSearch />
      {!customerId && <p className="empty empty--left">{t('customer.placeholder')}</p>}
      {customerId && !current && loading && <p className="empty empty--left">{t('customer.loading')}</p>}
      {customerId && error && (
        <div role="alert" className="form-error">
          {t('customer.loadFailed')} {errorText(t, error)}{' '}
          <button type="button" className="button" onClick={() => void loadCustomer(customerId)}>
            {t('customer.retry')}
          </button>
        </div>
      )}
      {current && (
        <>
          {current.mergedInto && (
            <p role="status">
              {t('customer.mergedAway')}{' '}
              <button
                type="button"
                className="button"
                onClick={() => useCustomerStore.getState().focus(current.mergedInto)}
              >
                {t('customer.openSurvivor')}
              </button>
            </p>
          )}
          <CustomerTimeline
            items={previous}
            hasMore={nextCursor !== null}
            revealed={revealed}
            mayReveal={supervising}
          />
          <OtherCenters readOnly={readOnly} />
          <CustomerOrders customerId={current.id} />
          <CustomerProfileFacts customer={current} />
          <CustomerTags tags={current.tags} readOnly={readOnly} />
          <CustomerNotes
            notes={current.notes}
            userId={user?.id ?? null}
            supervising={supervising}
            readOnly={readOnly}
          />
          {supervising && !current.mergedInto && <CustomerMerge />}
        </>
      )}
    </div>
  );
}
