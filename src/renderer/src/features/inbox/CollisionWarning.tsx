/** "OO님이 보고 있음 / 입력 중": someone else has this conversation open (presence, ephemeral). */
import { useTranslation } from 'react-i18next';
import { selectViewersOf, useConversationToolsStore } from '@renderer/stores/conversation-tools';

export function CollisionWarning({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const viewers = useConversationToolsStore(selectViewersOf(conversationId));
  const typing = viewers.filter((v) => v.typing).map((v) => v.name);
  const viewing = viewers.filter((v) => !v.typing).map((v) => v.name);
  return (
    <div role="status" className={viewers.length ? 'collision collision--on' : 'collision'}>
      {typing.length > 0 && <span>{t('conversation.typing', { names: typing.join(', ') })}</span>}
      {viewing.length > 0 && <span>{t('conversation.viewing', { names: viewing.join(', ') })}</span>}
    </div>
  );
}
