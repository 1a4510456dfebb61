/**
 * The reply composer: a reply to the customer or an internal note, with the
 * draft kept per conversation. `/` opens the site's canned responses (their
 * variables filled in, their files sent along); in a note `@` offers the
 * site's agents to mention. A reply longer than its channel takes is not
 * sent: the composer says so and the text stays.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CannedResponseView,
  DEFAULT_REPLY_LIMITS,
  fillCannedResponse,
} from '@shared/conversation-tools';
import { type Conversation, MAX_MESSAGE_LENGTH } from '@shared/domain';
import type { IeumError } from '@shared/errors';
import { useDraft } from '@renderer/host/use-draft';
import { errorText } from '@renderer/lib/error-text';
import { loadOrders, sendCanned, setPresence } from '@renderer/services/conversation/conversation-actions';
import { sendMessage } from '@renderer/services/desk-session';
import {
  filterAgents,
  filterCanned,
  mentionHandle,
  useConversationToolsStore,
} from '@renderer/stores/conversation-tools';
import { useCustomerStore } from '@renderer/stores/customer';
import { latestOrderNumber, useCustomerOrdersStore } from '@renderer/stores/customer-orders';
import { selectReplyChannel, useReplyChannelStore } from '@renderer/stores/reply-channel';
import { useSessionStore } from '@renderer/stores/session';
import { ReplyChannelSelect } from './ReplyChannelSelect';
import { SuggestionList, moveActive, optionId, triggerAt } from './SuggestionList';

/** The agent counts as typing until this long after the last key. */
const TYPING_IDLE_MS = 3000;
const ORDER_VARIABLE = /\{\{\s*order[._ ]number\s*\}\}|\{\s*(order number|주문번호|주문 번호)\s*\}/i;

