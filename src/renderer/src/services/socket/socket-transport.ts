/** The `Transport` over a socket.io client socket. */
import type { Socket } from 'socket.io-client';
import type { ClientToHubEvents, HubToClientEvents } from '@shared/protocol';
import type { Transport } from './transport';

export type DeskSocket = Socket<HubToClientEvents, ClientToHubEvents>;

export function socketTransport(socket: DeskSocket): Transport {
  return {
    request(name, payload, timeoutMs) {
      // Never hand socket.io an emit while disconnected: it would buffer it and
      // send it again on reconnect, next to our own retry.
      if (!socket.connected) return Promise.reject(new Error('disconnected'));
      const timed = socket.timeout(timeoutMs);
      // The typed overloads cannot follow a generic command name; the Transport signature restores the types.
      const emitWithAck = timed.emitWithAck as unknown as (event: string, payload: unknown) => Promise<never>;
      return emitWithAck.call(timed, name, payload);
    },
  };
}
