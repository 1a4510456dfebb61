/**
 * socket.io on the hub's HTTP server: authenticates each desk, runs its
 * commands (validated, size-checked, rate-limited, acked after commit) and
 * pushes committed events to the rooms of the users they concern.
 *
 * Bad input never takes a connection or the hub down: every refusal is a
 * typed error in the ack and a log line.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ZodError } from 'zod';
import { type Result, fail, ok } from '@shared/errors';
import {
  COMMAND_SCHEMAS,
  type ClientToHubEvents,
  type CommandName,
  HandshakeAuth,
  type HubToClientEvents,
  MAX_COMMAND_BYTES,
} from '@shared/protocol';
import { currentStatus, setOfflineBySystem } from '../agents/agent-state';
import type { Actor, HubContext } from '../context';
import { isSupervising } from '../context';
import { HubError } from '../errors';
import { headSeq } from '../storage/event-log';
import { HUB_VERSION } from '../version';
import { commandHandlers } from './command-handlers';
import { TokenBucket } from './token-bucket';
import { ConversationPresenceRegistry } from './conversation-presence';

interface SocketData {
  actor: Actor;
}
type DeskSocket = Socket<ClientToHubEvents, HubToClientEvents, Record<string, never>, SocketData>;
export type RealtimeServer = Server<ClientToHubEvents, HubToClientEvents, Record<string, never>, SocketData>;

const userRoom = (userId: string) => `user:${userId}`;
/** Supervising roles of a site, for the wallboard's live numbers. */
export const supervisorsRoom = (siteId: string) => `supervisors:${siteId}`;

/** Turns anything a handler threw into the typed error the client gets. */
export function toFailure(ctx: HubContext, err: unknown, command: string, actor: Actor): Result<never> {
  if (err instanceof HubError) {
    ctx.log.warn({ command, userId: actor.userId, code: err.code, msg2: err.message }, 'command refused');
    return fail(err.code, err.message, err.details);
  }
  if (err instanceof ZodError) {
    ctx.log.warn({ command, userId: actor.userId, issues: err.issues }, 'command failed validation');
    return fail('VALIDATION_FAILED', 'invalid command payload', err.issues);
  }
  ctx.log.error({ err, command, userId: actor.userId }, 'command failed');
  return fail('INTERNAL', 'internal error');
}

