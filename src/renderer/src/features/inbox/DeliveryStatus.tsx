/**
 * The delivery of one outbound SMS, messenger or email message, under it:
 * queued, sent, delivered, or failed with the reason (and the provider's
 * words as a tooltip). Retries show as "sending again (n)". Nothing for
 * messages that have no delivery (notes, web chat, customers' messages).
 */
import { useTranslation } from 'react-i18next';
import type { Message } from '@shared/domain';
import { selectDelivery, useDeliveriesStore } from '@renderer/stores/deliveries';

export function DeliveryStatus({ message }: { message: Message }) {
  const { t } = useTranslation();
  const delivery = useDeliveriesStore(selectDelivery(message));
  if (!delivery) return null;
  const retrying = delivery.status === 'queued' && delivery.attempts > 0;
  const label = retrying
    ? t('channels.delivery.retrying', { attempts: delivery.attempts })
    : t(`channels.delivery.${delivery.status}`);
  const reason =
    delivery.status === 'failed' && delivery.reason ? t(`channels.reason.${delivery.reason}`) : null;
  return (
    <p
      className={`delivery delivery--${delivery.status}`}
      role={delivery.status === 'failed' ? 'alert' : 'status'}
      title={delivery.detail ?? undefined}
    >
      <span className="delivery__channel">{t(`inbox.channels.${delivery.channel}`)}</span>
      {delivery.kind && delivery.kind !== 'text' && (
        <span className="delivery__kind">{t(`channels.kind.${delivery.kind}`)}</span>
      )}
      <span className="delivery__status">{label}</span>
      {reason && <span className="delivery__reason">{reason}</span>}
    </p>
  );
}
