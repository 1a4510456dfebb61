/**
 * "답장 채널": which channel the composer's replies go by — the
 * conversation's own, or SMS / messenger / email to the same customer (a web
 * chat or a call-back answered by SMS). The hub refuses with the reason when
 * the customer has no address there or the channel is not set up.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel, Conversation } from '@shared/domain';
import { selectReplyChannel, useReplyChannelStore } from '@renderer/stores/reply-channel';

/** Channels a reply can switch to (web chat and voice need the customer present). */
const SWITCHABLE: readonly Channel[] = ['sms', 'messenger', 'email'];

export function ReplyChannelSelect({ conversation }: { conversation: Pick<Conversation, 'id' | 'channel'> }) {
  const { t } = useTranslation();
  const id = useId();
  const channel = useReplyChannelStore(selectReplyChannel(conversation.id, conversation.channel));
  const choose = useReplyChannelStore((s) => s.choose);
  const options = [conversation.channel, ...SWITCHABLE.filter((c) => c !== conversation.channel)];
  return (
    <span className="reply-channel">
      <label htmlFor={id}>{t('channels.replyChannel')}</label>
      <select
        id={id}
        value={channel}
        onChange={(e) => {
          const next = e.target.value as Channel;
          choose(conversation.id, next === conversation.channel ? null : next);
        }}
      >
        {options.map((c) => (
          <option key={c} value={c}>
            {t(`inbox.channels.${c}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
