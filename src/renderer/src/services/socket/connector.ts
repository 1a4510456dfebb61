/**
 * The desk's one realtime connection to its hub. It owns the socket.io
 * client, feeds connects/events into `DeskSync`, and dispatches applied events
 * to the stores through the event→handler map.
 */
import { io } from 'socket.io-client';
import { v4 as uuidv4 } from 'uuid';
import type { DeskEvent, RoutingStats } from '@shared/protocol';
import type { ConversationPresence } from '@shared/conversation-tools';
import type { VisitorSignal } from '@shared/webchat';
import type { ErrorCode } from '@shared/errors';
import { createLogger } from '@renderer/lib/log';
import { DeskSync } from './desk-sync';
import { socketTransport, type DeskSocket } from './socket-transport';
import type { SeqStorage } from './seq-storage';
import { RoutingStatsSchema } from './routing-stats';

const log = createLogger('socket');

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectOptions {
  hubUrl: string;
  token: string;
  seqStorage: SeqStorage;
  apply(event: DeskEvent): void;
  onState(state: ConnectionState): void;
  /** After each (re)connect once the desk is caught up: reload snapshots. */
  onSynced?(): void;
  onReset?(): void;
  /** The hub refused the token: the session is over. */
  onAuthFailed(code: ErrorCode): void;
  /** Supervisors: a wallboard snapshot. Not a seq'd event: it bypasses DeskSync and is never replayed. */
  onRoutingStats?(stats: RoutingStats): void;
  /** Who else has a conversation open (ephemeral, never replayed). */
  onPresence?(presence: ConversationPresence): void;
  /** A web chat customer types or has read (ephemeral). */
  onVisitorSignal?(signal: VisitorSignal): void;
}

export interface DeskConnection {
  sync: DeskSync;
  close(): void;
}

export function connectDesk(options: ConnectOptions): DeskConnection {
  const socket: DeskSocket = io(options.hubUrl, {
    path: '/socket.io',
    auth: { token: options.token },
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
  const sync = new DeskSync({
    transport: socketTransport(socket),
    lastSeq: options.seqStorage.load(),
    saveSeq: (seq) => options.seqStorage.save(seq),
    apply: options.apply,
    onReset: options.onReset,
    newCommandId: () => uuidv4(),
    onError: (message, detail) => log.warn(message, detail),
  });

  options.onState('connecting');
  socket.on('connect', () => {
    options.onState('connected');
    void sync.handleConnect().then(() => options.onSynced?.());
  });
  socket.on('welcome', (info) => {
    void sync.handleWelcome(info.headSeq);
  });
  socket.on('event', (frame) => {
    sync.handleEvent(frame);
  });
  socket.on('routing.stats', (frame) => {
    const parsed = RoutingStatsSchema.safeParse(frame);
    if (parsed.success) options.onRoutingStats?.(parsed.data);
    else log.warn('dropped malformed routing.stats frame', parsed.error.issues);
  });
  socket.on('conversation.presence', (frame) => options.onPresence?.(frame));
  socket.on('visitor.signal', (frame) => options.onVisitorSignal?.(frame));
  socket.on('disconnect', (reason) => {
    sync.handleDisconnect();
    options.onState(reason === 'io client disconnect' ? 'disconnected' : 'connecting');
    // A hub that stops cleanly (a restart, an upgrade) disconnects every desk, and
    // socket.io does not reconnect after a server-side disconnect by itself. The
    // hub will be back; ask again (refused credentials still end in onAuthFailed).
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    const code = error.data?.code;
    if (code === 'UNAUTHENTICATED' || code === 'TOKEN_EXPIRED') {
      socket.disconnect();
      options.onAuthFailed(code);
      return;
    }
    log.warn('connect failed; retrying', error.message);
    options.onState('disconnected');
  });

  return {
    sync,
    close: () => {
      sync.handleDisconnect();
      socket.disconnect();
    },
  };
}
