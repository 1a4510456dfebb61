/** The response-time countdown of a conversation: amber when little time is left, red once overdue. */
import { useTranslation } from 'react-i18next';
import type { InboxItem } from '@shared/inbox';
import { formatSlaRemaining, slaState } from '@shared/sla';
import { useNow } from '@renderer/lib/use-now';

type Clock = Pick<InboxItem, 'sla' | 'firstResponseDueAt' | 'nextResponseDueAt'>;

/** Renders nothing, and keeps no clock running, when nothing is due (most rows of a long list). */
export function SlaTimer({ item }: { item: Clock }) {
  if (item.firstResponseDueAt === null && item.nextResponseDueAt === null) return null;
  return <RunningTimer item={item} />;
}

function RunningTimer({ item }: { item: Clock }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const state = slaState(
    {
      firstResponseDueAt: item.firstResponseDueAt ? Date.parse(item.firstResponseDueAt) : null,
      nextResponseDueAt: item.nextResponseDueAt ? Date.parse(item.nextResponseDueAt) : null,
    },
    item.sla,
    now,
  );
  if (!state) return null;
  const time = formatSlaRemaining(state.remainingMs);
  const label = t(`inbox.sla.${state.kind}.${state.level}`, { time: time.replace('-', '') });
  return (
    <span
      role="timer"
      className={`sla sla--${state.level}`}
      aria-label={label}
      title={label}
      data-level={state.level}
    >
      {time}
    </span>
  );
}
