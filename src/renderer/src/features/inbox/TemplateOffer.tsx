/**
 * Offered under a reply the hub refused because the customer's messenger
 * session is over: send a registered notification template (알림톡 style)
 * to their phone instead — a call-back notice (with the time) or the
 * survey invitation. The sent template appears as a message with its
 * delivery status.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { v4 as uuidv4 } from 'uuid';
import type { NotificationTemplate } from '@shared/channels';
import type { IeumError } from '@shared/errors';
import { errorText } from '@renderer/lib/error-text';
import { sendTemplate } from '@renderer/services/channels/channel-api';
import { useDeliveriesStore } from '@renderer/stores/deliveries';
import { useInboxStore } from '@renderer/stores/inbox';

export function TemplateOffer({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [template, setTemplate] = useState<NotificationTemplate>('callback');
  const [time, setTime] = useState('');
  const [commandId] = useState(() => uuidv4());
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<IeumError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const r = await sendTemplate(
      conversationId,
      template,
      template === 'callback' ? { time } : {},
      commandId,
    );
    setBusy(false);
    if (!r.ok) return setError(r.error);
    useInboxStore.getState().messageCreated(r.value);
    useDeliveriesStore.getState().messagesSeen([r.value]);
    setSent(true);
  };

  if (sent) return <p role="status">{t('channels.template.sent')}</p>;
  return (
    <form
      className="template-offer"
      aria-label={t('channels.template.heading')}
      onSubmit={(e) => void submit(e)}
    >
      <label htmlFor={`${id}-template`}>{t('channels.template.kind')}</label>
      <select
        id={`${id}-template`}
        value={template}
        onChange={(e) => setTemplate(e.target.value as NotificationTemplate)}
      >
        <option value="callback">{t('channels.template.callback')}</option>
        <option value="survey">{t('channels.template.survey')}</option>
      </select>
      {template === 'callback' && (
        <>
          <label htmlFor={`${id}-time`}>{t('channels.template.time')}</label>
          <input
            id={`${id}-time`}
            value={time}
            maxLength={40}
            required
            onChange={(e) => setTime(e.target.value)}
          />
        </>
      )}
      <button type="submit" className="button button--quiet" disabled={busy}>
        {t('channels.template.send')}
      </button>
      {error && (
        <span role="alert" className="form-error form-error--inline">
          {errorText(t, error)}
        </span>
      )}
    </form>
  );
}
