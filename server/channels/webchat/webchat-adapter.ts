/**
 * Web chat behind the channel adapter interface, where it is cheap: an
 * agent's reply is checked (text only), stored with a delivery like any
 * other channel's, "sent" once it is in the visitor's feed, and "delivered"
 * when the visitor's widget reports it read. Inbound stays with
 * WebchatService (the pre-chat form, consent, the visitor's own feed).
 */
import { MAX_MESSAGE_LENGTH, type Channel, type Conversation } from '@shared/domain';
import type { Db } from '../../storage/database';
import type { HubContext } from '../../context';
import {
  type ChannelAdapter,
  type OutboundDraft,
  type OutboundMessage,
  type SendResult,
  channelLimitError,
} from '../channel-adapter';
import type { WebchatService } from './webchat-service';

export class WebchatAdapter implements ChannelAdapter {
  readonly channel: Channel = 'webchat';
  readonly limits = { maxTextChars: MAX_MESSAGE_LENGTH };

  constructor(
    private readonly ctx: HubContext,
    private readonly webchat: WebchatService,
  ) {}

  /** The visitor session of the conversation (a web chat has no handle of its own). */
  async recipientFor(trx: Db, conversation: Conversation): Promise<string | null> {
    const s = await trx
      .selectFrom('webchat_sessions')
      .select('id')
      .where('conversation_id', '=', conversation.id)
      .executeTakeFirst();
    return s?.id ?? null;
  }

  prepare(draft: OutboundDraft) {
    if (draft.attachment || draft.template) {
      throw channelLimitError('an agent’s web chat reply is text only', {
        reason: 'UNSUPPORTED_TYPE',
        channel: 'webchat',
      });
    }
    if (draft.buttons?.length) {
      throw channelLimitError('web chat has no buttons', {
        reason: 'TOO_MANY_BUTTONS',
        channel: 'webchat',
        limit: 0,
        actual: draft.buttons.length,
      });
    }
    return { kind: 'text' as const };
  }

  /** Puts the reply in the visitor's feed (idempotent: a message is in the feed once). */
  async send(m: OutboundMessage): Promise<SendResult> {
    await this.webchat.syncReplies(m.conversationId);
    return { providerMessageId: m.messageId, status: 'sent' };
  }

  /** The visitor has read up to `upToSeq` of its feed: those replies are delivered. */
  async visitorRead(conversationId: string, upToSeq: number): Promise<void> {
    const rows = await this.ctx.db
      .selectFrom('webchat_feed as f')
      .innerJoin('message_deliveries as d', 'd.message_id', 'f.ref')
      .select('f.ref')
      .where('f.conversation_id', '=', conversationId)
      .where('f.seq', '<=', upToSeq)
      .where('d.status', '=', 'sent')
      .execute();
    for (const r of rows) {
      if (r.ref) {
        await this.ctx.channels?.report({
          channel: 'webchat',
          providerMessageId: r.ref,
          status: 'delivered',
        });
      }
    }
  }
}
