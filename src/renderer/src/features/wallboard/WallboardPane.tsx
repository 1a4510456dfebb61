/**
 * The supervisor's live wallboard: per queue how many wait, the longest wait,
 * service level, answered and abandoned today; and every agent's state with
 * the time in it. Loaded once over HTTP, then replaced by each `routing.stats`.
 * Supervisors change an agent's state from its row, and hand waiting work to
 * an agent from the wait queue below.
 * Today's KPIs of the center sit above the tables.
 */
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SiteKpiSummary } from '@renderer/features/kpis/SiteKpiSummary';
import { AgentStateMenu } from '@renderer/features/supervision/AgentStateMenu';
import { WaitQueueTable } from '@renderer/features/supervision/WaitQueueTable';
import { errorText } from '@renderer/lib/error-text';
import { formatDuration, useNow } from '@renderer/lib/use-now';
import { loadAgentNames, loadWallboard } from '@renderer/services/wallboard-loader';
import { selectUnnamedAgentCount, useWallboardStore } from '@renderer/stores/wallboard';

export function WallboardPane({ headingId }: { headingId: string }) {
  const { t, i18n } = useTranslation();
  const stats = useWallboardStore((s) => s.stats);
  const names = useWallboardStore((s) => s.agentNames);
  const error = useWallboardStore((s) => s.error);
  const unnamed = useWallboardStore(selectUnnamedAgentCount);
  const now = useNow();
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    [i18n.language],
  );

  useEffect(() => {
    void loadWallboard();
  }, []);
  // Someone new signed in since the names were read: read them again (once per change in count).
  useEffect(() => {
    if (unnamed > 0) void loadAgentNames();
  }, [unnamed]);

  // Time in state ticks on between snapshots.
  const sinceSnapshot = stats ? Math.max(0, (now - Date.parse(stats.at)) / 1000) : 0;
  const na = t('wallboard.notAvailable');

  return (
    <div className="pane-body wallboard">
      <h2 id={headingId} className="pane-heading">
        {t('wallboard.heading')}
        {stats && (
          <time className="hint" dateTime={stats.at}>
            {t('wallboard.updatedAt', { time: timeFormat.format(new Date(stats.at)) })}
          </time>
        )}
      </h2>
      <SiteKpiSummary />
      {error && !stats && (
        <p role="alert" className="form-error form-error--inline">
          {errorText(t, error)}
        </p>
      )}
      {!stats ? (
        !error && <p className="empty">{t('wallboard.loading')}</p>
      ) : (
        <div className="wallboard__grid">
          <table className="wallboard__queues">
            <caption>{t('wallboard.queuesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('wallboard.queue')}</th>
                <th scope="col">{t('wallboard.waiting')}</th>
                <th scope="col">{t('wallboard.longestWait')}</th>
                <th scope="col">{t('wallboard.serviceLevel')}</th>
                <th scope="col">{t('wallboard.answered')}</th>
                <th scope="col">{t('wallboard.abandoned')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.queues.length === 0 && (
                <tr>
                  <td colSpan={6} className="empty">
                    {t('wallboard.noQueues')}
                  </td>
                </tr>
              )}
              {stats.queues.map((q) => (
                <tr key={q.queueId}>
                  <th scope="row">{q.name}</th>
                  <td>{q.waiting}</td>
                  <td>{formatDuration(q.longestWaitSeconds)}</td>
                  {/* The hub sends a share (0–1); the column is in percent. */}
                  <td>{q.serviceLevel === null ? na : Math.round(q.serviceLevel * 100)}</td>
                  <td>{q.answered}</td>
                  <td>{q.abandoned}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {stats.agents.length === 0 ? (
            <p className="empty">{t('wallboard.noAgents')}</p>
          ) : (
            <ul className="wallboard__agents" aria-label={t('wallboard.agentsLabel')}>
              {stats.agents.map((a) => (
                <li key={a.agentId} className="wallboard__agent">
                  <span className={`wallboard__dot wallboard__dot--${a.state}`} aria-hidden="true" />
                  <span className="wallboard__agent-name">
                    {names[a.agentId] ?? t('wallboard.unknownAgent')}
                  </span>
                  <span>{t(`agent.states.${a.state}`)}</span>
                  <time dateTime={`PT${Math.floor(a.secondsInState + sinceSnapshot)}S`}>
                    {formatDuration(a.secondsInState + sinceSnapshot)}
                  </time>
                  <AgentStateMenu
                    agentId={a.agentId}
                    name={names[a.agentId] ?? t('wallboard.unknownAgent')}
                  />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {stats && <WaitQueueTable />}
    </div>
  );
}
