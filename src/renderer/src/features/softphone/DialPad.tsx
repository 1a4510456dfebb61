/** The twelve keys of a phone: digits while dialling, DTMF tones during a call. */
import { useTranslation } from 'react-i18next';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export function DialPad({ onTone }: { onTone: (tone: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="dial-pad" role="group" aria-label={t('softphone.dialPad')}>
      {KEYS.map((key) => (
        <button key={key} type="button" className="button dial-pad__key" onClick={() => onTone(key)}>
          {key}
        </button>
      ))}
    </div>
  );
}
