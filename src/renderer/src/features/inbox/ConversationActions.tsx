/**
 * The conversation's own actions: resolve or reopen, snooze until a time,
 * transfer to an agent or a queue, merge another conversation of the same
 * customer into this one. Each shows its refusal next to it.
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '@shared/domain';
import type { IeumError, Result } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import {
  mergeConversation,
  setConversationStatus,
  snoozeConversation,
  transferConversation,
} from '@renderer/services/conversation/conversation-actions';
import { useConversationToolsStore } from '@renderer/stores/conversation-tools';
import { useCustomerStore } from '@renderer/stores/customer';
import { useSessionStore } from '@renderer/stores/session';

type Panel = 'snooze' | 'transfer' | 'merge' | null;

/** An hour from now, as a datetime-local value in local time. */
function inAnHour(): string {
  const d = new Date(Date.now() + 3600_000);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function ConversationActions({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const ids = { snooze: useId(), transfer: useId(), merge: useId() };
  const [panel, setPanel] = useState<Panel>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IeumError | null>(null);
  const [until, setUntil] = useState(inAnHour);
  const [target, setTarget] = useState('');
  const [other, setOther] = useState('');
  const directory = useConversationToolsStore((s) => s.directory);
  const me = useSessionStore((s) => s.user);
  const timeline = useCustomerStore((s) => (s.customerId === conversation.customerId ? s.timeline : null));
  const candidates = useMemo(
    () =>
      (timeline ?? []).filter(
        (i) => i.kind === 'conversation' && i.id !== conversation.id && i.status !== 'resolved',
      ),
    [timeline, conversation.id],
  );

  const run = async (fn: () => Promise<Result<unknown>>) => {
    setBusy(true);
    setError(null);
    const r = await fn();
    setBusy(false);
    if (r.ok) setPanel(null);
    else setError(r.error);
  };
  const toggle = (p: Panel) => {
    setError(null);
    setPanel((now) => (now === p ? null : p));
  };
  const reason = (error?.details as { reason?: string } | undefined)?.reason;
  const resolved = conversation.status === 'resolved';

  return (
    <div className="conversation-actions" role="group" aria-label={t('conversation.tools')}>
      <div className="conversation-actions__buttons">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() =>
            void run(() => setConversationStatus(conversation.id, resolved ? 'open' : 'resolved'))
          }
        >
          {resolved ? t('conversation.reopen') : t('conversation.resolve')}
        </button>
        {!resolved && (
          <>
            <button
              type="button"
              className="button"
              aria-expanded={panel === 'snooze'}
              onClick={() => toggle('snooze')}
            >
              {t('conversation.snooze')}
            </button>
            <button
              type="button"
              className="button"
              aria-expanded={panel === 'transfer'}
              onClick={() => toggle('transfer')}
            >
              {t('conversation.transfer')}
            </button>
          </>
        )}
        <button
          type="button"
          className="button"
          aria-expanded={panel === 'merge'}
          onClick={() => toggle('merge')}
        >
          {t('conversation.merge')}
        </button>
      </div>
      {panel === 'snooze' && (
        <form
          className="conversation-actions__panel"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => snoozeConversation(conversation.id, new Date(until)));
          }}
        >
          <label htmlFor={ids.snooze}>{t('conversation.snoozeUntil')}</label>
          <input
            id={ids.snooze}
            type="datetime-local"
            value={until}
            required
            onChange={(e) => setUntil(e.target.value)}
          />
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('conversation.snoozeSet')}
          </button>
        </form>
      )}
      {panel === 'transfer' && (
        <form
          className="conversation-actions__panel"
          onSubmit={(e) => {
            e.preventDefault();
            const [kind, id] = target.split(':');
            if (!id) return;
            void run(() =>
              transferConversation(
                conversation.id,
                kind === 'agent' ? { kind: 'agent', agentId: id } : { kind: 'queue', queueId: id },
              ),
            );
          }}
        >
          <label htmlFor={ids.transfer}>{t('conversation.transferTo')}</label>
          <select id={ids.transfer} value={target} required onChange={(e) => setTarget(e.target.value)}>
            <option value="" disabled>
              {t('conversation.transferPick')}
            </option>
            {(directory?.agents ?? [])
              .filter((a) => a.id !== me?.id)
              .map((a) => (
                <option key={a.id} value={`agent:${a.id}`}>
                  {t('conversation.transferAgent', { name: a.displayName })}
                </option>
              ))}
            {(directory?.queues ?? [])
              .filter((q) => q.channels.includes(conversation.channel))
              .map((q) => (
                <option key={q.id} value={`queue:${q.id}`}>
                  {t('conversation.transferQueue', { name: q.name })}
                </option>
              ))}
          </select>
          <button type="submit" className="button button--primary" disabled={busy || !target}>
            {t('conversation.transferDo')}
          </button>
        </form>
      )}
      {panel === 'merge' && (
        <form
          className="conversation-actions__panel"
          onSubmit={(e) => {
            e.preventDefault();
            if (other) void run(() => mergeConversation(conversation.id, other));
          }}
        >
          {candidates.length === 0 ? (
            <p className="hint">{t('conversation.mergeNone')}</p>
          ) : (
            <>
              <label htmlFor={ids.merge}>{t('conversation.mergeLabel')}</label>
              <select id={ids.merge} value={other} required onChange={(e) => setOther(e.target.value)}>
                <option value="" disabled>
                  {t('conversation.mergePick')}
                </option>
                {candidates.map((c) =>
                  c.kind === 'conversation' ? (
                    <option key={c.id} value={c.id}>
                      {`${new Date(c.at).toLocaleString()} · ${c.subject ?? t('inbox.untitled')}`}
                    </option>
                  ) : null,
                )}
              </select>
              <button type="submit" className="button button--primary" disabled={busy || !other}>
                {t('conversation.mergeDo')}
              </button>
            </>
          )}
        </form>
      )}
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {reason === 'DIFFERENT_CUSTOMERS' || reason === 'STILL_ROUTED'
            ? t(`conversation.errors.${reason}`)
            : errorText(t, error)}
        </p>
      )}
    </div>
  );
}
