/**
 * The only bridge between the desk's web page and the machine: `window.ieum`,
 * a `HostApi` built from the shared IPC map. The page never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { z } from 'zod';
import { DialRequest, HostKeyAction, IPC, IPC_EVENTS, type HostApi, type IpcName } from '@shared/host-api';
import { fail, type Result } from '@shared/errors';

function invoker<K extends IpcName>(name: K) {
  return async (...args: unknown[]): Promise<Result<never>> => {
    try {
      return (await ipcRenderer.invoke(IPC[name].channel, ...args)) as Result<never>;
    } catch {
      return fail('UNAVAILABLE', `${name}: host did not answer`);
    }
  };
}

/** A main → renderer event; payloads that do not match `schema` never reach the page. */
function listener<T>(channel: string, schema: z.ZodType<T>) {
  return (callback: (value: T) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, value: unknown): void => {
      const parsed = schema.safeParse(value);
      if (parsed.success) callback(parsed.data);
    };
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  };
}

const invokers = Object.fromEntries(
  (Object.keys(IPC) as IpcName[]).map((name) => [name, invoker(name)]),
) as unknown as Pick<HostApi, IpcName>;

const api: HostApi = {
  ...invokers,
  onDeepLink: listener(IPC_EVENTS.deepLink, z.string()),
  onDial: listener(IPC_EVENTS.dial, DialRequest),
  onNotificationClicked: listener(IPC_EVENTS.notificationClicked, z.string()),
  onHotkey: listener(IPC_EVENTS.hotkey, HostKeyAction),
};

contextBridge.exposeInMainWorld('ieum', api);
