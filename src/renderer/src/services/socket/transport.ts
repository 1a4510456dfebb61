/**
 * What the sync logic needs from a socket: send a command and wait for its
 * ack. socket.io provides it in production (`socket-transport.ts`); tests
 * pass a fake that follows the same wire format.
 */
import type { CommandName, CommandResults } from '@shared/protocol';
import type { Result } from '@shared/errors';

export interface Transport {
  /**
   * Emits `name` with `payload` and resolves with the hub's ack. Rejects when
   * no ack arrives within `timeoutMs` (or the connection drops meanwhile).
   */
  request<K extends CommandName>(
    name: K,
    payload: unknown,
    timeoutMs: number,
  ): Promise<Result<CommandResults[K]>>;
}
