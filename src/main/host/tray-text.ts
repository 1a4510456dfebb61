/** The tray icon's tooltip: product, agent state and unread count in one line. */
import type { TrayStatus } from '@shared/host-api';

export function trayTooltip(status: TrayStatus | null, product = 'Ieum Desk'): string {
  if (!status) return product;
  const parts = [product];
  if (status.label) parts.push(status.label);
  if (status.unread > 0) parts.push(status.unread > 99 ? '99+' : String(status.unread));
  return parts.join(' · ');
}

/** Which icon variant shows the state: ready (green), away (amber), offline (grey), busy (red). */
export function trayVariant(status: TrayStatus | null): 'ready' | 'away' | 'busy' | 'offline' {
  switch (status?.state) {
    case 'ready':
      return 'ready';
    case 'busy':
      return 'busy';
    case 'not_ready':
    case 'wrap_up':
      return 'away';
    default:
      return 'offline';
  }
}
