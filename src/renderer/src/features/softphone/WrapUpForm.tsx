/** After a call: the disposition (and a note) before the next one. */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { submitWrapUp } from '@renderer/services/sip/phone';
import type { PendingWrapUp } from '@renderer/stores/calls';
import { useCallsStore } from '@renderer/stores/calls';
import { displayNumber } from './display-number';

export function WrapUpForm({ wrapUp }: { wrapUp: PendingWrapUp }) {
  const { t } = useTranslation();
  const dispositions = useCallsStore((s) => s.dispositions);
  const [dispositionId, setDispositionId] = useState('');
  const [note, setNote] = useState('');
  const headingId = useId();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (dispositionId) await submitWrapUp(dispositionId, note);
  };

  return (
    <form className="wrap-up" aria-labelledby={headingId} onSubmit={(e) => void onSubmit(e)}>
      <h3 id={headingId} className="wrap-up__heading">
        {t('softphone.wrapUp.heading')}
      </h3>
      <p>
        {t('softphone.wrapUp.with', {
          remote: wrapUp.customer
            ? `${wrapUp.customer.name} · ${displayNumber(wrapUp.remote)}`
            : displayNumber(wrapUp.remote),
        })}
      </p>
      <label className="field">
        <span>{t('softphone.wrapUp.disposition')}</span>
        <select
          className="input"
          value={dispositionId}
          onChange={(e) => setDispositionId(e.target.value)}
          required
        >
          <option value="">{t('softphone.wrapUp.choose')}</option>
          {dispositions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('softphone.wrapUp.note')}</span>
        <textarea
          className="input"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          maxLength={2000}
        />
      </label>
      <button type="submit" className="button button--primary" disabled={!dispositionId || wrapUp.saving}>
        {t('softphone.wrapUp.submit')}
      </button>
    </form>
  );
}
