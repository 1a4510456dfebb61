/** The agent's latest calls as the hub recorded them: who, which way, how long, the disposition. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '@renderer/lib/use-now';
import { useCallsStore } from '@renderer/stores/calls';
import { displayNumber } from './display-number';

export function RecentCalls() {
  const { t } = useTranslation();
  const recent = useCallsStore((s) => s.recent);
  const dispositions = useCallsStore((s) => s.dispositions);
  const headingId = useId();
  if (recent.length === 0) return null;
  return (
    <section className="recent-calls" aria-labelledby={headingId}>
      <h3 id={headingId} className="recent-calls__heading">
        {t('softphone.recent.heading')}
      </h3>
      <ul className="recent-calls__list" aria-labelledby={headingId}>
        {recent.map((c) => {
          const disposition = dispositions.find((d) => d.id === c.dispositionId)?.label;
          return (
            <li key={c.id} className="recent-calls__item">
              <span className="chip">
                {c.consultOf ? t('softphone.consultCall') : t(`softphone.recent.${c.direction}`)}
              </span>{' '}
              <span className="recent-calls__remote">{displayNumber(c.remote)}</span>{' '}
              <span className="recent-calls__talk">
                {c.talkMs !== null
                  ? t('softphone.recent.talk', { duration: formatDuration(c.talkMs / 1000) })
                  : t(c.endedAt !== null ? 'softphone.recent.notAnswered' : 'softphone.recent.ongoing')}
              </span>
              {c.holdMs > 0 && (
                <span className="recent-calls__hold">
                  {' '}
                  {t('softphone.recent.hold', { duration: formatDuration(c.holdMs / 1000) })}
                </span>
              )}
              {disposition && <span className="recent-calls__disposition"> · {disposition}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
