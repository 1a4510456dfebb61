/** Notes that mentioned me (`note.mentioned`): who wrote what, and a way to open the conversation. */
import { useTranslation } from 'react-i18next';
import { openMentioned } from '@renderer/services/conversation/conversation-actions';
import { useConversationToolsStore } from '@renderer/stores/conversation-tools';

export function MentionNotices() {
  const { t } = useTranslation();
  const mentions = useConversationToolsStore((s) => s.mentions);
  if (mentions.length === 0) return null;
  return (
    <section className="mentions" aria-label={t('conversation.mentions')}>
      <ul>
        {mentions.map((m) => (
          <li key={m.messageId} className="mention">
            <strong>{t('conversation.mentionFrom', { name: m.authorName })}</strong>
            <p className="mention__body">{m.body}</p>
            <button type="button" className="button" onClick={() => void openMentioned(m.conversationId)}>
              {t('conversation.mentionOpen')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => useConversationToolsStore.getState().mentionDismissed(m.messageId)}
            >
              {t('conversation.mentionDismiss')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
