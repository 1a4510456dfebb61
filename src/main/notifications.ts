/**
 * OS notifications. One notification per tag is kept so a newer one for the
 * same conversation replaces the older; a click focuses the desk and tells the
 * renderer which tag was clicked.
 */
import { Notification as OsNotification, type BrowserWindow } from 'electron';
import { IPC_EVENTS, type Notification } from '@shared/host-api';
import { fail, ok, type Result } from '@shared/errors';

export function createNotifier(getWindow: () => BrowserWindow | null) {
  const shown = new Map<string, OsNotification>();
  return (input: Notification): Promise<Result<null>> => {
    if (!OsNotification.isSupported())
      return Promise.resolve(fail('UNAVAILABLE', 'notifications not supported'));
    const tag = input.tag ?? '';
    if (tag) shown.get(tag)?.close();
    const notification = new OsNotification({ title: input.title, body: input.body });
    notification.on('click', () => {
      const win = getWindow();
      if (!win) return;
      if (win.isMinimized()) win.restore();
      // The window may be hidden in the tray.
      win.show();
      win.focus();
      win.webContents.send(IPC_EVENTS.notificationClicked, tag);
    });
    notification.on('close', () => {
      if (shown.get(tag) === notification) shown.delete(tag);
    });
    if (tag) shown.set(tag, notification);
    notification.show();
    return Promise.resolve(ok(null));
  };
}
