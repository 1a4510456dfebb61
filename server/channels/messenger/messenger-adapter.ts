/**
 * A KakaoTalk-style chat consultation (상담톡) account: replies go to the
 * customer's user key while their consultation session is open (text up to
 * 1,000 characters, an image up to 5 MB, a file up to 300 MB, up to 5 link
 * buttons); once it has expired only a registered notification template
 * (알림톡 style) may reach them, on their phone number. The wire format is in
 * docs/channels.md and tests/support/fake-messenger.ts.
 */
import { readFile } from 'node:fs/promises';
import {
  CHANNEL_LIMITS,
  type LinkButton,
  MESSENGER_MAX_BUTTONS,
  MESSENGER_MAX_TEXT,
  type NotificationTemplate,
} from '@shared/channels';
import type { Channel, DeliveryKind } from '@shared/domain';
import type { MessengerSettings } from '../../config';
import type { Db } from '../../storage/database';
import {
  type ChannelAdapter,
  type OutboundDraft,
  type OutboundMessage,
  type SendResult,
  SendFailure,
  channelLimitError,
} from '../channel-adapter';
import { providerCall } from '../http-send';
import { nationalDigits } from '../sms/sms-adapter';

/** The provider's result codes: success, and "the consultation session is over". */
export const MESSENGER_OK = '0000';
export const MESSENGER_SESSION_EXPIRED = '3008';

interface Answer {
  code?: string;
  message?: string;
  message_id?: string;
  url?: string;
}

export class MessengerAdapter implements ChannelAdapter {
  readonly channel: Channel = 'messenger';
  readonly limits = CHANNEL_LIMITS.messenger!;

  constructor(private readonly settings: MessengerSettings) {}

  recipientChannel(draft: Pick<OutboundDraft, 'template'>): Channel {
    return draft.template ? 'voice' : 'messenger';
  }

  async prepare(draft: OutboundDraft, trx: Db): Promise<{ kind: DeliveryKind }> {
    const chars = [...draft.body].length;
    if (chars > MESSENGER_MAX_TEXT) {
      throw channelLimitError(`a messenger message holds at most ${MESSENGER_MAX_TEXT} characters`, {
        reason: 'TEXT_TOO_LONG',
        channel: 'messenger',
        limit: MESSENGER_MAX_TEXT,
        actual: chars,
      });
    }
    if ((draft.buttons?.length ?? 0) > MESSENGER_MAX_BUTTONS) {
      throw channelLimitError(`at most ${MESSENGER_MAX_BUTTONS} link buttons`, {
        reason: 'TOO_MANY_BUTTONS',
        channel: 'messenger',
        limit: MESSENGER_MAX_BUTTONS,
        actual: draft.buttons!.length,
      });
    }
    const a = draft.attachment;
    if (a) {
      const rule = a.kind === 'image' ? this.limits.image! : this.limits.file!;
      if (rule.types !== 'any' && !rule.types.includes(a.contentType)) {
        throw channelLimitError('this image type cannot be sent by messenger', {
          reason: 'UNSUPPORTED_TYPE',
          channel: 'messenger',
        });
      }
      if (a.size > rule.maxBytes) {
        throw channelLimitError(`a messenger ${a.kind} may be at most ${rule.maxBytes} bytes`, {
          reason: 'ATTACHMENT_TOO_LARGE',
          channel: 'messenger',
          limit: rule.maxBytes,
          actual: a.size,
        });
      }
    }
    if (draft.template) return { kind: 'template' };
    if (draft.to && !(await this.sessionOpen(trx, draft.siteId, draft.to))) {
      throw channelLimitError('the customer’s messenger session has ended; send a notification template', {
        reason: 'SESSION_EXPIRED',
        channel: 'messenger',
        alternatives: ['template', 'sms'],
      });
    }
    return { kind: a ? a.kind : 'text' };
  }

  /** Open while the customer wrote within the session TTL and did not end it. */
  async sessionOpen(db: Db, siteId: string, userKey: string, now = Date.now()): Promise<boolean> {
    const s = await db
      .selectFrom('channel_sessions')
      .select('id')
      .where('site_id', '=', siteId)
      .where('channel', '=', 'messenger')
      .where('handle', '=', userKey)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Boolean(s);
  }

  /** The text and buttons of a notification template, its `#{…}` variables filled in. */
  render(
    template: NotificationTemplate,
    variables: Record<string, string>,
  ): { body: string; buttons: LinkButton[] } {
    const t = this.settings.templates[template];
    const body = t.text.replace(/#\{(\w+)\}/g, (_m: string, k: string) => variables[k] ?? '');
    const url = template === 'survey' ? this.settings.templates.survey.buttonUrl : undefined;
    return { body, buttons: url ? [{ name: '설문 참여', url }] : [] };
  }

  async send(m: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const base = this.settings.baseUrl.replace(/\/$/, '');
    const headers = { authorization: `Bearer ${this.settings.apiKey}` };
    const buttons = (m.buttons ?? []).map((b) => ({
      name: b.name,
      type: 'WL',
      url_mobile: b.url,
      url_pc: b.url,
    }));
    if (m.template) {
      const a = await providerCall<Answer>(
        `${base}/v1/alimtalk/send`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            sender_key: this.settings.senderKey,
            template_code: this.settings.templates[m.template.code].code,
            phone_number: nationalDigits(m.to),
            message: m.body,
            serial_number: m.messageId,
            ...(buttons.length ? { button: buttons } : {}),
          }),
          signal,
        },
        'notification template',
      );
      return this.result(a, m.messageId);
    }
    const attachment: Record<string, unknown> = {};
    if (buttons.length) attachment.button = buttons;
    if (m.attachment) {
      const bytes = await readFile(m.attachment.path);
      const up = await providerCall<Answer>(
        `${base}/v1/upload?type=${m.attachment.kind}&name=${encodeURIComponent(m.attachment.name)}`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: bytes,
          signal,
        },
        'messenger upload',
      );
      if (up.code !== MESSENGER_OK || !up.url) this.result(up, m.messageId);
      if (m.attachment.kind === 'image') attachment.image = { img_url: up.url };
      else attachment.file = { file_url: up.url, file_name: m.attachment.name, file_size: m.attachment.size };
    }
    const a = await providerCall<Answer>(
      `${base}/v1/chat/write`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          sender_key: this.settings.senderKey,
          user_key: m.to,
          serial_number: m.messageId,
          message_type: m.attachment ? (m.attachment.kind === 'image' ? 'IM' : 'FI') : 'TX',
          message: m.body,
          ...(m.agentName ? { counselor: m.agentName } : {}),
          ...(Object.keys(attachment).length ? { attachment } : {}),
        }),
        signal,
      },
      'messenger',
    );
    return this.result(a, m.messageId);
  }

  private result(a: Answer, messageId: string): SendResult {
    if (a.code === MESSENGER_OK) return { providerMessageId: a.message_id ?? messageId, status: 'sent' };
    if (a.code === MESSENGER_SESSION_EXPIRED) {
      throw new SendFailure('SESSION_EXPIRED', false, `messenger: ${a.code} ${a.message ?? ''}`.trim());
    }
    throw new SendFailure(
      'PROVIDER_REJECTED',
      false,
      `messenger: ${a.code ?? '?'} ${a.message ?? ''}`.trim(),
    );
  }
}
