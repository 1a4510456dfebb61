/** The customer's tags: remove one, add one; saved to the hub at once. */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TAGS } from '@shared/customers';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { saveTags } from '@renderer/services/customer/customer-actions';

export function CustomerTags({ tags, readOnly }: { tags: string[]; readOnly: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const inputId = useId();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<IeumError | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (next: string[]) => {
    setBusy(true);
    const saved = await saveTags(next);
    setBusy(false);
    setError(saved.ok ? null : saved.error);
    return saved.ok;
  };
  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    const tag = draft.trim();
    if (!tag || tags.includes(tag)) return setDraft('');
    if (await save([...tags, tag])) setDraft('');
  };

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="customer360__subheading">
        {t('customer.tags.heading')}
      </h3>
      {tags.length === 0 ? (
        <p className="empty empty--left">{t('customer.tags.empty')}</p>
      ) : (
        <ul className="customer360__tags" aria-labelledby={headingId}>
          {tags.map((tag) => (
            <li key={tag} className="chip">
              {tag}
              {!readOnly && (
                <button
                  type="button"
                  className="customer360__chip-remove"
                  aria-label={t('customer.tags.remove', { tag })}
                  disabled={busy}
                  onClick={() => void save(tags.filter((x) => x !== tag))}
                >
                  <span aria-hidden="true">{'×'}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && tags.length < MAX_TAGS && (
        <form className="customer360__inline-form" onSubmit={(e) => void onAdd(e)}>
          <label htmlFor={inputId} className="visually-hidden">
            {t('customer.tags.newLabel')}
          </label>
          <input
            id={inputId}
            className="field"
            value={draft}
            maxLength={32}
            placeholder={t('customer.tags.newLabel')}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="button" disabled={busy || !draft.trim()}>
            {t('customer.tags.add')}
          </button>
        </form>
      )}
      {error && (
        <p className="form-error form-error--inline" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </section>
  );
}
