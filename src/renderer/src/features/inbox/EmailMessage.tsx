/**
 * One message of an email conversation: subject, from and to, the mail's
 * HTML as the hub sanitised it (in a sandboxed frame without scripts, so
 * even markup the sanitiser missed cannot run or load anything), the quoted
 * history collapsed behind a button, and the attachments. A reply's delivery
 * (queued → sent → delivered | failed) is DeliveryStatus's, beside it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '@shared/domain';
import type { EmailAttachment, EmailView } from '@shared/email';
import { downloadEmailAttachment } from '@renderer/services/email/email-api';
import { loadEmailViews } from '@renderer/services/email/email-loader';
import { selectDelivery, useDeliveriesStore } from '@renderer/stores/deliveries';
import { selectEmailView, useEmailStore } from '@renderer/stores/email';

/** The frame's own policy: nothing loads or runs, whatever the markup says. */
const FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function frameDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><style>body{font:14px/1.5 system-ui,sans-serif;margin:8px;color:#1f2328;word-break:break-word}img{max-width:100%}</style></head><body>${html}</body></html>`;
}

function MailFrame({ html, title }: { html: string; title: string }) {
  // sandbox="" : no scripts, no same-origin, no forms, no popups, no top navigation.
  return <iframe className="email__frame" sandbox="" title={title} srcDoc={frameDocument(html)} />;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function Attachments({ items }: { items: EmailAttachment[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <ul className="email__attachments" aria-label={t('email.attachments')}>
      {items.map((a) => (
        <li key={a.id}>
          {a.stored ? (
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={() => void downloadEmailAttachment(a.id, a.name)}
            >
              {t('email.attachment', { name: a.name, size: formatSize(a.size) })}
            </button>
          ) : (
            <span className="email__attachment--dropped">
              {t('email.attachmentNotKept', { name: a.name, size: formatSize(a.size) })}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function Quoted({ view }: { view: EmailView }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!view.quotedHtml && !view.quotedText) return null;
  return (
    <div className="email__quoted">
      <button
        type="button"
        className="button button--quiet button--small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? t('email.hideQuoted') : t('email.showQuoted')}
      </button>
      <div id={id} hidden={!open}>
        {open &&
          (view.quotedHtml ? (
            <MailFrame html={view.quotedHtml} title={t('email.quotedFrameTitle')} />
          ) : (
            <pre className="email__quoted-text">{view.quotedText}</pre>
          ))}
      </div>
    </div>
  );
}

export function EmailMessage({ message }: { message: Message }) {
  const { t } = useTranslation();
  const view = useEmailStore(selectEmailView(message.id));
  const asked = useRef<string | null>(null);
  const delivery = useDeliveriesStore(selectDelivery(message))?.status ?? null;

  useEffect(() => {
    // A customer's mail has its view from the moment it is stored; a reply's
    // appears once the channel has sent it, so ask again when its delivery moves.
    const key = `${delivery}`;
    if (message.direction === 'note' || asked.current === key) return;
    if (view && (message.direction === 'in' || view.status === delivery)) return;
    asked.current = key;
    void loadEmailViews(message.conversationId);
  }, [view, delivery, message.conversationId, message.direction]);

  if (!view) return <p className="message__body">{message.body}</p>;
  return (
    <div className="email">
      <dl className="email__headers">
        <dt>{t('email.subject')}</dt>
        <dd>{view.subject || t('email.noSubject')}</dd>
        <dt>{t('email.from')}</dt>
        <dd>{view.from.name ? `${view.from.name} <${view.from.address}>` : view.from.address}</dd>
        <dt>{t('email.to')}</dt>
        <dd>{view.to.join(', ')}</dd>
        {view.cc.length > 0 && (
          <>
            <dt>{t('email.cc')}</dt>
            <dd>{view.cc.join(', ')}</dd>
          </>
        )}
      </dl>
      {view.html ? (
        <MailFrame html={view.html} title={t('email.frameTitle')} />
      ) : (
        <p className="message__body">{message.body}</p>
      )}
      <Quoted view={view} />
      <Attachments items={view.attachments} />
      {/* A reply's delivery is shown under the message by DeliveryStatus; only machine-made mail gets a line here. */}
      {view.auto && <p className="email__status">{t('email.autoMail')}</p>}
    </div>
  );
}
