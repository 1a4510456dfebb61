/** A short notice after an offer was taken away (timed out, customer left…); it goes by itself. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useOffersStore } from '@renderer/stores/offers';

const NOTICE_MS = 6_000;

export function OfferNotice() {
  const { t } = useTranslation();
  const notice = useOffersStore((s) => s.notice);
  const dismiss = useOffersStore((s) => s.dismissNotice);

  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(dismiss, NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice, dismiss]);

  // The live region stays mounted so screen readers announce the text when it appears.
  return (
    <div className={notice ? 'offer-notice' : 'offer-notice offer-notice--empty'} role="status">
      {notice && (
        <>
          <span>{t(`offers.withdrawn.${notice.reason}`)}</span>
          <button type="button" className="button button--quiet" onClick={dismiss}>
            {t('offers.dismiss')}
          </button>
        </>
      )}
    </div>
  );
}
