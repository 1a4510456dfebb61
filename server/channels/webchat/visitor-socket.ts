/**
 * The `/visitor` socket.io namespace: a widget authenticated by its visitor
 * token joins its conversation's room, sends acked messages, resumes after
 * its last seq, and exchanges typing and read signals with the assignee's
 * desk. Also watches what the hub publishes for desks (agent replies,
 * assignment, the end of the work) and turns it into visitor events.
 */
import type { Namespace, Socket } from 'socket.io';
import { ZodError, type z } from 'zod';
import type { Conversation, Message } from '@shared/domain';
import { type Result, fail, ok } from '@shared/errors';
import type { WorkItemView } from '@shared/protocol';
import {
  type HubToVisitorEvents,
  SurveyAnswer,
  VISITOR_NAMESPACE,
  VisitorReadCommand,
  VisitorResumeCommand,
  VisitorSendCommand,
  type VisitorToHubEvents,
  VisitorTypingCommand,
} from '@shared/webchat';
import type { HubContext } from '../../context';
import { HubError } from '../../errors';
import type { RealtimeServer } from '../../realtime/socket-server';
import type { AppendedEvent } from '../../storage/event-log';
import { WebchatAdapter } from './webchat-adapter';
import type { WebchatService, WebchatSession } from './webchat-service';

type VisitorSocket = Socket<
  VisitorToHubEvents,
  HubToVisitorEvents,
  Record<string, never>,
  { session: WebchatSession }
>;
type VisitorNamespace = Namespace<
  VisitorToHubEvents,
  HubToVisitorEvents,
  Record<string, never>,
  { session: WebchatSession }
>;

const convRoom = (conversationId: string) => `conv:${conversationId}`;
const userRoom = (userId: string) => `user:${userId}`;
/** How often a waiting visitor is told its place in line. */
const QUEUE_PUSH_MS = 3000;

