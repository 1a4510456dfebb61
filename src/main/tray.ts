/**
 * The tray icon: the agent's state as its colour, unread work as a dot and in
 * the tooltip; a click brings the desk forward. Closing the window keeps
 * the desk running in the tray (it must still ring), Quit ends it.
 */
import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import type { TrayStatus } from '@shared/host-api';
import { trayIconPixels } from './host/tray-icon';
import { trayTooltip, trayVariant } from './host/tray-text';

export interface DeskTray {
  update(status: TrayStatus): void;
  destroy(): void;
}

function icon(status: TrayStatus | null): NativeImage {
  const variant = trayVariant(status);
  const unread = (status?.unread ?? 0) > 0;
  const image = nativeImage.createFromBitmap(trayIconPixels(variant, 16, unread), { width: 16, height: 16 });
  image.addRepresentation({
    scaleFactor: 2,
    width: 32,
    height: 32,
    buffer: trayIconPixels(variant, 32, unread),
  });
  return image;
}

export function createDeskTray(
  labels: { show: string; quit: string },
  actions: { show(): void; quit(): void },
): DeskTray {
  const tray = new Tray(icon(null));
  tray.setToolTip(trayTooltip(null));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: labels.show, click: actions.show },
      { type: 'separator' },
      { label: labels.quit, click: actions.quit },
    ]),
  );
  tray.on('click', actions.show);
  let last = '';
  return {
    update(status) {
      const key = `${trayVariant(status)}|${status.unread > 0}`;
      if (key !== last) tray.setImage(icon(status));
      last = key;
      tray.setToolTip(trayTooltip(status));
    },
    destroy: () => tray.destroy(),
  };
}
