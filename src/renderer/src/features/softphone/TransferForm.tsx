/**
 * Transfer of the call in progress to an agent's extension, a queue number or
 * any number: at once (blind, REFER), or after talking to them first
 * (consult-then-transfer: the customer waits on hold).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { blindTransfer, startConsult } from '@renderer/services/sip/phone';

export function TransferForm() {
  const { t } = useTranslation();
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (how: (target: string) => Promise<boolean>) => {
    if (!target.trim()) return;
    setBusy(true);
    await how(target);
    setBusy(false);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void run(blindTransfer);
  };

  return (
    <form className="call__transfer" onSubmit={onSubmit}>
      <label className="field">
        <span>{t('softphone.transferTo')}</span>
        <input
          className="input"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          autoComplete="off"
        />
      </label>
      <button type="submit" className="button" disabled={busy || !target.trim()}>
        {t('softphone.transfer')}
      </button>
      <button
        type="button"
        className="button button--quiet"
        disabled={busy || !target.trim()}
        onClick={() => void run(startConsult)}
      >
        {t('softphone.consult')}
      </button>
    </form>
  );
}
