/**
 * A message's file: an image inline as a thumbnail, a PDF as a link. The hub
 * serves files only with the bearer token, so the bytes are fetched here and
 * shown from an object URL (released when the message leaves the screen).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attachmentUrl } from '@renderer/services/conversation/conversation-actions';
import type { AttachmentInfo } from '@renderer/stores/conversation-tools';

export function MessageAttachment({ attachment }: { attachment: AttachmentInfo }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    void attachmentUrl(attachment.id).then((r) => {
      if (!r.ok) return;
      if (live) {
        made = r.value;
        setUrl(r.value);
      } else URL.revokeObjectURL(r.value);
    });
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [attachment.id]);

  const image = attachment.contentType.startsWith('image/');
  return (
    <div className="message__attachment">
      {image && url ? (
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          aria-label={t('conversation.attachmentOpen', { name: attachment.name })}
        >
          <img className="message__thumb" src={url} alt={attachment.name} />
        </a>
      ) : (
        <a href={url ?? undefined} download={attachment.name} aria-disabled={!url}>
          {t('conversation.attachment', { name: attachment.name })}
        </a>
      )}
    </div>
  );
}
