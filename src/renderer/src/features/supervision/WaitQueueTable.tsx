/**
 * The supervisor's wait queue: every item waiting, being offered or
 * scheduled, in queue order, with its channel, queue, time waited and VIP
 * flag, and "Assign" to hand it to a logged-in agent (`queue.pick`). Read
 * over HTTP again whenever a `routing.stats` snapshot arrives.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkItemView } from '@shared/protocol';
import { errorText } from '@renderer/lib/error-text';
import { formatDuration, useNow } from '@renderer/lib/use-now';
import { pickWork } from '@renderer/services/supervisor-commands';
import { refreshWaitQueue } from '@renderer/services/wait-queue-loader';
import { selectError, selectPending, useSupervisionStore } from '@renderer/stores/supervision';
import { loggedInAgents, useWallboardStore, type NamedAgent } from '@renderer/stores/wallboard';
import { AgentSelect } from './AgentSelect';
import { commandErrorText } from './command-error-text';

export function WaitQueueTable() {
  const { t } = useTranslation();
  const waiting = useSupervisionStore((s) => s.waiting);
  const loadError = useSupervisionStore((s) => s.waitingError);
  const stats = useWallboardStore((s) => s.stats);
  const agentNames = useWallboardStore((s) => s.agentNames);
  const now = useNow();
  const unknownAgent = t('wallboard.unknownAgent');
  const agents = useMemo(
    () => loggedInAgents({ stats, agentNames }, unknownAgent),
    [stats, agentNames, unknownAgent],
  );
  const queueNames = useMemo(
    () => new Map((stats?.queues ?? []).map((q) => [q.queueId, q.name])),
    [stats?.queues],
  );

  // Each snapshot (and the first render) reads the queue again.
  const snapshotAt = stats?.at;
  useEffect(() => {
    void refreshWaitQueue();
  }, [snapshotAt]);

  return (
    <div className="wait-queue">
      {loadError && (
        <p role="alert" className="form-error form-error--inline">
          {errorText(t, loadError)}
        </p>
      )}
      <table className="wallboard__queues wait-queue__table">
        <caption>{t('supervision.waitQueue.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervision.waitQueue.position')}</th>
            <th scope="col">{t('supervision.waitQueue.channel')}</th>
            <th scope="col">{t('supervision.waitQueue.queue')}</th>
            <th scope="col">{t('supervision.waitQueue.waitingTime')}</th>
            <th scope="col">{t('supervision.waitQueue.vip')}</th>
            <th scope="col">{t('supervision.waitQueue.status')}</th>
            <th scope="col">{t('supervision.waitQueue.assign')}</th>
          </tr>
        </thead>
        <tbody>
          {(!waiting || waiting.length === 0) && (
            <tr>
              <td colSpan={7} className="empty">
                {waiting ? t('supervision.waitQueue.empty') : t('supervision.waitQueue.loading')}
              </td>
            </tr>
          )}
          {waiting?.map((item, index) => (
            <tr key={item.id}>
              <th scope="row">{index + 1}</th>
              <td>
                <span className={`chip chip--${item.channel}`}>{t(`inbox.channels.${item.channel}`)}</span>
              </td>
              <td>{queueNames.get(item.queueId) ?? t('supervision.waitQueue.unknownQueue')}</td>
              <td>
                <time dateTime={`PT${Math.max(0, Math.floor((now - Date.parse(item.enqueuedAt)) / 1000))}S`}>
                  {formatDuration(Math.max(0, (now - Date.parse(item.enqueuedAt)) / 1000))}
                </time>
              </td>
              <td>
                {item.vip ? (
                  <span className="chip chip--vip">{t('supervision.waitQueue.vipYes')}</span>
                ) : (
                  t('supervision.waitQueue.vipNo')
                )}
              </td>
              <td>
                {t(`supervision.waitQueue.statuses.${item.status as 'waiting' | 'offered' | 'scheduled'}`)}
              </td>
              <td>
                <AssignControl item={item} position={index + 1} agents={agents} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AssignControl({
  item,
  position,
  agents,
}: {
  item: WorkItemView;
  position: number;
  agents: readonly NamedAgent[];
}) {
  const { t } = useTranslation();
  const [agentId, setAgentId] = useState('');
  const pending = useSupervisionStore(selectPending(`pick:${item.id}`));
  const error = useSupervisionStore(selectError(`pick:${item.id}`));
  // The chosen agent went offline meanwhile: choose again.
  const chosen = agents.some((a) => a.agentId === agentId) ? agentId : '';

  return (
    <form
      className="assign"
      aria-label={t('supervision.waitQueue.assignItem', { position })}
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) void pickWork(item.id, chosen);
      }}
    >
      <AgentSelect
        label={t('supervision.waitQueue.assignTo', { position })}
        placeholder={t('supervision.waitQueue.chooseAgent')}
        agents={agents}
        value={chosen}
        disabled={pending}
        onChange={setAgentId}
      />
      <button type="submit" className="button button--primary button--small" disabled={pending || !chosen}>
        {t('supervision.waitQueue.assign')}
      </button>
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {commandErrorText(t, 'pick', error)}
        </p>
      )}
    </form>
  );
}
