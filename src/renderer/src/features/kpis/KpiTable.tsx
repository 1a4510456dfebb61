/**
 * Today's KPIs as a table, the same figures at a center and on HQ's board:
 * `column` (one row per metric, for a narrow card) or `row` (metrics as
 * column headers over one row of values, for a strip above the wallboard).
 */
import { useTranslation } from 'react-i18next';
import type { Kpis } from '@shared/kpis';
import { kpiRows } from '@renderer/lib/kpi-format';

export function KpiTable({ kpis, layout = 'column' }: { kpis: Kpis; layout?: 'column' | 'row' }) {
  const { t, i18n } = useTranslation();
  const rows = kpiRows(kpis, i18n.language);
  const na = t('wallboard.notAvailable');
  if (layout === 'row') {
    return (
      <table className="kpi-table kpi-table--row">
        <caption>{t('kpis.caption')}</caption>
        <thead>
          <tr>
            {rows.map((row) => (
              <th key={row.key} scope="col">
                {t(`kpis.${row.key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {rows.map((row) => (
              <td key={row.key}>{row.value ?? na}</td>
            ))}
          </tr>
        </tbody>
      </table>
    );
  }
  return (
    <table className="kpi-table">
      <caption>{t('kpis.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('kpis.metric')}</th>
          <th scope="col">{t('kpis.value')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{t(`kpis.${row.key}`)}</th>
            <td>{row.value ?? na}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
