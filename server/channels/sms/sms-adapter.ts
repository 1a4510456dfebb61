/**
 * SMS through a Korean gateway's HTTP API (Solapi v4 style; the exact wire
 * format is in docs/channels.md and tests/support/fake-sms-gateway.ts).
 * Texts up to 90 EUC-KR bytes go as SMS, up to 2,000 as LMS with a title;
 * longer ones, attachments and buttons are refused before anything is stored.
 * The recipient is the customer's phone number (the `voice` identity).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { LMS_MAX_BYTES } from '@shared/channels';
import type { Channel } from '@shared/domain';
import { formatKoreanPhone } from '@shared/phone-number';
import { smsByteLength, smsKindOf, truncateToBytes } from '@shared/sms-length';
import type { SmsSettings } from '../../config';
import {
  type ChannelAdapter,
  type OutboundDraft,
  type OutboundMessage,
  type SendResult,
  SendFailure,
  channelLimitError,
} from '../channel-adapter';
import { providerCall } from '../http-send';

/** The gateway's status codes (Solapi): accepted, handed to the carrier, received by the handset. */
export const SMS_STATUS_ACCEPTED = '2000';
export const SMS_STATUS_DELIVERED = '4000';
/** An LMS title: at most this many bytes. */
const LMS_SUBJECT_BYTES = 40;

/** `+821012345678` → `01012345678`: gateways take national digits. */
export const nationalDigits = (e164: string): string => formatKoreanPhone(e164).replace(/\D/g, '');

/** `HMAC-SHA256 apiKey=…, date=…, salt=…, signature=hex(HMAC(apiSecret, date + salt))`. */
export function gatewayAuthorization(apiKey: string, apiSecret: string, date = new Date().toISOString()) {
  const salt = randomBytes(16).toString('hex');
  const signature = createHmac('sha256', apiSecret)
    .update(date + salt)
    .digest('hex');
  return `HMAC-SHA256 apiKey=${apiKey}, date=${date}, salt=${salt}, signature=${signature}`;
}

interface SendAnswer {
  messageId?: string;
  statusCode?: string;
  statusMessage?: string;
}

export class SmsAdapter implements ChannelAdapter {
  readonly channel: Channel = 'sms';
  readonly limits = { maxTextBytes: LMS_MAX_BYTES };

  constructor(private readonly settings: SmsSettings) {}

  recipientChannel(): Channel {
    return 'voice';
  }

  prepare(draft: OutboundDraft) {
    if (draft.attachment) {
      throw channelLimitError('SMS carries text only', { reason: 'UNSUPPORTED_TYPE', channel: 'sms' });
    }
    if (draft.buttons?.length) {
      throw channelLimitError('SMS has no buttons', {
        reason: 'TOO_MANY_BUTTONS',
        channel: 'sms',
        limit: 0,
        actual: draft.buttons.length,
      });
    }
    const kind = smsKindOf(draft.body);
    if (!kind) {
      throw channelLimitError(`an LMS holds at most ${LMS_MAX_BYTES} bytes`, {
        reason: 'TEXT_TOO_LONG',
        channel: 'sms',
        limit: LMS_MAX_BYTES,
        actual: smsByteLength(draft.body),
      });
    }
    return { kind };
  }

  async send(m: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const type = m.kind === 'lms' ? 'LMS' : 'SMS';
    const message = {
      to: nationalDigits(m.to),
      from: this.settings.sender.replace(/\D/g, ''),
      text: m.body,
      type,
      ...(type === 'LMS'
        ? { subject: truncateToBytes(m.body.split('\n')[0]!.trim() || m.body, LMS_SUBJECT_BYTES) }
        : {}),
      customFields: { ieumMessageId: m.messageId },
    };
    const answer = await providerCall<SendAnswer>(
      `${this.settings.baseUrl.replace(/\/$/, '')}/messages/v4/send`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: gatewayAuthorization(this.settings.apiKey, this.settings.apiSecret),
        },
        body: JSON.stringify({ message }),
        signal,
      },
      'SMS gateway',
    );
    if (answer.statusCode !== SMS_STATUS_ACCEPTED || !answer.messageId) {
      throw new SendFailure(
        'PROVIDER_REJECTED',
        false,
        `SMS gateway: ${answer.statusCode ?? '?'} ${answer.statusMessage ?? ''}`.trim(),
      );
    }
    return { providerMessageId: answer.messageId, status: 'sent' };
  }
}