export function attachVisitorSocket(
  ctx: HubContext,
  io: RealtimeServer,
  webchat: WebchatService,
): { close(): void } {
  const nsp = io.of(VISITOR_NAMESPACE) as unknown as VisitorNamespace;
  const log = ctx.log.child({ module: 'webchat' });

  webchat.sink = {
    event: (conversationId, event) => nsp.to(convRoom(conversationId)).emit('event', event),
    read: (conversationId, upToSeq) => nsp.to(convRoom(conversationId)).emit('read', { upToSeq }),
    typing: (conversationId, typing) => nsp.to(convRoom(conversationId)).emit('typing', { typing }),
  };

  // Desk events that concern a web chat visitor. Runs after commit, beside the desks' own delivery.
  const deliver = ctx.publisher.publish.bind(ctx.publisher);
  ctx.publisher.publish = (events: AppendedEvent[]) => {
    deliver(events);
    for (const e of events) {
      const first = e.deliveries[0]?.event;
      if (!first) continue;
      void react(first.type, first.payload).catch((err: unknown) =>
        log.error({ err, type: first.type }, 'web chat follow-up failed'),
      );
    }
  };
  const react = async (type: string, payload: unknown): Promise<void> => {
    if (type === 'message.created') {
      const m = payload as Message;
      if (m.direction === 'out' && (await webchat.isWebchat(m.conversationId))) {
        await webchat.syncReplies(m.conversationId);
        // Replying means the agent has read what the customer wrote.
        await webchat.agentRead(m.conversationId);
      }
    } else if (type === 'conversation.assigned') {
      const c = payload as Conversation;
      if (c.channel === 'webchat' && c.assigneeId && (await webchat.isWebchat(c.id))) {
        await webchat.assigned(c.id, c.assigneeId);
      }
    } else if (type === 'work.updated') {
      const w = payload as WorkItemView;
      if (w.channel === 'webchat' && w.conversationId && ['wrap_up', 'done'].includes(w.status)) {
        if (await webchat.isWebchat(w.conversationId)) await webchat.resolved(w.conversationId);
      }
    }
  };

  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    Promise.resolve()
      .then(() => webchat.session(webchat.tokens.verify(token)))
      .then((session) => {
        socket.data.session = session;
        next();
      })
      .catch((err: unknown) => {
        const code = err instanceof HubError ? err.code : 'INTERNAL';
        log.warn({ code, ip: socket.handshake.address }, 'visitor refused');
        next(Object.assign(new Error('visitor refused'), { data: { code, message: 'visitor refused' } }));
      });
  });

  const waiting = new Map<string, WebchatSession>();

  nsp.on('connection', (socket: VisitorSocket) => {
    let session = socket.data.session;
    void socket.join(convRoom(session.conversationId));
    waiting.set(session.conversationId, session);
    void webchat
      .welcome(session)
      .then((w) => socket.emit('welcome', w))
      .catch((err: unknown) => log.error({ err }, 'visitor welcome failed'));

    const signalDesk = async (signal: { typing?: boolean; readUpToSeq?: number }) => {
      const assignee = await webchat.assignee(session.conversationId);
      if (assignee) {
        io.to(userRoom(assignee)).emit('visitor.signal', {
          conversationId: session.conversationId,
          ...signal,
        });
      }
    };
    const run = <S extends z.ZodType, T>(
      schema: S,
      input: unknown,
      ack: unknown,
      fn: (v: z.output<S>) => Promise<T>,
    ) => {
      const reply = typeof ack === 'function' ? (ack as (r: Result<T>) => void) : () => undefined;
      const parsed = schema.safeParse(input);
      if (!parsed.success) return reply(fail('VALIDATION_FAILED', 'invalid payload', parsed.error.issues));
      fn(parsed.data).then(
        (v) => reply(ok(v)),
        (err: unknown) => {
          if (err instanceof HubError) return reply(fail(err.code, err.message, err.details));
          if (err instanceof ZodError) return reply(fail('VALIDATION_FAILED', 'invalid payload', err.issues));
          log.error({ err }, 'visitor command failed');
          reply(fail('INTERNAL', 'internal error'));
        },
      );
    };

    socket.on('message.send', (input, ack) =>
      run(VisitorSendCommand, input, ack, async (v) => {
        const r = await webchat.send(session, v);
        if (r.conversationId !== session.conversationId) {
          // A new conversation began (the old one was resolved long ago): follow it.
          void socket.leave(convRoom(session.conversationId));
          session = { ...session, ...(await webchat.session(webchat.tokens.verify(r.token))) };
          void socket.join(convRoom(session.conversationId));
        }
        waiting.set(session.conversationId, session);
        return r;
      }),
    );
    socket.on('session.resume', (input, ack) =>
      run(VisitorResumeCommand, input, ack, (v) => webchat.resume(session, v.afterSeq)),
    );
    socket.on('survey.answer', (input, ack) =>
      run(SurveyAnswer, input, ack, (v) => webchat.answerSurvey(session, v)),
    );
    socket.on('typing', (input) => {
      const p = VisitorTypingCommand.safeParse(input);
      if (p.success) void signalDesk({ typing: p.data.typing }).catch(() => undefined);
    });
    socket.on('read', (input) => {
      const p = VisitorReadCommand.safeParse(input);
      if (!p.success) return;
      void webchat
        .visitorRead(session, p.data.upToSeq)
        .then(() => signalDesk({ readUpToSeq: p.data.upToSeq }))
        .then(async () => {
          // Read by the visitor: the replies' delivery status turns delivered.
          const adapter = ctx.channels?.adapter('webchat');
          if (adapter instanceof WebchatAdapter)
            await adapter.visitorRead(session.conversationId, p.data.upToSeq);
        })
        .catch((err: unknown) => log.warn({ err }, 'visitor read not applied'));
    });
    socket.on('disconnect', () => {
      if ((nsp.adapter.rooms.get(convRoom(session.conversationId))?.size ?? 0) === 0) {
        waiting.delete(session.conversationId);
      }
    });
  });

  // While a visitor waits, tell it its place in line.
  const timer = setInterval(() => {
    for (const [conversationId, session] of waiting) {
      void webchat
        .standing(session)
        .then((s) => {
          nsp.to(convRoom(conversationId)).emit('queue', s);
          if (s.status !== 'queued' && s.status !== 'scheduled') waiting.delete(conversationId);
        })
        .catch(() => waiting.delete(conversationId));
    }
  }, QUEUE_PUSH_MS);
  timer.unref();

  return {
    close: () => {
      clearInterval(timer);
      nsp.disconnectSockets(true);
    },
  };
}
