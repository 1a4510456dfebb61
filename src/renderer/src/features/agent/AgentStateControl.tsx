/**
 * The agent's current state, how long they have been in it, and the buttons
 * to go Ready, Not ready (with a reason) or Offline.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { AgentStateName } from '@shared/domain';
import { errorText } from '@renderer/lib/error-text';
import { formatDuration, useNow } from '@renderer/lib/use-now';
import { setAgentState } from '@renderer/services/desk-session';
import { selectNotReadyReasons, useAgentStore } from '@renderer/stores/agent';

export function AgentStateControl() {
  const { t } = useTranslation();
  const headingId = useId();
  const reasonId = useId();
  const status = useAgentStore((s) => s.status);
  const changing = useAgentStore((s) => s.changing);
  const error = useAgentStore((s) => s.error);
  const reasons = useAgentStore(useShallow(selectNotReadyReasons));
  const [pickedReason, setPickedReason] = useState('');
  const now = useNow();

  const state: AgentStateName = status?.state ?? 'offline';
  const seconds = status ? (now - Date.parse(status.since)) / 1000 : 0;
  const chosenReason = reasons.find((r) => r.id === pickedReason)?.id ?? reasons[0]?.id ?? null;
  const currentReason = status?.reasonCodeId ? reasons.find((r) => r.id === status.reasonCodeId) : undefined;

  return (
    <section className="agent-state" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        {t('agent.heading')}
      </h2>
      <div className={`state-badge state-badge--${state}`} role="status" aria-label={t('agent.current')}>
        <span className="state-badge__dot" aria-hidden="true" />
        <span className="state-badge__name">{t(`agent.states.${state}`)}</span>
        {currentReason && <span className="state-badge__reason">{currentReason.label}</span>}
        <time className="state-badge__time" aria-label={t('agent.timeInState')}>
          {formatDuration(seconds)}
        </time>
      </div>
      <div className="agent-state__actions" role="group" aria-label={t('agent.heading')}>
        <button
          type="button"
          className="button button--ready"
          aria-pressed={state === 'ready'}
          disabled={changing}
          onClick={() => void setAgentState('ready')}
        >
          {t('agent.setReady')}
        </button>
        <button
          type="button"
          className="button button--not-ready"
          aria-pressed={state === 'not_ready'}
          disabled={changing}
          onClick={() => void setAgentState('not_ready', chosenReason)}
        >
          {t('agent.setNotReady')}
        </button>
        <label htmlFor={reasonId} className="visually-hidden">
          {t('agent.reason')}
        </label>
        <select
          id={reasonId}
          value={chosenReason ?? ''}
          onChange={(e) => setPickedReason(e.target.value)}
          disabled={changing || reasons.length === 0}
        >
          {reasons.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--quiet"
          aria-pressed={state === 'offline'}
          disabled={changing}
          onClick={() => void setAgentState('offline')}
        >
          {t('agent.setOffline')}
        </button>
      </div>
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {errorText(t, error)}
        </p>
      )}
    </section>
  );
}
