/** Supervisors: find another record of the same customer, merge it into this one, and undo. */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerSummary } from '@shared/customers';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { findCustomers, mergeInto, undoLastMerge } from '@renderer/services/customer/customer-actions';
import { displayNumber } from '@renderer/features/softphone/display-number';
import { useCustomerStore } from '@renderer/stores/customer';

export function CustomerMerge() {
  const { t } = useTranslation();
  const headingId = useId();
  const inputId = useId();
  const lastMerge = useCustomerStore((s) => s.lastMerge);
  const customerId = useCustomerStore((s) => s.customerId);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CustomerSummary[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IeumError | null>(null);
  const [undone, setUndone] = useState(false);

  const run = async <T,>(work: () => Promise<{ ok: true; value: T } | { ok: false; error: IeumError }>) => {
    setBusy(true);
    const r = await work();
    setBusy(false);
    setError(r.ok ? null : r.error);
    return r;
  };
  const onSearch = async (e: FormEvent) => {
    e.preventDefault();
    if (!query.trim()) return;
    const found = await run(() => findCustomers(query.trim()));
    if (found.ok) setResults(found.value);
  };
  const onMerge = async (other: CustomerSummary) => {
    setUndone(false);
    const merged = await run(() => mergeInto(other));
    if (merged.ok) setResults(null);
  };
  const onUndo = async () => {
    const r = await run(() => undoLastMerge());
    if (r.ok) setUndone(true);
  };

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="customer360__subheading">
        {t('customer.merge.heading')}
      </h3>
      {lastMerge && lastMerge.survivorId === customerId && (
        <p className="customer360__merged" role="status">
          {t('customer.merge.done', { name: lastMerge.mergedName })}{' '}
          <button type="button" className="button" disabled={busy} onClick={() => void onUndo()}>
            {t('customer.merge.undo')}
          </button>
        </p>
      )}
      {undone && <p role="status">{t('customer.merge.undone')}</p>}
      <p className="hint">{t('customer.merge.hint')}</p>
      <form className="customer360__inline-form" onSubmit={(e) => void onSearch(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('customer.merge.searchLabel')}
        </label>
        <input
          id={inputId}
          className="field"
          type="search"
          value={query}
          placeholder={t('customer.merge.searchLabel')}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy || !query.trim()}>
          {t('customer.merge.search')}
        </button>
      </form>
      {results && results.length === 0 && (
        <p className="empty empty--left">{t('customer.merge.noResults')}</p>
      )}
      {results && results.length > 0 && (
        <ul className="customer360__results">
          {results.map((c) => (
            <li key={c.id}>
              <span>{c.name}</span>{' '}
              <span className="customer360__meta">
                {[...c.phones.map(displayNumber), ...c.emails].join(', ')}
              </span>{' '}
              <button type="button" className="button" disabled={busy} onClick={() => void onMerge(c)}>
                {t('customer.merge.action', { name: c.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="form-error form-error--inline" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </section>
  );
}
