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

export function createIpcDispatcher(
  services: HostServices,
  isTrustedSender: (url: string | undefined) => boolean,
  onError: (name: IpcName, error: unknown) => void = () => undefined,
): IpcDispatcher {
  return async (name, senderUrl, rawArgs) => {
    if (!isTrustedSender(senderUrl)) return fail('FORBIDDEN', `${name}: untrusted sender`);
    const parsed = IPC[name].args.safeParse(rawArgs);
    if (!parsed.success) return fail('VALIDATION_FAILED', `${name}: invalid arguments`, parsed.error.issues);
    try {
      const service = services[name] as (...args: unknown[]) => Promise<Result<unknown>>;
      return await service(...(parsed.data as unknown[]));
    } catch (error) {
      onError(name, error);
      return fail('INTERNAL', `${name} failed`);
    }
  };
}
