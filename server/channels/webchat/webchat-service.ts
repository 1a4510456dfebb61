/**
 * The web chat channel on the hub: a visitor starts a chat (customer found or
 * created by phone/email, conversation, first message, ACD), writes, attaches
 * files and answers the survey; agent replies, assignment and the end of the
 * work reach the visitor through the visitor's own feed (`webchat_feed`, one
 * seq per conversation), so a reconnecting widget resumes after its last seq.
 *
 * The feed is derived from the messages table: whatever `out` message of the
 * conversation is not in the feed yet is appended on the next sync (after
 * each publish and before each resume), so a crash between the agent's commit
 * and the feed write loses nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Message } from '@shared/domain';
import { normalizePhoneNumber } from '@shared/phone-number';
import {
  CONSENT_VERSION,
  MAX_ATTACHMENT_BYTES,
  type QueueStanding,
  REOPEN_WINDOW_MS,
  StartChatRequest,
  type StartChatResponse,
  SurveyAnswer,
  type VisitorAttachment,
  type VisitorEvent,
  type VisitorEventPayloads,
  type VisitorEventType,
  type VisitorMessage,
  type VisitorSendResult,
  type VisitorWelcome,
  sniffAttachmentType,
} from '@shared/webchat';
import type { HubContext } from '../../context';
import { HubError, notFound } from '../../errors';
import type { Db } from '../../storage/database';
import { resolveIdentity } from '../../customers/identity-resolution';
import { type AppendedEvent, appendEvent } from '../../storage/event-log';
import { newId } from '../../storage/ids';
import { toMessage } from '../../storage/rows';
import { TokenBucket } from '../../realtime/token-bucket';
import type { VisitorClaims, VisitorTokens } from './visitor-token';

export const DEFAULT_QUEUE = '일반 문의';
/** Visitor messages: this many per second on average, bursts up to VISITOR_BURST. */
export const VISITOR_RATE_PER_SECOND = 1;
export const VISITOR_BURST = 8;

export interface WebchatSession {
  id: string;
  siteId: string;
  customerId: string;
  conversationId: string;
  queueId: string;
  workItemId: string | null;
}

/** Where the channel pushes what it appended (the visitor namespace). */
export interface VisitorSink {
  event(conversationId: string, event: VisitorEvent): void;
  read(conversationId: string, upToSeq: number): void;
  typing(conversationId: string, typing: boolean): void;
}

export class WebchatService {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly buckets = new Map<string, TokenBucket>();
  sink: VisitorSink = { event: () => undefined, read: () => undefined, typing: () => undefined };

  constructor(
    private readonly ctx: HubContext,
    readonly tokens: VisitorTokens,
  ) {}

  /** The pre-chat form was sent: customer, conversation with the first message, and the queue. */
  async start(raw: unknown): Promise<StartChatResponse> {
    const input = validate(StartChatRequest, raw);
    const site = await this.ctx.db
      .selectFrom('sites')
      .select(['id'])
      .where('code', '=', input.site)
      .executeTakeFirst();
    if (!site) throw notFound('site');
    const queue = await this.ctx.db
      .selectFrom('queues')
      .select(['id', 'channels_json'])
      .where('site_id', '=', site.id)
      .where('name', '=', input.queue ?? DEFAULT_QUEUE)
      .executeTakeFirst();
    if (!queue || !(JSON.parse(queue.channels_json) as string[]).includes('webchat')) throw notFound('queue');
    const phone = input.phone ? normalizePhoneNumber(input.phone) : null;
    if (input.phone && !phone && !input.email) {
      throw new HubError('VALIDATION_FAILED', 'phone number is not valid', { field: 'phone' });
    }
    const email = input.email?.toLowerCase() ?? null;
    const now = Date.now();
    const session = await this.ctx.db.transaction().execute(async (trx) => {
      const customerId = await this.findOrCreateCustomer(trx, site.id, input.name, phone, email, now);
      return this.openConversation(trx, {
        siteId: site.id,
        customerId,
        queueId: queue.id,
        lang: input.lang,
        consentAt: now,
        now,
      });
    });
    const { events } = await this.lock(session.conversationId, () =>
      this.ctx.db
        .transaction()
        .execute((trx) =>
          this.writeVisitorMessage(trx, session, { clientId: newId(), body: input.body }, null, now),
        ),
    );
    this.ctx.publisher.publish(events.log);
    const standing = await this.route(session);
    return {
      token: this.tokens.sign({ sessionId: session.id, conversationId: session.conversationId }),
      conversationId: session.conversationId,
      ...standing,
    };
  }

