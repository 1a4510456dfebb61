/** The conversation's tags: each removable, and a field to add one (written to the hub, logged there). */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConversationTag } from '@shared/conversation-tools';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { setTag } from '@renderer/services/conversation/conversation-actions';
import { selectDetailsOf, useConversationToolsStore } from '@renderer/stores/conversation-tools';

export function ConversationTags({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const inputId = useId();
  const details = useConversationToolsStore(selectDetailsOf(conversationId));
  const [text, setText] = useState('');
  const [error, setError] = useState<IeumError | null>(null);
  const tags = details?.tags ?? [];

  const change = async (tag: string, on: boolean) => {
    setError(null);
    const r = await setTag(conversationId, tag, on);
    if (!r.ok) setError(r.error);
    return r.ok;
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = ConversationTag.safeParse(text);
    if (!parsed.success) {
      setError({ code: 'VALIDATION_FAILED', message: 'bad tag' });
      return;
    }
    if (await change(parsed.data, true)) setText('');
  };

  return (
    <div className="conversation-tags" role="group" aria-label={t('conversation.tags')}>
      <ul className="tag-list" aria-label={t('conversation.tags')}>
        {tags.length === 0 && <li className="hint">{t('conversation.noTags')}</li>}
        {tags.map((tag) => (
          <li key={tag} className="chip chip--tag">
            {tag}
            <button
              type="button"
              className="chip__remove"
              aria-label={t('conversation.tagRemove', { tag })}
              onClick={() => void change(tag, false)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="conversation-tags__add" onSubmit={(e) => void add(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('conversation.tagInput')}
        </label>
        <input
          id={inputId}
          value={text}
          maxLength={32}
          placeholder={t('conversation.tagInput')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button" disabled={!text.trim()}>
          {t('conversation.tagAdd')}
        </button>
      </form>
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {errorText(t, error)}
        </p>
      )}
    </div>
  );
}
