/** A supervisor's center today (`GET /reports/kpis`), read again every few seconds above the wallboard. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '@renderer/lib/error-text';
import { startPolling } from '@renderer/lib/poll';
import { loadSiteKpis, SITE_KPIS_POLL_MS } from '@renderer/services/board-loaders';
import { useSiteKpisStore } from '@renderer/stores/site-kpis';
import { KpiTable } from './KpiTable';

export function SiteKpiSummary() {
  const { t } = useTranslation();
  const kpis = useSiteKpisStore((s) => s.kpis);
  const error = useSiteKpisStore((s) => s.error);

  useEffect(() => startPolling(loadSiteKpis, SITE_KPIS_POLL_MS), []);

  return (
    <div className="kpi-summary">
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {t('kpis.refreshFailed', { error: errorText(t, error) })}
        </p>
      )}
      {kpis ? <KpiTable kpis={kpis} layout="row" /> : !error && <p className="empty">{t('kpis.loading')}</p>}
    </div>
  );
}
