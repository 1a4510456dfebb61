/**
 * The hub's side of every adapter channel (see channel-adapter.ts): inbound
 * messages become conversations routed like web chat, outbound messages are
 * checked, stored with a `queued` delivery and sent by a dispatcher that
 * retries with backoff, and delivery reports move them on. Every change of a
 * delivery is a `message.delivery_updated` event for the desk.
 *
 * Nothing acknowledged is lost: a delivery is a row committed with its
 * message, so a hub that dies mid-send finds it `queued` on start and sends
 * it again (a provider that saw the first try dedupes by our message id).
 */
import type { Channel, Conversation, DeliveryFailure, Message, MessageDelivery } from '@shared/domain';
import type { LinkButton, NotificationTemplate } from '@shared/channels';
import { formatKoreanPhone } from '@shared/phone-number';
import type { Selectable } from 'kysely';
import type { Actor, HubContext } from '../context';
import { isSupervising } from '../context';
import { HubError, forbidden } from '../errors';
import { getConversation, sendMessage } from '../conversations/conversation-service';
import { resolveIdentity } from '../customers/identity-resolution';
import type { CommandOutcome } from '../realtime/command-runner';
import type { Db } from '../storage/database';
import { type AppendedEvent, appendEvent } from '../storage/event-log';
import { newId } from '../storage/ids';
import { toDelivery, toMessage } from '../storage/rows';
import type { MessageDeliveriesTable } from '../storage/schema';
import {
  type ChannelAdapter,
  type InboundMessage,
  type OutboundAttachment,
  type OutboundDraft,
  SendFailure,
  channelLimitError,
} from './channel-adapter';

export const DEFAULT_CHANNEL_QUEUE = '일반 문의';

export interface RetryPolicy {
  /** Tries per message before it is failed (timeouts and 5xx only). */
  maxAttempts: number;
  /** Wait before the second try; each further try waits `backoffFactor` times longer. */
  backoffMs: number;
  backoffFactor: number;
  /** A provider call that takes longer is aborted and counts as a timeout. */
  sendTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  backoffMs: 2000,
  backoffFactor: 4,
  sendTimeoutMs: 10_000,
};

export interface ReceiveResult {
  messageId: string;
  conversationId: string;
  customerId: string;
  /** The provider delivered this message before: nothing new was stored. */
  duplicate: boolean;
  /** A new conversation was opened (and enqueued). */
  created: boolean;
}

export interface DeliveryReport {
  channel: Channel;
  providerMessageId: string;
  status: 'delivered' | 'failed';
  reason?: DeliveryFailure;
  detail?: string;
}

/** What an agent sends besides text: handled by the adapter of the target channel. */
export interface OutboundRequest {
  conversationId: string;
  body: string;
  clientId: string;
  channel?: Channel | undefined;
  buttons?: LinkButton[] | undefined;
  attachment?: OutboundAttachment;
  template?: { code: NotificationTemplate; variables: Record<string, string> };
}

/** Reports that arrived before our own record of the send (the provider was quicker than our commit). */
const EARLY_REPORT_TTL_MS = 10 * 60 * 1000;

export class ChannelService {
  private readonly adapters = new Map<Channel, ChannelAdapter>();
  private readonly inFlight = new Set<string>();
  private readonly early = new Map<string, { report: DeliveryReport; at: number }>();
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly log;

