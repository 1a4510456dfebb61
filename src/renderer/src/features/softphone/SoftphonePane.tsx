/** The softphone pane. Shows registration only for now; the softphone issue brings sip.js here. */
import { useTranslation } from 'react-i18next';
import { useCallsStore } from '@renderer/stores/calls';

export function SoftphonePane({ headingId }: { headingId: string }) {
  const { t } = useTranslation();
  const registration = useCallsStore((s) => s.registration);
  const dialRequest = useCallsStore((s) => s.dialRequest);
  return (
    <div className="pane-body">
      <h2 id={headingId} className="pane-heading">
        {t('softphone.heading')}
      </h2>
      <dl className="facts">
        <dt>{t('softphone.registration')}</dt>
        <dd>
          <span className={`chip chip--reg-${registration}`}>
            {registration === 'not_configured' ? t('softphone.notConfigured') : registration}
          </span>
        </dd>
      </dl>
      <p className="hint">{t('softphone.hint')}</p>
      {dialRequest && <p className="dial-request">{t('softphone.dialRequest', { number: dialRequest })}</p>}
    </div>
  );
}
