/** Blind transfer of the call in progress to an agent's extension or a number. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { blindTransfer } from '@renderer/services/sip/phone';

export function TransferForm() {
  const { t } = useTranslation();
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!target.trim()) return;
    setBusy(true);
    await blindTransfer(target);
    setBusy(false);
  };

  return (
    <form className="call__transfer" onSubmit={(e) => void onSubmit(e)}>
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
    </form>
  );
}
