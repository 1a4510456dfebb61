/** One global hotkey: focus the field and press the key combination you want. */
import { useId, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HotkeyAction } from '@shared/host-api';
import { captureAccelerator, displayAccelerator } from './accelerator';

interface Props {
  action: HotkeyAction;
  accelerator: string | null;
  mac: boolean;
  hintId: string;
  onChange(accelerator: string | null): void;
}

export function HotkeyField({ action, accelerator, mac, hintId, onChange }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const capture = captureAccelerator(event);
    if (capture.kind === 'ignore') return;
    event.preventDefault();
    event.stopPropagation();
    onChange(capture.kind === 'clear' ? null : capture.accelerator);
  };
  return (
    <div className="hotkey-field">
      <label htmlFor={id}>
        {t('settings.hotkeyLabel', { action: t(`settings.hotkeyActions.${action}`) })}
      </label>
      <input
        id={id}
        type="text"
        readOnly
        value={accelerator ? displayAccelerator(accelerator, mac) : t('settings.hotkeyOff')}
        aria-describedby={hintId}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
