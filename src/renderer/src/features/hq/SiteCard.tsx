/**
 * One center on HQ's group board: its link (events not yet at HQ, last
 * contact, a warning when either looks wrong), its agents by state and by
 * name, and today's KPIs. A region named by the center.
 */
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HqBoard } from '@shared/federation';
import { formatDuration } from '@renderer/lib/use-now';
import { secondsSince, siteLinkStatus } from '@renderer/lib/site-link';
import { KpiTable } from '@renderer/features/kpis/KpiTable';
import { BOARD_STATE_ORDER, StateCountTable } from './StateCountTable';

type SiteRow = HqBoard['sites'][number];

const stateRank = (state: string): number => {
  const i = (BOARD_STATE_ORDER as readonly string[]).indexOf(state);
  return i === -1 ? BOARD_STATE_ORDER.length : i;
};

export function SiteCard({ row, hqNow }: { row: SiteRow; hqNow: number }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const link = siteLinkStatus(row.site, hqNow);
  const agents = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return [...row.agents].sort(
      (a, b) =>
        stateRank(a.state) - stateRank(b.state) || collator.compare(a.displayName ?? '', b.displayName ?? ''),
    );
  }, [row.agents, i18n.language]);
  const warn = link.warnings.length > 0;

  return (
    <section className={warn ? 'board-card board-card--warning' : 'board-card'} aria-labelledby={headingId}>
      <h3 id={headingId} className="board-card__title">
        {row.site.name}
      </h3>
      <p className="board-card__link">
        <span className="visually-hidden">{t('hqBoard.link')}</span>
        {warn && (
          <span className="board-card__warnings">
            {link.warnings.map((w) => (
              <strong key={w} className="warning-badge">
                {t(`hqBoard.warnings.${w}`)}
              </strong>
            ))}
          </span>
        )}
        <span>{t('hqBoard.lag', { count: row.site.lagEvents })}</span>
        <span>
          {link.secondsSinceContact === null || row.site.lastContactAt === null ? (
            t('hqBoard.neverContacted')
          ) : (
            <time dateTime={row.site.lastContactAt}>
              {t('hqBoard.lastContact', { ago: formatDuration(link.secondsSinceContact) })}
            </time>
          )}
        </span>
      </p>
      <StateCountTable byState={row.byState} />
      {agents.length === 0 ? (
        <p className="empty">{t('hqBoard.noAgents')}</p>
      ) : (
        <table className="board-table board-table--agents">
          <caption>{t('hqBoard.agentsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hqBoard.agent')}</th>
              <th scope="col">{t('hqBoard.state')}</th>
              <th scope="col">{t('hqBoard.timeInState')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => {
              const seconds = secondsSince(a.since, hqNow);
              return (
                <tr key={a.userId}>
                  <th scope="row">{a.displayName ?? t('wallboard.unknownAgent')}</th>
                  <td>
                    <span className={`wallboard__dot wallboard__dot--${a.state}`} aria-hidden="true" />{' '}
                    {t(`agent.states.${a.state}`, { defaultValue: a.state })}
                  </td>
                  <td>
                    <time dateTime={`PT${seconds}S`}>{formatDuration(seconds)}</time>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <KpiTable kpis={row.kpis} />
    </section>
  );
}
