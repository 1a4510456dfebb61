/**
 * For a conversation that came to me as routed work: "Finish" while I handle
 * it, then "End wrap-up" while I wrap up (until the queue's timer ends it).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { formatDuration, useNow } from '@renderer/lib/use-now';
import { completeWork, endWrapUp } from '@renderer/services/work-commands';
import { selectWorkOf, useWorkStore } from '@renderer/stores/work';

export function WorkActions({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const item = useWorkStore(selectWorkOf(conversationId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IeumError | null>(null);
  const now = useNow();
  if (!item) return null;

  const run = async (command: () => Promise<{ ok: true } | { ok: false; error: IeumError }>) => {
    setBusy(true);
    setError(null);
    const result = await command();
    setBusy(false);
    if (!result.ok) setError(result.error);
  };
  const wrapUpLeft = item.wrapUpUntil ? (Date.parse(item.wrapUpUntil) - now) / 1000 : null;

  return (
    <div className="work-actions" role="group" aria-label={t('work.actions')}>
      {item.status === 'active' ? (
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void run(() => completeWork(item.id))}
        >
          {t('work.finish')}
        </button>
      ) : (
        <>
          {wrapUpLeft !== null && (
            <span className="hint">{t('work.wrapUpUntil', { time: formatDuration(wrapUpLeft) })}</span>
          )}
          <button type="button" className="button" disabled={busy} onClick={() => void run(endWrapUp)}>
            {t('work.endWrapUp')}
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {errorText(t, error)}
        </p>
      )}
    </div>
  );
}
