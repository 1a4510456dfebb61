/** Small helpers shared by the server tests that drive desks over socket.io. */
import type { Result } from '@shared/errors';
import type { DeskSocket } from './in-process-hub';

/** Emits a command with its ack, as the desk does (any name: tests also send unknown ones). */
export function send<T>(socket: DeskSocket, name: string, payload: unknown): Promise<Result<T>> {
  return (socket.emitWithAck as (n: string, p: unknown) => Promise<Result<T>>)(name, payload);
}

/** Resolves with the first truthy value of `pred`, checked as events arrive (every 10 ms). */
export function waitFor<T>(pred: () => T | undefined | false, what: string, ms = 8000): Promise<T> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
      const v = pred();
      if (v !== undefined && v !== false) return resolve(v);
      if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}
