/**
 * The selected conversation: who else is on it, its tools and tags, its
 * messages (each shown once; older pages load on scroll-up or with the
 * button, live ones append), the customer's typing and read receipts, files
 * inline, and the composer.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ReassignControl } from '@renderer/features/supervision/ReassignControl';
import {
  loadConversationExtras,
  loadOlderMessages,
  refreshAttachments,
  setPresence,
} from '@renderer/services/conversation/conversation-actions';
import {
  selectAttachmentsOf,
  selectDetailsOf,
  selectHistoryOf,
  selectVisitorOf,
  useConversationToolsStore,
} from '@renderer/stores/conversation-tools';
import { selectMessagesOf, selectSelected, useInboxStore } from '@renderer/stores/inbox';
import { CollisionWarning } from './CollisionWarning';
import { Composer } from './Composer';
import { DeliveryStatus } from './DeliveryStatus';
import { ConversationActions } from './ConversationActions';
import { ConversationTags } from './ConversationTags';
import { MentionNotices } from './MentionNotices';
import { MessageAttachment } from './MessageAttachment';
import { EmailMessage } from './EmailMessage';
import { PendingMessages } from './PendingMessages';
import { WorkActions } from './WorkActions';
import './conversation.css';

/** Scrolled this close to the top, the next older page loads. */
const LOAD_OLDER_AT_PX = 40;

export function ConversationView() {
  const { t, i18n } = useTranslation();
  const conversation = useInboxStore(selectSelected);
  const id = conversation?.id ?? null;
  const messages = useInboxStore(selectMessagesOf(id));
  const history = useConversationToolsStore(selectHistoryOf(id));
  const visitor = useConversationToolsStore(selectVisitorOf(id));
  const attachments = useConversationToolsStore(selectAttachmentsOf(id));
  const details = useConversationToolsStore(selectDetailsOf(id));
  const titleId = useId();
  const listRef = useRef<HTMLOListElement>(null);
  const before = useRef<{ firstId: string | undefined; height: number; top: number } | null>(null);
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }),
    [i18n.language],
  );
  const dateTimeFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }),
    [i18n.language],
  );

  // Opening a conversation: its tags and files, and tell the hub we are looking at it.
  useEffect(() => {
    if (!id) return;
    void loadConversationExtras(id);
    void setPresence(id, false);
  }, [id]);
  useEffect(() => () => void setPresence(null), []);

  // A file message we have no details for yet (it just arrived): ask for them.
  const missingFile = messages.some((m) => m.body.startsWith('📎 ') && !attachments[m.id]);
  useEffect(() => {
    if (id && missingFile) void refreshAttachments(id);
  }, [id, missingFile, messages.length]);

  // New messages at the end scroll into view; older ones prepended keep the reader where they were.
  const firstId = messages[0]?.id;
  const lastId = messages.at(-1)?.id;
  useLayoutEffect(() => {
    const el = listRef.current;
    const b = before.current;
    if (el && b && b.firstId !== firstId) {
      el.scrollTop = el.scrollHeight - b.height + b.top;
      before.current = null;
    }
  }, [firstId]);
  useEffect(() => {
    const el = listRef.current;
    if (el && !before.current) el.scrollTop = el.scrollHeight;
  }, [lastId, id]);

  const older = () => {
    const el = listRef.current;
    if (!id || history.loading || history.exhausted) return;
    before.current = { firstId, height: el?.scrollHeight ?? 0, top: el?.scrollTop ?? 0 };
    void loadOlderMessages(id).finally(() => {
      // Nothing was prepended (the start, or an error): scroll as usual again.
      if (before.current?.firstId === useInboxStore.getState().messages[id]?.[0]?.id) before.current = null;
    });
  };

  if (!conversation) {
    return (
      <div className="conversation conversation--empty">
        <MentionNotices />
        <p className="empty">{t('inbox.selectPrompt')}</p>
      </div>
    );
  }

  const readUpTo = visitor?.readUpTo ? Date.parse(visitor.readUpTo) : null;
  return (
    <article className="conversation" aria-labelledby={titleId}>
      <header className="conversation__header">
        <div className="conversation__title">
          <h3 id={titleId}>{conversation.subject ?? t('inbox.untitled')}</h3>
          <span className={`chip chip--${conversation.channel}`}>
            {t(`inbox.channels.${conversation.channel}`)}
          </span>
          <span className={`chip chip--status-${conversation.status}`}>
            {t(`inbox.statuses.${conversation.status}`)}
          </span>
          {conversation.status === 'snoozed' && details?.snoozedUntil && (
            <span className="hint">
              {t('conversation.snoozedUntil', {
                time: dateTimeFormat.format(new Date(details.snoozedUntil)),
              })}
            </span>
          )}
        </div>
        <WorkActions conversationId={conversation.id} />
        <ReassignControl conversationId={conversation.id} assigneeId={conversation.assigneeId} />
        <ConversationActions conversation={conversation} />
        <ConversationTags conversationId={conversation.id} />
        <CollisionWarning conversationId={conversation.id} />
        {details?.mergedInto && <p role="status">{t('conversation.mergedInto')}</p>}
        <MentionNotices />
      </header>
      <ol
        ref={listRef}
        className="messages"
        aria-label={t('inbox.messagesLabel')}
        onScroll={(e) => {
          if (e.currentTarget.scrollTop < LOAD_OLDER_AT_PX) older();
        }}
      >
        <li className="messages__older">
          {history.exhausted ? (
            <span className="hint">{t('conversation.olderNone')}</span>
          ) : (
            <button type="button" className="button button--quiet" disabled={history.loading} onClick={older}>
              {history.loading ? t('conversation.olderLoading') : t('conversation.olderLoad')}
            </button>
          )}
        </li>
        {messages.length === 0 && <li className="empty">{t('inbox.noMessages')}</li>}
        {messages.map((m) => {
          const file = attachments[m.id];
          const read = m.direction === 'out' && readUpTo !== null && Date.parse(m.createdAt) <= readUpTo;
          return (
            <li key={m.id} className={`message message--${m.direction}`}>
              <span className="message__who">{t(`inbox.direction.${m.direction}`)}</span>
              {/* Text only: HTML or script a customer typed is shown as typed, never run. */}
              {m.direction !== 'note' && (m.channel ?? conversation.channel) === 'email' ? (
                <EmailMessage message={m} />
              ) : (
                <p className="message__body">{m.body}</p>
              )}
              {file && <MessageAttachment attachment={file} />}
              <time className="message__time" dateTime={m.createdAt}>
                {timeFormat.format(new Date(m.createdAt))}
                {read && <span className="message__read">{` · ${t('conversation.read')}`}</span>}
              </time>
              <DeliveryStatus message={m} />
            </li>
          );
        })}
        <PendingMessages conversationId={conversation.id} messages={messages} />
        {visitor?.typing && (
          <li className="message message--in message--typing" role="status">
            {t('conversation.customerTyping')}
          </li>
        )}
      </ol>
      <Composer conversation={conversation} />
    </article>
  );
}