export function Composer({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const ids = { text: useId(), list: useId(), limit: useId() };
  const { draft, setDraft, clearDraft } = useDraft(conversation.id);
  const [mode, setMode] = useState<'out' | 'note'>('out');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [canned, setCanned] = useState<CannedResponseView | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<IeumError | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const caretAfter = useRef<number | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const directory = useConversationToolsStore((s) => s.directory);
  const me = useSessionStore((s) => s.user);
  // The channel a reply goes by: the conversation's own unless the agent chose another (SMS to a web chat customer…).
  const replyChannel = useReplyChannelStore(selectReplyChannel(conversation.id, conversation.channel));

  // A new conversation starts as a reply, with nothing picked.
  useEffect(() => {
    setMode('out');
    setCanned(null);
    setError(null);
    return () => clearTimeout(typingTimer.current);
  }, [conversation.id]);

  useEffect(() => {
    if (caretAfter.current === null || !textRef.current) return;
    textRef.current.setSelectionRange(caretAfter.current, caretAfter.current);
    setCaret(caretAfter.current);
    caretAfter.current = null;
  }, [draft]);

  const limit =
    mode === 'out'
      ? (directory?.replyLimits[replyChannel] ?? DEFAULT_REPLY_LIMITS[replyChannel])
      : MAX_MESSAGE_LENGTH;
  const tooLong = draft.length > limit;

  const slash = mode === 'out' ? triggerAt(draft, caret, '/') : null;
  const mention = mode === 'note' ? triggerAt(draft, caret, '@') : null;
  const trigger = slash ?? mention;
  const open = trigger !== null && trigger.start !== dismissedAt;
  const cannedItems = slash ? filterCanned(directory?.canned ?? [], slash.query) : [];
  const agentItems = mention ? filterAgents(directory?.agents ?? [], mention.query, me?.id ?? null) : [];
  const count = slash ? cannedItems.length : agentItems.length;
  const activeIndex = Math.min(active, Math.max(0, count - 1));

  const replace = (start: number, text: string) => {
    const next = draft.slice(0, start) + text + draft.slice(caret);
    caretAfter.current = start + text.length;
    setDraft(next);
    setActive(0);
  };

  const pick = async (index: number) => {
    if (slash) {
      const item = cannedItems[index];
      if (!item) return;
      const customer = useCustomerStore.getState().customer;
      let orders = useCustomerOrdersStore.getState();
      if (ORDER_VARIABLE.test(item.body) && orders.customerId !== conversation.customerId) {
        await loadOrders(conversation.customerId);
        orders = useCustomerOrdersStore.getState();
      }
      const body = fillCannedResponse(item.body, {
        customerName: customer?.id === conversation.customerId ? customer.name : null,
        agentName: me?.displayName ?? null,
        orderNumber: orders.customerId === conversation.customerId ? latestOrderNumber(orders.orders) : null,
      });
      replace(slash.start, body);
      setCanned(item.attachments.length > 0 ? item : null);
    } else if (mention) {
      const agent = agentItems[index];
      if (agent) replace(mention.start, `@${mentionHandle(agent)} `);
    }
  };

  const typing = () => {
    void setPresence(conversation.id, true);
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => void setPresence(conversation.id, false), TYPING_IDLE_MS);
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const body = draft.trim();
    if (!body || sending || tooLong) return;
    setSending(true);
    setError(null);
    // A canned response's files travel on the conversation's own channel; on another channel its text goes alone.
    const result =
      canned && mode === 'out' && replyChannel === conversation.channel
        ? await sendCanned(conversation.id, canned.id, body)
        : await sendMessage(conversation.id, body, mode);
    setSending(false);
    if (result.ok) {
      void clearDraft();
      setCanned(null);
      clearTimeout(typingTimer.current);
      void setPresence(conversation.id, false);
    } else setError(result.error);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter that ends a Korean IME composition is the IME's, not a pick or a send.
    if (event.nativeEvent.isComposing) return;
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      setActive(moveActive(activeIndex, event.key, count));
      return;
    }
    if (
      open &&
      count > 0 &&
      (event.key === 'Enter' || event.key === 'Tab') &&
      !event.ctrlKey &&
      !event.metaKey
    ) {
      event.preventDefault();
      void pick(activeIndex);
      return;
    }
    if (open && event.key === 'Escape') {
      event.preventDefault();
      setDismissedAt(trigger.start);
      return;
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
  };

  const label = mode === 'out' ? t('inbox.composerLabel') : t('conversation.noteLabel');
  return (
    <form className={`composer composer--${mode}`} onSubmit={(e) => void submit(e)}>
      <fieldset className="composer__mode">
        <legend className="visually-hidden">{t('conversation.mode')}</legend>
        {(['out', 'note'] as const).map((m) => (
          <label key={m}>
            <input
              type="radio"
              name={`${ids.text}-mode`}
              checked={mode === m}
              onChange={() => {
                setMode(m);
                setCanned(null);
              }}
            />
            {m === 'out' ? t('conversation.modeReply') : t('conversation.modeNote')}
          </label>
        ))}
      </fieldset>
      {mode === 'out' && <ReplyChannelSelect conversation={conversation} />}
      <div className="composer__field">
        <label htmlFor={ids.text} className="visually-hidden">
          {label}
        </label>
        {open && (
          <SuggestionList
            id={ids.list}
            label={slash ? t('conversation.cannedList') : t('conversation.mentionList')}
            items={
              slash
                ? cannedItems.map((c) => ({ id: c.id, label: `/${c.shortcut} · ${c.title}`, detail: c.body }))
                : agentItems.map((a) => ({ id: a.id, label: a.displayName, detail: `@${a.username}` }))
            }
            active={activeIndex}
            empty={slash ? t('conversation.cannedNone') : t('conversation.mentionNone')}
            onPick={(i) => void pick(i)}
          />
        )}
        <textarea
          ref={textRef}
          id={ids.text}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? ids.list : undefined}
          aria-activedescendant={open && count > 0 ? optionId(ids.list, activeIndex) : undefined}
          aria-invalid={tooLong}
          aria-describedby={tooLong ? ids.limit : undefined}
          value={draft}
          maxLength={MAX_MESSAGE_LENGTH}
          placeholder={mode === 'out' ? t('inbox.composerPlaceholder') : t('conversation.notePlaceholder')}
          onChange={(e) => {
            setDraft(e.target.value);
            setCaret(e.target.selectionStart);
            setDismissedAt(null);
            typing();
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          rows={3}
        />
      </div>
      {canned && (
        <p className="composer__canned">
          {t('conversation.cannedAttachments', { count: canned.attachments.length })}{' '}
          <button type="button" className="button button--quiet" onClick={() => setCanned(null)}>
            {t('conversation.cannedDrop')}
          </button>
        </p>
      )}
      {tooLong && (
        <p id={ids.limit} role="alert" className="form-error form-error--inline">
          {t('conversation.tooLong', {
            length: draft.length.toLocaleString(),
            limit: limit.toLocaleString(),
            channel: t(`inbox.channels.${replyChannel}`),
          })}
        </p>
      )}
      {error && (
        <p role="alert" className="form-error form-error--inline">
          {errorText(t, error)}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={sending || !draft.trim() || tooLong}>
        {sending ? t('inbox.sending') : t('inbox.send')}
      </button>
    </form>
  );
}
