/** The selected conversation: its messages (each shown once) and the reply composer. */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_MESSAGE_LENGTH } from '@shared/domain';
import type { IeumError } from '@shared/errors';
import { ReassignControl } from '@renderer/features/supervision/ReassignControl';
import { useDraft } from '@renderer/host/use-draft';
import { errorText } from '@renderer/lib/error-text';
import { sendMessage } from '@renderer/services/desk-session';
import { selectMessagesOf, selectSelected, useInboxStore } from '@renderer/stores/inbox';
import { DeliveryStatus } from './DeliveryStatus';
import { EmailMessage } from './EmailMessage';
import { PendingMessages } from './PendingMessages';
import { WorkActions } from './WorkActions';

export function ConversationView() {
  const { t, i18n } = useTranslation();
  const conversation = useInboxStore(selectSelected);
  const messages = useInboxStore(selectMessagesOf(conversation?.id ?? null));
  const composerId = useId();
  const { draft, setDraft, clearDraft } = useDraft(conversation?.id ?? null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<IeumError | null>(null);
  const endRef = useRef<HTMLLIElement>(null);
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }),
    [i18n.language],
  );

  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length]);

  if (!conversation) {
    return (
      <div className="conversation conversation--empty">
        <p className="empty">{t('inbox.selectPrompt')}</p>
      </div>
    );
  }

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const body = draft.trim();
    if (!body || sending) return;
    setSending(true);
    setError(null);
    const result = await sendMessage(conversation.id, body);
    setSending(false);
    if (result.ok) void clearDraft();
    else setError(result.error);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
  };

  return (
    <article className="conversation" aria-labelledby={`${composerId}-title`}>
      <header className="conversation__header">
        <h3 id={`${composerId}-title`}>{conversation.subject ?? t('inbox.untitled')}</h3>
        <span className={`chip chip--${conversation.channel}`}>
          {t(`inbox.channels.${conversation.channel}`)}
        </span>
        <WorkActions conversationId={conversation.id} />
        <ReassignControl conversationId={conversation.id} assigneeId={conversation.assigneeId} />
      </header>
      <ol className="messages" aria-label={t('inbox.messagesLabel')}>
        {messages.length === 0 && <li className="empty">{t('inbox.noMessages')}</li>}
        {messages.map((m) => (
          <li key={m.id} className={`message message--${m.direction}`}>
            <span className="message__who">{t(`inbox.direction.${m.direction}`)}</span>
            {conversation.channel === 'email' ? (
              <EmailMessage message={m} />
            ) : (
              <p className="message__body">{m.body}</p>
            )}
            <time className="message__time" dateTime={m.createdAt}>
              {timeFormat.format(new Date(m.createdAt))}
            </time>
            <DeliveryStatus message={m} />
          </li>
        ))}
        <PendingMessages conversationId={conversation.id} messages={messages} />
        <li ref={endRef} aria-hidden="true" className="messages__end" />
      </ol>
      <form className="composer" onSubmit={(e) => void submit(e)}>
        <label htmlFor={composerId} className="visually-hidden">
          {t('inbox.composerLabel')}
        </label>
        <textarea
          id={composerId}
          value={draft}
          maxLength={MAX_MESSAGE_LENGTH}
          placeholder={t('inbox.composerPlaceholder')}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          rows={3}
        />
        {error && (
          <p role="alert" className="form-error form-error--inline">
            {errorText(t, error)}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={sending || !draft.trim()}>
          {sending ? t('inbox.sending') : t('inbox.send')}
        </button>
      </form>
    </article>
  );
}
