/** The call in progress: who, its state and timers, and what the agent can do now. */
import { useTranslation } from 'react-i18next';
import { formatDuration, useNow } from '@renderer/lib/use-now';
import { answer, hangUp, reject, sendDtmf, setHeld, setMuted } from '@renderer/services/sip/phone';
import { TransferForm } from './TransferForm';
import { ConsultPanel } from './ConsultPanel';
import { useCallsStore } from '@renderer/stores/calls';
import { POOR_MOS } from '@renderer/services/sip/call-quality';
import type { DeskCall } from '@renderer/stores/calls';
import { DialPad } from './DialPad';
import { displayNumber } from './display-number';

export function CallPanel({ call }: { call: DeskCall }) {
  const { t } = useTranslation();
  const now = useNow(500);
  const consult = useCallsStore((s) => s.consult);
  const connected = call.state === 'active' || call.state === 'held';
  const talkSeconds = (now - (call.answeredAt ?? call.startedAt)) / 1000;
  return (
    <section
      className={`call call--${call.state}`}
      aria-label={t('softphone.currentCall')}
      data-pop-ms={call.popMs ?? undefined}
    >
      <p className="call__state" role="status">
        {t(`softphone.state.${call.state}`)}
      </p>
      <p className="call__party">
        {call.remoteName ? `${call.remoteName} · ${displayNumber(call.remote)}` : displayNumber(call.remote)}
      </p>
      {call.customer && (
        <p className="call__customer">{t('softphone.customer', { name: call.customer.name })}</p>
      )}
      <p className="call__timer" role="timer" aria-label={t('softphone.callTimer')}>
        {formatDuration(talkSeconds)}
      </p>
      {call.state === 'held' && call.heldSince !== null && (
        <p className="call__timer call__timer--hold" role="timer" aria-label={t('softphone.holdTimer')}>
          {formatDuration((now - call.heldSince) / 1000)}
        </p>
      )}
      {connected && call.quality && (
        <p className={`call__quality${call.quality.mos < POOR_MOS ? ' call__quality--poor' : ''}`}>
          {t('softphone.quality', {
            mos: call.quality.mos.toFixed(1),
            jitter: call.quality.jitterMs,
            loss: call.quality.lossPct,
          })}
        </p>
      )}
      {connected && call.quality && call.quality.mos < POOR_MOS && (
        <p className="call__quality-warning" role="alert">
          {t('softphone.poorQuality')}
        </p>
      )}
      {call.recovering && (
        <p className="call__recovering" aria-live="polite">
          {t('softphone.recovering')}
        </p>
      )}
      <div className="call__actions">
        {call.state === 'incoming' && (
          <>
            <button type="button" className="button button--primary" onClick={() => void answer()}>
              {t('softphone.answer')}
            </button>
            <button type="button" className="button" onClick={() => void reject()}>
              {t('softphone.reject')}
            </button>
          </>
        )}
        {connected && (
          <>
            <button type="button" className="button" onClick={() => void setHeld(call.state !== 'held')}>
              {call.state === 'held' ? t('softphone.resume') : t('softphone.hold')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              aria-pressed={call.muted}
              onClick={() => setMuted(!call.muted)}
            >
              {t('softphone.mute')}
            </button>
          </>
        )}
        {call.state !== 'incoming' && (
          <button type="button" className="button button--danger" onClick={() => void hangUp()}>
            {t('softphone.hangUp')}
          </button>
        )}
      </div>
      {call.state === 'active' && <DialPad onTone={(tone) => void sendDtmf(tone)} />}
      {consult ? <ConsultPanel consult={consult} /> : connected && <TransferForm />}
      {call.dtmf && <p className="call__dtmf">{t('softphone.dtmfSent', { tones: call.dtmf })}</p>}
    </section>
  );
}
