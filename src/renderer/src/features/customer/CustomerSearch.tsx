/** Find a customer of the site by name, phone or email and show them in the pane. */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerSummary } from '@shared/customers';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { findCustomers } from '@renderer/services/customer/customer-actions';
import { displayNumber } from '@renderer/features/softphone/display-number';
import { useCustomerStore } from '@renderer/stores/customer';

export function CustomerSearch() {
  const { t } = useTranslation();
  const inputId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CustomerSummary[] | null>(null);
  const [error, setError] = useState<IeumError | null>(null);
  const [busy, setBusy] = useState(false);

  const onSearch = async (e: FormEvent) => {
    e.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    const found = await findCustomers(query.trim());
    setBusy(false);
    setError(found.ok ? null : found.error);
    setResults(found.ok ? found.value : null);
  };
  const open = (c: CustomerSummary) => {
    setResults(null);
    setQuery('');
    useCustomerStore.getState().focus(c.id);
  };

  return (
    <div className="customer360__search">
      <form role="search" className="customer360__inline-form" onSubmit={(e) => void onSearch(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('customer.search.label')}
        </label>
        <input
          id={inputId}
          className="field"
          type="search"
          value={query}
          placeholder={t('customer.search.label')}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy || !query.trim()}>
          {t('customer.search.submit')}
        </button>
      </form>
      {results && results.length === 0 && <p className="empty empty--left">{t('customer.search.none')}</p>}
      {results && results.length > 0 && (
        <ul className="customer360__results" aria-label={t('customer.search.results')}>
          {results.map((c) => (
            <li key={c.id}>
              <button type="button" className="button button--quiet" onClick={() => open(c)}>
                {t('customer.search.open', { name: c.name })}
              </button>{' '}
              <span className="customer360__meta">
                {[...c.phones.map(displayNumber), ...c.emails].join(', ')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="form-error form-error--inline" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </div>
  );
}