export function attachRealtime(
  ctx: HubContext,
  httpServer: HttpServer,
): { io: RealtimeServer; close(): Promise<void> } {
  const io: RealtimeServer = new Server(httpServer, {
    path: '/socket.io',
    // Anything above this is dropped by socket.io itself (it closes that
    // connection); commands are refused with PAYLOAD_TOO_LARGE far below it.
    maxHttpBufferSize: 1_000_000,
    // Tokens travel in the handshake payload, not cookies, so cross-origin
    // desks (Electron's app:// origin) are safe to accept.
    cors: { origin: true, credentials: false },
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const offlineTimers = new Map<string, NodeJS.Timeout>();
  ctx.presence = new ConversationPresenceRegistry(ctx.db, (userId, presence) =>
    io.to(userRoom(userId)).emit('conversation.presence', presence),
  );

  ctx.publisher.publish = (events) => {
    for (const e of events) for (const d of e.deliveries) io.to(userRoom(d.userId)).emit('event', d.event);
  };

  const scheduleOffline = (actor: Actor) => {
    clearTimeout(offlineTimers.get(actor.userId));
    offlineTimers.set(
      actor.userId,
      setTimeout(() => {
        offlineTimers.delete(actor.userId);
        void io
          .in(userRoom(actor.userId))
          .fetchSockets()
          .then(async (sockets) => {
            if (sockets.length > 0) return;
            const status = await currentStatus(ctx.db, actor.userId);
            if (status.state === 'offline') return;
            // Through the ACD when it runs, so it stops routing to them in the same step.
            if (ctx.routing) await ctx.routing.offline(actor);
            else await setOfflineBySystem(ctx, actor);
          })
          .catch((err: unknown) => ctx.log.error({ err }, 'presence check failed'));
      }, ctx.config.presenceGraceSeconds * 1000).unref(),
    );
  };

  io.use((socket, next) => {
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    const refuse = (code: string, message: string) => {
      ctx.log.warn({ code, ip: socket.handshake.address }, 'socket refused');
      next(Object.assign(new Error(message), { data: { code, message } }));
    };
    if (!parsed.success) return refuse('UNAUTHENTICATED', 'missing token');
    ctx.tokens
      .verify(parsed.data.token)
      .then(async (claims) => {
        const user = await ctx.db
          .selectFrom('users')
          .select(['active', 'site_id', 'role'])
          .where('id', '=', claims.userId)
          .executeTakeFirst();
        if (!user || Number(user.active) !== 1) return refuse('UNAUTHENTICATED', 'user is not active');
        socket.data.actor = { ...claims, ip: socket.handshake.address };
        next();
      })
      .catch((err: unknown) => {
        if (err instanceof HubError) refuse(err.code, err.message);
        else refuse('INTERNAL', 'authentication failed');
      });
  });

  io.on('connection', (socket: DeskSocket) => {
    const actor = socket.data.actor;
    const log = ctx.log.child({ userId: actor.userId, socket: socket.id });
    const bucket = new TokenBucket(ctx.config.commandRatePerSecond, ctx.config.commandBurst);
    clearTimeout(offlineTimers.get(actor.userId));
    offlineTimers.delete(actor.userId);
    void socket.join(userRoom(actor.userId));
    if (isSupervising(actor)) void socket.join(supervisorsRoom(actor.siteId));

    void headSeq(ctx.db, actor.userId).then((head) =>
      socket.emit('welcome', {
        userId: actor.userId,
        siteId: actor.siteId,
        headSeq: head,
        hubVersion: HUB_VERSION,
      }),
    );

    socket.onAny((event: string, ...args: unknown[]) => {
      if (event in COMMAND_SCHEMAS) return;
      log.warn({ event }, 'unknown command');
      const ack = args.at(-1);
      if (typeof ack === 'function') ack(fail('UNKNOWN_COMMAND', `unknown command: ${event.slice(0, 64)}`));
    });

    for (const name of Object.keys(COMMAND_SCHEMAS) as CommandName[]) {
      socket.on(name, (async (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') {
          log.warn({ command: name }, 'command without ack callback ignored');
          return;
        }
        const reply = ack as (r: Result<unknown>) => void;
        if (!bucket.take()) {
          log.warn({ command: name }, 'command rate limit exceeded');
          return reply(fail('RATE_LIMITED', 'too many commands: slow down'));
        }
        let size: number;
        try {
          size = Buffer.byteLength(JSON.stringify(payload ?? null));
        } catch {
          return reply(fail('BAD_REQUEST', 'payload is not serialisable'));
        }
        if (size > MAX_COMMAND_BYTES) {
          log.warn({ command: name, size }, 'command payload too large');
          return reply(fail('PAYLOAD_TOO_LARGE', `command larger than ${MAX_COMMAND_BYTES} bytes`));
        }
        const parsed = COMMAND_SCHEMAS[name].safeParse(payload);
        if (!parsed.success) {
          log.warn({ command: name, issues: parsed.error.issues }, 'command failed validation');
          return reply(fail('VALIDATION_FAILED', 'invalid command payload', parsed.error.issues));
        }
        try {
          const handler = commandHandlers[name] as (c: HubContext, a: Actor, i: unknown) => Promise<unknown>;
          reply(ok(await handler(ctx, { ...actor, connectionId: socket.id }, parsed.data)));
        } catch (err) {
          reply(toFailure(ctx, err, name, actor));
        }
      }) as never);
    }

    socket.on('disconnect', (reason) => {
      log.info({ reason }, 'desk disconnected');
      ctx.presence?.leave(socket.id);
      scheduleOffline(actor);
      // The last desk of this agent is gone: whatever rings there goes to someone else now.
      void io
        .in(userRoom(actor.userId))
        .fetchSockets()
        .then((left) => (left.length === 0 && ctx.routing ? ctx.routing.deskGone(actor) : undefined))
        .catch((err: unknown) => log.error({ err }, 'withdrawing offers after disconnect failed'));
    });
    log.info('desk connected');
  });

  /** After a restart, agents left online get the same grace to reconnect as after a disconnect. */
  void ctx.db
    .selectFrom('agent_status')
    .select(['user_id', 'site_id', 'state'])
    .where('state', '!=', 'offline')
    .execute()
    .then((rows) => {
      for (const r of rows) scheduleOffline({ userId: r.user_id, siteId: r.site_id, role: 'agent' });
    })
    .catch((err: unknown) => ctx.log.error({ err }, 'presence restore failed'));

  return {
    io,
    close: async () => {
      for (const t of offlineTimers.values()) clearTimeout(t);
      offlineTimers.clear();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