  constructor(
    private readonly ctx: HubContext,
    readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.log = ctx.log.child({ module: 'channels' });
  }

  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.channel, adapter);
  }

  adapter(channel: Channel): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  /** Starts the dispatcher: sends what is queued (also what a previous process left) and retries when due. */
  start(pollMs = 1000): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.pumping;
  }

  // ——— inbound ———

  /** A customer's message from an adapter: idempotent by provider id; customer, conversation, routing. */
  async receive(inbound: InboundMessage): Promise<ReceiveResult> {
    const earlier = await this.findInbound(this.ctx.db, inbound);
    if (earlier) return { ...earlier, duplicate: true, created: false };
    const now = inbound.receivedAt ?? Date.now();
    let outcome: { result: ReceiveResult; events: AppendedEvent[]; queueId: string | null };
    try {
      outcome = await this.ctx.db.transaction().execute((trx) => this.receiveIn(trx, inbound, now));
    } catch (err) {
      // The same provider id committed by a concurrent delivery: that one stands.
      const raced = await this.findInbound(this.ctx.db, inbound);
      if (raced) return { ...raced, duplicate: true, created: false };
      throw err;
    }
    this.ctx.publisher.publish(outcome.events);
    const r = outcome.result;
    if (outcome.queueId && this.ctx.routing && (r.created || (await this.unrouted(r.conversationId)))) {
      await this.ctx.routing.enqueue(inbound.siteId, {
        queueId: outcome.queueId,
        channel: inbound.channel,
        conversationId: r.conversationId,
        customerId: r.customerId,
      });
    }
    return r;
  }

  private async receiveIn(trx: Db, inbound: InboundMessage, now: number) {
    const from = inbound.from;
    const resolved = await resolveIdentity(
      trx,
      inbound.siteId,
      {
        name: from.name?.trim() || placeholderName(inbound.channel, from.handle),
        ...(from.phone ? { phone: from.phone } : {}),
        ...(from.email ? { email: from.email } : {}),
        ...(from.messengerKey ? { messengerKey: from.messengerKey } : {}),
      },
      { now, candidates: false },
    );
    const customerId = resolved.customerId;
    if (!customerId) throw new HubError('VALIDATION_FAILED', 'the sender has no usable handle');
    const realName = from.name?.trim();
    if (!resolved.created && realName) {
      // A customer first known only by a number (an SMS) gets the name a later channel tells us.
      await trx
        .updateTable('customers')
        .set({ name: realName.slice(0, 100) })
        .where('id', '=', customerId)
        .where((eb) => eb.or([eb('name', 'like', '0%-%-%'), eb('name', 'like', '메신저 %')]))
        .execute();
    }
    let conv = inbound.conversationId
      ? await trx
          .selectFrom('conversations')
          .selectAll()
          .where('id', '=', inbound.conversationId)
          .where('site_id', '=', inbound.siteId)
          .executeTakeFirst()
      : await this.openConversationOf(trx, inbound.siteId, customerId, inbound.channel);
    let created = false;
    let queueId: string | null = null;
    if (!conv) {
      queueId = await this.queueFor(trx, inbound.siteId, inbound.channel, inbound.queue);
      const row = {
        id: newId(),
        site_id: inbound.siteId,
        customer_id: customerId,
        channel: inbound.channel,
        queue_id: queueId,
        status: 'pending',
        priority: 0,
        assignee_id: null,
        subject: inbound.subject?.slice(0, 200) ?? inbound.body.slice(0, 60),
        waiting_since: now,
        created_at: now,
        last_message_at: now,
      };
      await trx.insertInto('conversations').values(row).execute();
      conv = row;
      created = true;
    }
    const row = {
      id: newId(),
      site_id: inbound.siteId,
      conversation_id: conv.id,
      direction: 'in',
      author_id: null,
      body: inbound.body,
      client_id: null,
      created_at: now,
      channel: inbound.channel,
      provider_message_id: inbound.providerMessageId,
    };
    await trx.insertInto('messages').values(row).execute();
    if (!created && conv.status === 'resolved') {
      // The adapter named a finished conversation (a reply in an old email thread): it opens again.
      await trx
        .updateTable('conversations')
        .set({ status: 'pending', assignee_id: null, last_message_at: now, waiting_since: now })
        .where('id', '=', conv.id)
        .execute();
      conv = { ...conv, status: 'pending', assignee_id: null };
    } else if (!created) {
      await trx
        .updateTable('conversations')
        .set({ last_message_at: now, waiting_since: conv.waiting_since ?? now })
        .where('id', '=', conv.id)
        .execute();
    }
    const event = await appendEvent(
      trx,
      inbound.siteId,
      'message.created',
      toMessage(row),
      conv.assignee_id ? [conv.assignee_id] : [],
      now,
    );
    return {
      result: { messageId: row.id, conversationId: conv.id, customerId, duplicate: false, created },
      events: [event],
      // An unassigned conversation may have to be routed again (see `unrouted`).
      queueId: queueId ?? (conv.assignee_id ? null : conv.queue_id),
    };
  }

  /**
   * The conversation an inbound message continues: the customer's newest one
   * that is not resolved and is on this channel or was last answered on it
   * (an agent who replied to a web chat by SMS gets the SMS answer there).
   */
  private async openConversationOf(trx: Db, siteId: string, customerId: string, channel: Channel) {
    const own = await trx
      .selectFrom('conversations')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('customer_id', '=', customerId)
      .where('status', '!=', 'resolved')
      .where((eb) =>
        eb.or([
          eb('channel', '=', channel),
          eb.exists(
            eb
              .selectFrom('messages as m')
              .select('m.id')
              .whereRef('m.conversation_id', '=', 'conversations.id')
              .where('m.direction', '=', 'out')
              .where('m.channel', '=', channel),
          ),
        ]),
      )
      .orderBy('last_message_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return own;
  }

  /**
   * Nobody has it and nothing of it waits in a queue (its wait expired, or it
   * was abandoned): the customer wrote again, so it is routed again.
   */
  private async unrouted(conversationId: string): Promise<boolean> {
    const live = await this.ctx.db
      .selectFrom('work_items')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('status', 'in', ['scheduled', 'waiting', 'offered', 'active', 'wrap_up'])
      .executeTakeFirst();
    return !live;
  }

  private async queueFor(trx: Db, siteId: string, channel: Channel, name?: string): Promise<string | null> {
    const queues = await trx
      .selectFrom('queues')
      .select(['id', 'name', 'channels_json'])
      .where('site_id', '=', siteId)
      .execute();
    const takes = queues.filter((q) => (JSON.parse(q.channels_json) as string[]).includes(channel));
    const q = takes.find((x) => x.name === (name ?? DEFAULT_CHANNEL_QUEUE)) ?? takes[0];
    return q?.id ?? null;
  }

  private async findInbound(db: Db, inbound: InboundMessage) {
    const m = await db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['m.id', 'm.conversation_id', 'c.customer_id'])
      .where('m.site_id', '=', inbound.siteId)
      .where('m.channel', '=', inbound.channel)
      .where('m.provider_message_id', '=', inbound.providerMessageId)
      .executeTakeFirst();
    return m ? { messageId: m.id, conversationId: m.conversation_id, customerId: m.customer_id } : undefined;
  }

  // ——— outbound ———

  /**
   * Inside the `message.send` command's transaction: a reply on an adapter
   * channel is checked against the channel's limits first (refused before
   * anything is stored), then stored with its `queued` delivery. Notes and
   * channels without an adapter (web chat, voice) are plain messages.
   */
  async sendIn(trx: Db, actor: Actor, input: OutboundRequest & { kind: 'out' | 'note' }) {
    const conversation = await getConversation(trx, actor, input.conversationId);
    const channel = input.channel ?? conversation.channel;
    const adapter = this.adapters.get(channel);
    if (input.kind === 'note' || (!adapter && channel === conversation.channel)) {
      return sendMessage(trx, actor, { ...input, kind: input.kind });
    }
    if (!adapter) {
      throw channelLimitError(`the ${channel} channel is not set up on this hub`, {
        reason: 'CHANNEL_DISABLED',
        channel,
      });
    }
    if (conversation.assigneeId !== actor.userId && !isSupervising(actor)) {
      throw forbidden('only the assignee may reply in this conversation');
    }
    const draft: OutboundDraft = {
      siteId: actor.siteId,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      to: await this.recipient(trx, conversation, channel, adapter, input),
      body: input.body,
      ...(input.buttons ? { buttons: input.buttons } : {}),
      ...(input.attachment ? { attachment: input.attachment } : {}),
      ...(input.template ? { template: input.template } : {}),
    };
    const agent = await trx
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', actor.userId)
      .executeTakeFirst();
    if (agent) draft.agentName = agent.display_name;
    if (!draft.to && adapter.recipientFor && channel === conversation.channel) {
      // A conversation from before its channel session existed (imported or demo history):
      // a plain message, as before the adapter, with nothing to deliver.
      return sendMessage(trx, actor, { ...input, kind: 'out' });
    }
    if (!draft.to) {
      throw channelLimitError('the customer has no address on this channel', {
        reason: 'NO_RECIPIENT',
        channel,
      });
    }
    const plan = await adapter.prepare(draft, trx);
    return this.storeOutbound(trx, actor, conversation, channel, draft, plan.kind, input.clientId);
  }

  private async storeOutbound(
    trx: Db,
    actor: Actor,
    conversation: Conversation,
    channel: Channel,
    draft: OutboundDraft,
    kind: MessageDelivery['kind'],
    clientId: string,
  ): Promise<CommandOutcome<Message>> {
    const now = Date.now();
    const row = {
      id: newId(),
      site_id: actor.siteId,
      conversation_id: conversation.id,
      direction: 'out',
      author_id: actor.userId,
      body: draft.body,
      client_id: clientId,
      created_at: now,
      channel,
    };
    await trx.insertInto('messages').values(row).execute();
    const delivery: Selectable<MessageDeliveriesTable> = {
      message_id: row.id,
      site_id: actor.siteId,
      conversation_id: conversation.id,
      channel,
      recipient: draft.to!,
      status: 'queued',
      kind,
      attempts: 0,
      next_attempt_at: now,
      provider_message_id: null,
      reason: null,
      detail: null,
      request_json: JSON.stringify({
        customerId: draft.customerId,
        ...(draft.agentName ? { agentName: draft.agentName } : {}),
        ...(draft.buttons ? { buttons: draft.buttons } : {}),
        ...(draft.attachment ? { attachment: draft.attachment } : {}),
        ...(draft.template ? { template: draft.template } : {}),
      }),
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('message_deliveries').values(delivery).execute();
    await trx
      .updateTable('conversations')
      .set({ last_message_at: now, waiting_since: null })
      .where('id', '=', conversation.id)
      .execute();
    const message: Message = { ...toMessage(row), delivery: toDelivery(delivery) };
    const audience = [actor.userId, ...(conversation.assigneeId ? [conversation.assigneeId] : [])];
    const events = [await appendEvent(trx, actor.siteId, 'message.created', message, audience, now)];
    if (channel !== conversation.channel) {
      events.push(
        await appendEvent(
          trx,
          actor.siteId,
          'conversation.channel_switched',
          {
            conversationId: conversation.id,
            messageId: row.id,
            from: conversation.channel,
            to: channel,
            agentId: actor.userId,
          },
          [],
          now,
        ),
      );
    }
    return { value: message, events };
  }

  /** The customer's handle on the channel the adapter sends to (its phone for SMS and 알림톡…). */
  private async recipient(
    trx: Db,
    conversation: Conversation,
    channel: Channel,
    adapter: ChannelAdapter,
    input: OutboundRequest,
  ): Promise<string | null> {
    if (adapter.recipientFor) return adapter.recipientFor(trx, conversation);
    const identityChannel = adapter.recipientChannel?.({ template: input.template }) ?? channel;
    // The handle the customer last wrote from on this channel, else any they have.
    const lastIn = await trx
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .innerJoin('identities as i', (j) =>
        j.onRef('i.customer_id', '=', 'c.customer_id').on('i.channel', '=', identityChannel),
      )
      .select('i.handle')
      .where('m.conversation_id', '=', conversation.id)
      .where('m.direction', '=', 'in')
      .where('m.channel', '=', channel)
      .limit(1)
      .executeTakeFirst();
    if (lastIn) return lastIn.handle;
    const any = await trx
      .selectFrom('identities')
      .select('handle')
      .where('site_id', '=', conversation.siteId)
      .where('customer_id', '=', conversation.customerId)
      .where('channel', '=', identityChannel)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return any?.handle ?? null;
  }

  // ——— dispatcher ———

  /** Sends whatever is due soon (after a commit, and on every poll). */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err: unknown) => this.log.error({ err }, 'delivery dispatcher failed'))
      .finally(() => {
        this.pumping = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async pump(): Promise<void> {
    const due = await this.ctx.db
      .selectFrom('message_deliveries')
      .selectAll()
      .where('status', '=', 'queued')
      .where('next_attempt_at', '<=', Date.now())
      .orderBy('next_attempt_at')
      .limit(50)
      .execute();
    await Promise.all(
      due
        .filter((d) => !this.inFlight.has(d.message_id) && this.adapters.has(d.channel as Channel))
        .map((d) => this.attempt(d)),
    );
  }

  private async attempt(d: Selectable<MessageDeliveriesTable>): Promise<void> {
    this.inFlight.add(d.message_id);
    try {
      const attempt = Number(d.attempts) + 1;
      // Claim this try: another hub process (PostgreSQL) that read the same row loses the race.
      // The claim is a lease: if this process dies mid-send, the row is due again after it.
      const lease = Date.now() + this.retry.sendTimeoutMs + 5000;
      const claimed = await this.ctx.db
        .updateTable('message_deliveries')
        .set({ attempts: attempt, next_attempt_at: lease, updated_at: Date.now() })
        .where('message_id', '=', d.message_id)
        .where('status', '=', 'queued')
        .where('attempts', '=', Number(d.attempts))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return;
      const adapter = this.adapters.get(d.channel as Channel)!;
      const message = await this.ctx.db
        .selectFrom('messages')
        .select(['body'])
        .where('id', '=', d.message_id)
        .executeTakeFirstOrThrow();
      const extra = JSON.parse(d.request_json) as Partial<OutboundDraft>;
      try {
        const sent = await adapter.send(
          {
            siteId: d.site_id,
            conversationId: d.conversation_id,
            customerId: extra.customerId ?? '',
            messageId: d.message_id,
            to: d.recipient,
            body: message.body,
            kind: d.kind as MessageDelivery['kind'],
            attempt,
            ...(extra.buttons ? { buttons: extra.buttons } : {}),
            ...(extra.attachment ? { attachment: extra.attachment } : {}),
            ...(extra.template ? { template: extra.template } : {}),
            ...(extra.agentName ? { agentName: extra.agentName } : {}),
          },
          AbortSignal.timeout(this.retry.sendTimeoutMs),
        );
        await this.update(d.message_id, {
          status: sent.status,
          next_attempt_at: null,
          provider_message_id: sent.providerMessageId,
          reason: null,
          detail: null,
        });
        const early = this.early.get(`${d.channel} ${sent.providerMessageId}`);
        if (early) {
          this.early.delete(`${d.channel} ${sent.providerMessageId}`);
          await this.report(early.report);
        }
      } catch (err) {
        const failure =
          err instanceof SendFailure
            ? err
            : new SendFailure('PROVIDER_UNAVAILABLE', true, err instanceof Error ? err.message : String(err));
        if (!(err instanceof SendFailure)) this.log.error({ err, messageId: d.message_id }, 'send threw');
        const retry = failure.retryable && attempt < this.retry.maxAttempts;
        this.log.warn(
          { messageId: d.message_id, channel: d.channel, attempt, reason: failure.reason, retry },
          `send failed: ${failure.message}`,
        );
        await this.update(d.message_id, {
          status: retry ? 'queued' : 'failed',
          next_attempt_at: retry
            ? Date.now() + this.retry.backoffMs * this.retry.backoffFactor ** (attempt - 1)
            : null,
          reason: failure.reason,
          detail: failure.message.slice(0, 500),
        });
      }
    } finally {
      this.inFlight.delete(d.message_id);
    }
  }

  /** A provider's delivery report; a report for a send we have not recorded yet is kept until we have. */
  async report(r: DeliveryReport): Promise<{ applied: boolean }> {
    const d = await this.ctx.db
      .selectFrom('message_deliveries')
      .select(['message_id', 'status'])
      .where('channel', '=', r.channel)
      .where('provider_message_id', '=', r.providerMessageId)
      .executeTakeFirst();
    if (!d) {
      const now = Date.now();
      for (const [k, v] of this.early) if (now - v.at > EARLY_REPORT_TTL_MS) this.early.delete(k);
      this.early.set(`${r.channel} ${r.providerMessageId}`, { report: r, at: now });
      return { applied: false };
    }
    // delivered and failed are final; a late or repeated report changes nothing.
    if (d.status === 'delivered' || d.status === 'failed') return { applied: false };
    await this.update(d.message_id, {
      status: r.status,
      reason: r.status === 'failed' ? (r.reason ?? 'NOT_DELIVERED') : null,
      detail: r.detail?.slice(0, 500) ?? null,
    });
    return { applied: true };
  }

  /** Writes a delivery change and tells the desks of the conversation's assignee and the author. */
  private async update(
    messageId: string,
    set: Partial<
      Pick<MessageDeliveriesTable, 'status' | 'next_attempt_at' | 'provider_message_id' | 'reason' | 'detail'>
    >,
  ): Promise<void> {
    const now = Date.now();
    const event = await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('message_deliveries')
        .set({ ...set, updated_at: now })
        .where('message_id', '=', messageId)
        .execute();
      const row = await trx
        .selectFrom('message_deliveries as d')
        .innerJoin('messages as m', 'm.id', 'd.message_id')
        .innerJoin('conversations as c', 'c.id', 'd.conversation_id')
        .selectAll('d')
        .select(['m.author_id', 'c.assignee_id'])
        .where('d.message_id', '=', messageId)
        .executeTakeFirstOrThrow();
      const audience = [row.author_id, row.assignee_id].filter((x): x is string => Boolean(x));
      return appendEvent(trx, row.site_id, 'message.delivery_updated', toDelivery(row), audience, now);
    });
    this.ctx.publisher.publish([event]);
    if (set.status === 'queued')
      setTimeout(() => this.kick(), Math.max(0, (set.next_attempt_at ?? now) - now) + 5).unref();
  }
}

/**
 * A name for a customer known only by a handle: their formatted phone number
 * (`010-1234-5678`) or `메신저 <key>`; replaced when a channel tells the real name.
 */
function placeholderName(channel: Channel, handle: string): string {
  if (handle.startsWith('+82')) return formatKoreanPhone(handle);
  return channel === 'messenger' ? `메신저 ${handle.slice(0, 8)}` : handle;
}