  async session(claims: VisitorClaims): Promise<WebchatSession> {
    const row = await this.ctx.db
      .selectFrom('webchat_sessions')
      .selectAll()
      .where('id', '=', claims.sessionId)
      .where('conversation_id', '=', claims.conversationId)
      .executeTakeFirst();
    if (!row) throw new HubError('UNAUTHENTICATED', 'unknown visitor session');
    return {
      id: row.id,
      siteId: row.site_id,
      customerId: row.customer_id,
      conversationId: row.conversation_id,
      queueId: row.queue_id,
      workItemId: row.work_item_id,
    };
  }

  /** The visitor sent a message (or a file): acked after commit; a retried clientId is the same message. */
  async send(
    session: WebchatSession,
    input: { clientId: string; body: string },
    file?: { name: string; bytes: Buffer },
  ): Promise<VisitorSendResult> {
    const existing = await this.findByClientId(session.conversationId, input.clientId);
    if (existing) return { ...existing, conversationId: session.conversationId };
    if (!this.bucket(session.id).take()) {
      throw new HubError('RATE_LIMITED', 'too many messages: slow down', {
        ratePerSecond: VISITOR_RATE_PER_SECOND,
        burst: VISITOR_BURST,
      });
    }
    const attachment = file ? this.checkFile(file) : null;
    const now = Date.now();
    const conv = await this.ctx.db
      .selectFrom('conversations')
      .select(['status'])
      .where('id', '=', session.conversationId)
      .executeTakeFirstOrThrow();
    const resolvedAt = await this.ctx.db
      .selectFrom('webchat_sessions')
      .select('resolved_at')
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    let target = session;
    let token: string | undefined;
    let reroute = false;
    if (conv.status === 'resolved') {
      const within =
        resolvedAt.resolved_at !== null && now - Number(resolvedAt.resolved_at) <= REOPEN_WINDOW_MS;
      if (within) {
        await this.reopen(session, now);
      } else {
        target = await this.ctx.db.transaction().execute((trx) =>
          this.openConversation(trx, {
            siteId: session.siteId,
            customerId: session.customerId,
            queueId: session.queueId,
            lang: 'ko',
            consentAt: now,
            now,
          }),
        );
        token = this.tokens.sign({ sessionId: target.id, conversationId: target.conversationId });
      }
      reroute = true;
    }
    const stored = attachment && file ? this.storeFile(target, attachment.id, file.bytes) : null;
    const written = await this.lock(target.conversationId, async () => {
      const again = await this.findByClientId(target.conversationId, input.clientId);
      if (again) return { result: again, events: { log: [] as AppendedEvent[], feed: [] as VisitorEvent[] } };
      const w = await this.ctx.db
        .transaction()
        .execute((trx) =>
          this.writeVisitorMessage(
            trx,
            target,
            input,
            attachment ? { ...attachment, path: stored! } : null,
            now,
          ),
        );
      return { result: { message: w.message, seq: w.seq }, events: w.events };
    });
    this.ctx.publisher.publish(written.events.log);
    for (const e of written.events.feed) this.sink.event(target.conversationId, e);
    if (reroute) await this.route(target);
    return { ...written.result, conversationId: target.conversationId, ...(token ? { token } : {}) };
  }

