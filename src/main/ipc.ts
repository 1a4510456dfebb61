/**
 * Registers one `ipcMain.handle` per entry of the shared `IPC` map, all going
 * through the validating dispatcher. Adding a channel to `IPC` and a service
 * to `HostServices` is all a new host feature needs.
 */
import { ipcMain } from 'electron';
import { IPC, type IpcName } from '@shared/host-api';
import { createIpcDispatcher, type HostServices } from './host/ipc-dispatch';
import { createLogger } from './log';

const log = createLogger('ipc');

export function registerIpcHandlers(
  services: HostServices,
  isTrustedSender: (url: string | undefined) => boolean,
): void {
  const dispatch = createIpcDispatcher(
    services,
    isTrustedSender,
    (name, error) => log.error(`${name} threw`, error),
    (name, reason, detail) => log.warn(`refused ${name}: ${reason}`, detail),
  );
  for (const name of Object.keys(IPC) as IpcName[]) {
    ipcMain.handle(IPC[name].channel, (event, ...args: unknown[]) => {
      // Only the top-level desk page may call; senderFrame is null when the frame navigated away or was destroyed.
      const frame = event.senderFrame;
      const url = frame && frame.parent === null ? frame.url : undefined;
      return dispatch(name, url, args);
    });
  }
}
