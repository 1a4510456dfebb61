/** Notes agents keep on the customer (not on one conversation): add, and remove one's own. */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CustomerNote, MAX_NOTE_LENGTH } from '@shared/customers';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { addNote, removeNote } from '@renderer/services/customer/customer-actions';
import { formatDateTime } from './format';

interface Props {
  notes: CustomerNote[];
  userId: string | null;
  supervising: boolean;
  readOnly: boolean;
}

export function CustomerNotes({ notes, userId, supervising, readOnly }: Props) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const inputId = useId();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IeumError | null>(null);

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    const body = draft.trim();
    if (!body) return;
    setBusy(true);
    const added = await addNote(body);
    setBusy(false);
    setError(added.ok ? null : added.error);
    if (added.ok) setDraft('');
  };
  const onRemove = async (id: string) => {
    setBusy(true);
    const removed = await removeNote(id);
    setBusy(false);
    setError(removed.ok ? null : removed.error);
  };

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="customer360__subheading">
        {t('customer.notes.heading')}
      </h3>
      {!readOnly && (
        <form className="customer360__note-form" onSubmit={(e) => void onAdd(e)}>
          <label htmlFor={inputId} className="visually-hidden">
            {t('customer.notes.newLabel')}
          </label>
          <textarea
            id={inputId}
            className="field"
            rows={2}
            value={draft}
            maxLength={MAX_NOTE_LENGTH}
            placeholder={t('customer.notes.newLabel')}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="button" disabled={busy || !draft.trim()}>
            {t('customer.notes.add')}
          </button>
        </form>
      )}
      {error && (
        <p className="form-error form-error--inline" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {notes.length === 0 ? (
        <p className="empty empty--left">{t('customer.notes.empty')}</p>
      ) : (
        <ul className="customer360__notes" aria-labelledby={headingId}>
          {notes.map((n) => (
            <li key={n.id} className="customer360__note">
              <p className="customer360__note-body">{n.body}</p>
              <span className="customer360__meta">
                {t('customer.notes.by', {
                  name: n.authorName ?? '—',
                  date: formatDateTime(n.createdAt, i18n.language),
                })}
              </span>
              {!readOnly && (supervising || n.authorId === userId) && (
                <button
                  type="button"
                  className="button button--quiet customer360__small"
                  disabled={busy}
                  onClick={() => void onRemove(n.id)}
                >
                  {t('customer.notes.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