  /** Everything after `afterSeq` for the visitor, oldest first (catching up on replies first). */
  async resume(session: WebchatSession, afterSeq: number) {
    await this.syncReplies(session.conversationId);
    const rows = await this.ctx.db
      .selectFrom('webchat_feed')
      .selectAll()
      .where('conversation_id', '=', session.conversationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(500)
      .execute();
    const s = await this.ctx.db
      .selectFrom('webchat_sessions')
      .select('agent_read_seq')
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    return {
      events: rows.map(toVisitorEvent),
      headSeq: await this.headSeq(this.ctx.db, session.conversationId),
      agentReadSeq: Number(s.agent_read_seq),
    };
  }

  async welcome(session: WebchatSession): Promise<VisitorWelcome> {
    await this.syncReplies(session.conversationId);
    const row = await this.ctx.db
      .selectFrom('webchat_sessions as s')
      .innerJoin('conversations as c', 'c.id', 's.conversation_id')
      .leftJoin('users as u', 'u.id', 'c.assignee_id')
      .leftJoin('surveys as v', 'v.conversation_id', 's.conversation_id')
      .select(['s.agent_read_seq', 'c.status', 'u.display_name', 'v.id as survey_id'])
      .where('s.id', '=', session.id)
      .executeTakeFirstOrThrow();
    return {
      conversationId: session.conversationId,
      headSeq: await this.headSeq(this.ctx.db, session.conversationId),
      agentName: row.display_name ?? null,
      agentReadSeq: Number(row.agent_read_seq),
      surveyPending: row.status === 'resolved' && !row.survey_id,
      ...(await this.standing(session)),
    };
  }

  /** Where the chat stands: in line (position, wait), out of hours, with an agent, or resolved. */
  async standing(session: WebchatSession): Promise<QueueStanding> {
    const conv = await this.ctx.db
      .selectFrom('conversations')
      .select(['status', 'assignee_id'])
      .where('id', '=', session.conversationId)
      .executeTakeFirstOrThrow();
    const none = { position: null, ewtSeconds: null, message: null, opensAt: null };
    if (conv.status === 'resolved') return { status: 'resolved', ...none };
    if (conv.assignee_id) return { status: 'assigned', ...none };
    if (!session.workItemId || !this.ctx.routing) return { status: 'closed', ...none };
    const p = await this.ctx.routing.position(session.siteId, session.workItemId);
    if (p.item.status === 'scheduled') return { status: 'scheduled', ...none };
    if (['waiting', 'offered'].includes(p.item.status)) {
      return {
        status: 'queued',
        position: p.position,
        ewtSeconds: p.ewtSeconds,
        message: null,
        opensAt: null,
      };
    }
    return { status: 'closed', ...none };
  }

  /** The customer answered the end-of-chat survey; once per conversation. */
  async answerSurvey(session: WebchatSession, raw: unknown): Promise<{ stored: true }> {
    const answer = validate(SurveyAnswer, raw);
    const conv = await this.ctx.db
      .selectFrom('conversations')
      .select('status')
      .where('id', '=', session.conversationId)
      .executeTakeFirstOrThrow();
    if (conv.status !== 'resolved') {
      throw new HubError('INVALID_STATE_TRANSITION', 'the survey opens when the conversation is resolved');
    }
    const now = Date.now();
    const event = await this.ctx.db.transaction().execute(async (trx) => {
      const done = await trx
        .selectFrom('surveys')
        .select('id')
        .where('conversation_id', '=', session.conversationId)
        .executeTakeFirst();
      if (done) throw new HubError('CONFLICT', 'the survey was already answered');
      const row = {
        id: newId(),
        site_id: session.siteId,
        conversation_id: session.conversationId,
        customer_id: session.customerId,
        csat: answer.csat,
        nps: answer.nps ?? null,
        ces: answer.ces ?? null,
        answered_at: now,
      };
      await trx.insertInto('surveys').values(row).execute();
      return appendEvent(
        trx,
        session.siteId,
        'survey.answered',
        {
          conversationId: row.conversation_id,
          customerId: row.customer_id,
          csat: row.csat,
          nps: row.nps,
          ces: row.ces,
        },
        [],
        now,
      );
    });
    this.ctx.publisher.publish([event]);
    return { stored: true };
  }

  /** The visitor has read up to `upToSeq`: the assignee's desk is told. */
  async visitorRead(session: WebchatSession, upToSeq: number): Promise<string | null> {
    await this.ctx.db
      .updateTable('webchat_sessions')
      .set({ visitor_read_seq: upToSeq })
      .where('id', '=', session.id)
      .where('visitor_read_seq', '<', upToSeq)
      .execute();
    return this.assignee(session.conversationId);
  }

  /** The agent has read the conversation: the visitor sees "read" up to the newest seq. */
  async agentRead(conversationId: string): Promise<void> {
    const head = await this.headSeq(this.ctx.db, conversationId);
    await this.ctx.db
      .updateTable('webchat_sessions')
      .set({ agent_read_seq: head })
      .where('conversation_id', '=', conversationId)
      .execute();
    this.sink.read(conversationId, head);
  }

  /** Ephemeral: the agent is typing (not logged, not replayed). */
  agentTyping(conversationId: string, typing: boolean): void {
    this.sink.typing(conversationId, typing);
  }

  async assignee(conversationId: string): Promise<string | null> {
    const c = await this.ctx.db
      .selectFrom('conversations')
      .select('assignee_id')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    return c?.assignee_id ?? null;
  }

  async isWebchat(conversationId: string): Promise<boolean> {
    const s = await this.ctx.db
      .selectFrom('webchat_sessions')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return Boolean(s);
  }

  /** Appends the conversation's agent replies that the visitor's feed lacks, and pushes them. */
  async syncReplies(conversationId: string): Promise<void> {
    const appended = await this.lock(conversationId, () =>
      this.ctx.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('messages as m')
          .leftJoin('users as u', 'u.id', 'm.author_id')
          .leftJoin('webchat_feed as f', (j) =>
            j.onRef('f.conversation_id', '=', 'm.conversation_id').onRef('f.ref', '=', 'm.id'),
          )
          .select(['m.id', 'm.body', 'm.created_at', 'm.client_id', 'u.display_name'])
          .where('m.conversation_id', '=', conversationId)
          .where('m.direction', '=', 'out')
          // A reply the agent sent by SMS or messenger instead is not the visitor's to see here.
          .where((eb) => eb.or([eb('m.channel', 'is', null), eb('m.channel', '=', 'webchat')]))
          .where('f.seq', 'is', null)
          .orderBy('m.created_at')
          .orderBy('m.id')
          .execute();
        const out: VisitorEvent[] = [];
        for (const r of rows) {
          const message: VisitorMessage = {
            id: r.id,
            direction: 'out',
            body: r.body,
            author: r.display_name ?? null,
            attachment: null,
            clientId: null,
            createdAt: new Date(Number(r.created_at)).toISOString(),
          };
          out.push(
            await this.appendFeed(
              trx,
              conversationId,
              'message.created',
              message,
              r.id,
              Number(r.created_at),
            ),
          );
        }
        return out;
      }),
    );
    for (const e of appended) this.sink.event(conversationId, e);
  }

  /** An agent accepted the chat: the visitor sees who. */
  async assigned(conversationId: string, agentId: string): Promise<void> {
    const agent = await this.ctx.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', agentId)
      .executeTakeFirst();
    await this.feedEvent(conversationId, 'conversation.assigned', { agentName: agent?.display_name ?? '' });
  }

  /** The agent finished the work: the conversation is resolved and the visitor is asked for the survey. */
  async resolved(conversationId: string): Promise<void> {
    const now = Date.now();
    const changed = await this.lock(conversationId, async () => {
      const s = await this.ctx.db
        .selectFrom('webchat_sessions')
        .select(['id', 'resolved_at'])
        .where('conversation_id', '=', conversationId)
        .executeTakeFirst();
      const conv = await this.ctx.db
        .selectFrom('conversations')
        .select('status')
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!s || !conv || (conv.status === 'resolved' && s.resolved_at !== null)) return false;
      await this.ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('conversations')
          .set({ status: 'resolved', waiting_since: null })
          .where('id', '=', conversationId)
          .execute();
        await trx.updateTable('webchat_sessions').set({ resolved_at: now }).where('id', '=', s.id).execute();
      });
      return true;
    });
    if (!changed) return;
    const survey = await this.ctx.db
      .selectFrom('surveys')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    await this.feedEvent(conversationId, 'conversation.resolved', { surveyRequested: !survey });
  }

  // ——— internals ———

  private async reopen(session: WebchatSession, now: number): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('conversations')
        .set({ status: 'pending', assignee_id: null, waiting_since: now })
        .where('id', '=', session.conversationId)
        .execute();
      await trx
        .updateTable('webchat_sessions')
        .set({ resolved_at: null })
        .where('id', '=', session.id)
        .execute();
    });
    await this.feedEvent(session.conversationId, 'conversation.reopened', {});
  }

  /** Puts the conversation in its queue; remembers the work item for position polling. */
  private async route(session: WebchatSession): Promise<QueueStanding> {
    if (!this.ctx.routing) throw new HubError('UNAVAILABLE', 'routing is not running on this hub');
    const r = await this.ctx.routing.enqueue(session.siteId, {
      queueId: session.queueId,
      channel: 'webchat',
      conversationId: session.conversationId,
      customerId: session.customerId,
    });
    if (r.item) {
      session.workItemId = r.item.id;
      await this.ctx.db
        .updateTable('webchat_sessions')
        .set({ work_item_id: r.item.id })
        .where('id', '=', session.id)
        .execute();
    }
    return {
      status: r.status,
      position: r.position,
      ewtSeconds: r.ewtSeconds,
      message: r.message,
      opensAt: r.opensAt,
    };
  }

  /**
   * The customer behind the pre-chat form: the shared identity resolution
   * (exact phone or email match only; never merges two records), with the
   * privacy consent the form required recorded on the customer.
   */
  private async findOrCreateCustomer(
    trx: Db,
    siteId: string,
    name: string,
    phone: string | null,
    email: string | null,
    now: number,
  ): Promise<string> {
    const resolved = await resolveIdentity(
      trx,
      siteId,
      { name, ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
      { consents: { privacy: true }, now },
    );
    if (!resolved.customerId) throw new HubError('VALIDATION_FAILED', 'a name, phone or email is needed');
    return resolved.customerId;
  }

  private async openConversation(
    trx: Db,
    o: { siteId: string; customerId: string; queueId: string; lang: string; consentAt: number; now: number },
  ): Promise<WebchatSession> {
    const conversationId = newId();
    const sessionId = newId();
    await trx
      .insertInto('conversations')
      .values({
        id: conversationId,
        site_id: o.siteId,
        customer_id: o.customerId,
        channel: 'webchat',
        queue_id: o.queueId,
        status: 'pending',
        priority: 0,
        assignee_id: null,
        subject: null,
        waiting_since: o.now,
        created_at: o.now,
        last_message_at: o.now,
      })
      .execute();
    await trx
      .insertInto('webchat_sessions')
      .values({
        id: sessionId,
        site_id: o.siteId,
        customer_id: o.customerId,
        conversation_id: conversationId,
        queue_id: o.queueId,
        work_item_id: null,
        lang: o.lang,
        consent_at: o.consentAt,
        consent_version: CONSENT_VERSION,
        agent_read_seq: 0,
        visitor_read_seq: 0,
        resolved_at: null,
        created_at: o.now,
      })
      .execute();
    return {
      id: sessionId,
      siteId: o.siteId,
      customerId: o.customerId,
      conversationId,
      queueId: o.queueId,
      workItemId: null,
    };
  }

  /** Inside the conversation's lock: the message, the site-log event for the desk, the visitor's feed entry. */
  private async writeVisitorMessage(
    trx: Db,
    session: WebchatSession,
    input: { clientId: string; body: string },
    attachment: (VisitorAttachment & { path: string }) | null,
    now: number,
  ): Promise<{
    message: VisitorMessage;
    seq: number;
    events: { log: AppendedEvent[]; feed: VisitorEvent[] };
  }> {
    const conv = await trx
      .selectFrom('conversations')
      .select(['assignee_id', 'subject', 'waiting_since'])
      .where('id', '=', session.conversationId)
      .executeTakeFirstOrThrow();
    const row = {
      id: newId(),
      site_id: session.siteId,
      conversation_id: session.conversationId,
      direction: 'in',
      author_id: null,
      body: input.body,
      client_id: input.clientId,
      created_at: now,
    };
    await trx.insertInto('messages').values(row).execute();
    if (attachment) {
      await trx
        .insertInto('webchat_attachments')
        .values({
          id: attachment.id,
          site_id: session.siteId,
          conversation_id: session.conversationId,
          message_id: row.id,
          name: attachment.name,
          content_type: attachment.contentType,
          size: attachment.size,
          created_at: now,
        })
        .execute();
    }
    await trx
      .updateTable('conversations')
      .set({
        last_message_at: now,
        waiting_since: conv.waiting_since ?? now,
        subject: conv.subject ?? input.body.slice(0, 60),
      })
      .where('id', '=', session.conversationId)
      .execute();
    const message: Message = toMessage(row);
    const log = await appendEvent(
      trx,
      session.siteId,
      'message.created',
      message,
      conv.assignee_id ? [conv.assignee_id] : [],
      now,
    );
    const visitorMessage: VisitorMessage = {
      id: row.id,
      direction: 'in',
      body: row.body,
      author: null,
      attachment: attachment
        ? {
            id: attachment.id,
            name: attachment.name,
            contentType: attachment.contentType,
            size: attachment.size,
          }
        : null,
      clientId: input.clientId,
      createdAt: new Date(now).toISOString(),
    };
    const feed = await this.appendFeed(
      trx,
      session.conversationId,
      'message.created',
      visitorMessage,
      row.id,
      now,
    );
    return { message: visitorMessage, seq: feed.seq, events: { log: [log], feed: [feed] } };
  }

  private checkFile(file: { name: string; bytes: Buffer }): VisitorAttachment {
    if (file.bytes.length === 0) throw new HubError('VALIDATION_FAILED', 'the file is empty');
    if (file.bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new HubError('PAYLOAD_TOO_LARGE', `attachments may be at most ${MAX_ATTACHMENT_BYTES} bytes`);
    }
    const contentType = sniffAttachmentType(file.bytes);
    if (!contentType) {
      throw new HubError('VALIDATION_FAILED', 'only PNG, JPEG, GIF, WebP images and PDF files are accepted', {
        reason: 'UNSUPPORTED_TYPE',
      });
    }
    // The name is shown, never used as a path.
    const name = file.name.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 120) || 'file';
    return { id: newId(), name, contentType, size: file.bytes.length };
  }

  private storeFile(session: WebchatSession, id: string, bytes: Buffer): string {
    const dir = attachmentDir(this.ctx, session.siteId);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, id);
    writeFileSync(path, bytes, { mode: 0o600 });
    return path;
  }

  private async findByClientId(
    conversationId: string,
    clientId: string,
  ): Promise<{ message: VisitorMessage; seq: number } | undefined> {
    const rows = await this.ctx.db
      .selectFrom('messages as m')
      .innerJoin('webchat_feed as f', (j) =>
        j.onRef('f.conversation_id', '=', 'm.conversation_id').onRef('f.ref', '=', 'm.id'),
      )
      .select(['f.seq', 'f.payload'])
      .where('m.conversation_id', '=', conversationId)
      .where('m.client_id', '=', clientId)
      .where('m.direction', '=', 'in')
      .execute();
    const r = rows[0];
    return r ? { seq: Number(r.seq), message: JSON.parse(r.payload) as VisitorMessage } : undefined;
  }

  private async feedEvent<K extends VisitorEventType>(
    conversationId: string,
    type: K,
    payload: VisitorEventPayloads[K],
  ): Promise<void> {
    const e = await this.lock(conversationId, () =>
      this.ctx.db
        .transaction()
        .execute((trx) => this.appendFeed(trx, conversationId, type, payload, null, Date.now())),
    );
    this.sink.event(conversationId, e);
  }

  private async appendFeed<K extends VisitorEventType>(
    trx: Db,
    conversationId: string,
    type: K,
    payload: VisitorEventPayloads[K],
    ref: string | null,
    at: number,
  ): Promise<VisitorEvent> {
    const seq = (await this.headSeq(trx, conversationId)) + 1;
    await trx
      .insertInto('webchat_feed')
      .values({ conversation_id: conversationId, seq, type, payload: JSON.stringify(payload), ref, at })
      .execute();
    return { seq, type, payload, at: new Date(at).toISOString() } as VisitorEvent;
  }

  private async headSeq(db: Db, conversationId: string): Promise<number> {
    const r = await db
      .selectFrom('webchat_feed')
      .select((eb) => eb.fn.max('seq').as('m'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  private bucket(sessionId: string): TokenBucket {
    let b = this.buckets.get(sessionId);
    if (!b) {
      b = new TokenBucket(VISITOR_RATE_PER_SECOND, VISITOR_BURST);
      this.buckets.set(sessionId, b);
    }
    return b;
  }

  /** One writer per conversation at a time in this process: feed seqs stay gap-free and in order. */
  private lock<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(conversationId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(conversationId, tail);
    void tail.then(() => {
      if (this.locks.get(conversationId) === tail) this.locks.delete(conversationId);
    });
    return run;
  }
}

/** Parses input, answering bad input with the typed VALIDATION_FAILED (HTTP 400), never a 500. */
export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new HubError('VALIDATION_FAILED', 'invalid request', r.error.issues);
  return r.data;
}

export const attachmentDir = (ctx: HubContext, siteId: string): string =>
  join(ctx.config.dataDir, 'webchat', 'attachments', siteId);

function toVisitorEvent(r: { seq: number; type: string; payload: string; at: number }): VisitorEvent {
  return {
    seq: Number(r.seq),
    type: r.type,
    payload: JSON.parse(r.payload) as unknown,
    at: new Date(Number(r.at)).toISOString(),
  } as VisitorEvent;
}
