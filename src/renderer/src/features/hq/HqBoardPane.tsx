/**
 * HQ's desk: the group board. Every center side by side, then the group
 * total. HQ pushes nothing for it, so it is read every 5 s; times tick on
 * between reads on HQ's clock.
 */
import { useEffect, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '@renderer/lib/error-text';
import { startPolling } from '@renderer/lib/poll';
import { useNow } from '@renderer/lib/use-now';
import { HQ_BOARD_POLL_MS, loadHqBoard } from '@renderer/services/board-loaders';
import { selectHqNow, useHqBoardStore } from '@renderer/stores/hq-board';
import { KpiTable } from '@renderer/features/kpis/KpiTable';
import { SiteCard } from './SiteCard';
import { StateCountTable } from './StateCountTable';

export function HqBoardPane({ headingId }: { headingId: string }) {
  const { t, i18n } = useTranslation();
  const board = useHqBoardStore((s) => s.board);
  const error = useHqBoardStore((s) => s.error);
  const now = useNow();
  const hqNow = useHqBoardStore(selectHqNow(now));
  const totalId = useId();
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    [i18n.language],
  );

  useEffect(() => startPolling(loadHqBoard, HQ_BOARD_POLL_MS), []);

  return (
    <div className="group-board">
      <h2 id={headingId} className="pane-heading">
        {t('hqBoard.heading')}
        {board && (
          <>
            <span className="hint">{t('hqBoard.centers', { count: board.sites.length })}</span>
            <time className="hint" dateTime={board.at}>
              {t('hqBoard.updatedAt', { time: timeFormat.format(new Date(board.at)) })}
            </time>
          </>
        )}
      </h2>
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {board ? t('hqBoard.refreshFailed', { error: errorText(t, error) }) : errorText(t, error)}
        </p>
      )}
      {!board || hqNow === null ? (
        !error && <p className="empty">{t('hqBoard.loading')}</p>
      ) : (
        <div className="group-board__cards">
          {board.sites.length === 0 && <p className="empty">{t('hqBoard.noSites')}</p>}
          {board.sites.map((row) => (
            <SiteCard key={row.site.siteId} row={row} hqNow={hqNow} />
          ))}
          <section className="board-card board-card--total" aria-labelledby={totalId}>
            <h3 id={totalId} className="board-card__title">
              {t('hqBoard.total')}
            </h3>
            <StateCountTable byState={board.total.byState} />
            <KpiTable kpis={board.total.kpis} />
          </section>
        </div>
      )}
    </div>
  );
}
