/**
 * The one place every IPC call passes through: check the calling frame,
 * validate the arguments with the channel's zod tuple, run the service, and
 * answer with a `Result` — nothing throws back across the bridge.
 */
import type { z } from 'zod';
import { IPC, type HostApi, type IpcName } from '@shared/host-api';
import { fail, type Result } from '@shared/errors';

type Args<K extends IpcName> = z.infer<(typeof IPC)[K]['args']>;
type Answer<K extends IpcName> = HostApi[K] extends (...args: never[]) => infer R ? R : never;

/** What main implements: one function per IPC channel, arguments already validated. */
export type HostServices = { [K in IpcName]: (...args: Args<K>) => Answer<K> };

export interface IpcDispatcher {
  (name: IpcName, senderUrl: string | undefined, rawArgs: unknown[]): Promise<Result<unknown>>;
}

/** Why a call was refused before reaching its service; every refusal is reported (and logged by main). */
export type IpcRejection = 'untrusted-sender' | 'invalid-arguments';

export function createIpcDispatcher(
  services: HostServices,
  isTrustedSender: (url: string | undefined) => boolean,
  onError: (name: IpcName, error: unknown) => void = () => undefined,
  onRejected: (name: IpcName, reason: IpcRejection, detail: unknown) => void = () => undefined,
): IpcDispatcher {
  return async (name, senderUrl, rawArgs) => {
    if (!isTrustedSender(senderUrl)) {
      onRejected(name, 'untrusted-sender', { senderUrl: senderUrl ?? null });
      return fail('FORBIDDEN', `${name}: untrusted sender`);
    }
    const parsed = IPC[name].args.safeParse(rawArgs);
    if (!parsed.success) {
      // Paths and messages only: the arguments themselves may hold a token or a customer's words.
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      onRejected(name, 'invalid-arguments', issues);
      return fail('VALIDATION_FAILED', `${name}: invalid arguments`, issues);
    }
    try {
      const service = services[name] as (...args: unknown[]) => Promise<Result<unknown>>;
      return await service(...(parsed.data as unknown[]));
    } catch (error) {
      onError(name, error);
      return fail('INTERNAL', `${name} failed`);
    }
  };
}
