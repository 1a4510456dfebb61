/** The consultation call while the customer waits on hold: complete the transfer or go back. */
import { useTranslation } from 'react-i18next';
import { cancelConsult, completeConsultTransfer } from '@renderer/services/sip/phone';
import type { ConsultCall } from '@renderer/stores/calls';
import { displayNumber } from './display-number';

export function ConsultPanel({ consult }: { consult: ConsultCall }) {
  const { t } = useTranslation();
  return (
    <section className="call__consult" aria-label={t('softphone.consultCall')}>
      <p role="status">
        {t(`softphone.consultState.${consult.state}`)} · {displayNumber(consult.remote)}
      </p>
      <div className="call__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={consult.state !== 'active'}
          onClick={() => void completeConsultTransfer()}
        >
          {t('softphone.completeTransfer')}
        </button>
        <button type="button" className="button" onClick={() => void cancelConsult()}>
          {t('softphone.cancelConsult')}
        </button>
      </div>
    </section>
  );
}
