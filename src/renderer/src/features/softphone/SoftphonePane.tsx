/**
 * The desk's phone: registration always in view, a problem line, then either
 * the dial form with its pad or the call in progress.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dial } from '@renderer/services/sip/phone';
import { restartPhone } from '@renderer/services/desk-session';
import { useCallsStore } from '@renderer/stores/calls';
import { CallPanel } from './CallPanel';
import { DialPad } from './DialPad';
import { RecentCalls } from './RecentCalls';
import { WrapUpForm } from './WrapUpForm';

export function SoftphonePane({ headingId }: { headingId: string }) {
  const { t } = useTranslation();
  const registration = useCallsStore((s) => s.registration);
  const extension = useCallsStore((s) => s.extension);
  const problem = useCallsStore((s) => s.problem);
  const active = useCallsStore((s) => s.active);
  const dialRequest = useCallsStore((s) => s.dialRequest);
  const wrapUp = useCallsStore((s) => s.wrapUp);
  const autoAnswer = useCallsStore((s) => s.autoAnswer);
  const [number, setNumber] = useState('');
  const [busy, setBusy] = useState(false);

  // A tel:/sip: link or ?dial= fills the number; the agent presses Call.
  useEffect(() => {
    if (!dialRequest) return;
    setNumber(dialRequest.replace(/^(tel|sips?):(\/\/)?/i, ''));
    useCallsStore.getState().dialRequestTaken();
  }, [dialRequest]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!number.trim()) return;
    setBusy(true);
    if (await dial(number)) setNumber('');
    setBusy(false);
  };

  const canDial = registration === 'registered' && !active && !busy;
  return (
    <div className="pane-body softphone">
      <h2 id={headingId} className="pane-heading">
        {t('softphone.heading')}
      </h2>
      <dl className="facts">
        <dt>{t('softphone.registration')}</dt>
        <dd>
          <span
            className={`chip chip--reg-${registration}`}
            role="status"
            aria-label={t('softphone.registration')}
          >
            {t(`softphone.reg.${registration}`)}
          </span>
        </dd>
      </dl>
      {extension && <p className="softphone__extension">{t('softphone.extension', { extension })}</p>}
      {problem && (
        <div className="softphone__problem" role="alert">
          <span>{t(`softphone.problems.${problem}`)}</span>
          {registration === 'failed' ? (
            <button type="button" className="button button--quiet" onClick={() => void restartPhone()}>
              {t('softphone.retry')}
            </button>
          ) : (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => useCallsStore.getState().problemShown(null)}
            >
              {t('softphone.dismiss')}
            </button>
          )}
        </div>
      )}
      {registration === 'not_configured' && <p className="hint">{t('softphone.hint')}</p>}
      {registration !== 'not_configured' && (
        <label className="softphone__option">
          <input
            type="checkbox"
            checked={autoAnswer}
            onChange={(e) => useCallsStore.getState().autoAnswerSet(e.target.checked)}
          />
          {t('softphone.autoAnswer')}
        </label>
      )}
      {active ? (
        <CallPanel call={active} />
      ) : wrapUp ? (
        <WrapUpForm wrapUp={wrapUp} />
      ) : (
        registration !== 'not_configured' && (
          <form className="softphone__dial" onSubmit={(e) => void onSubmit(e)}>
            <label className="field">
              <span>{t('softphone.number')}</span>
              <input
                className="input"
                value={number}
                onChange={(e) => setNumber(e.target.value)}
                inputMode="tel"
                autoComplete="off"
              />
            </label>
            <DialPad onTone={(tone) => setNumber((n) => n + tone)} />
            <button type="submit" className="button button--primary" disabled={!canDial || !number.trim()}>
              {t('softphone.call')}
            </button>
          </form>
        )
      )}
      <RecentCalls />
    </div>
  );
}
