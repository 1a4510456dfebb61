/**
 * An OS notification (or the browser's) when a call rings while the desk is
 * not in front: the ring alone is easy to miss with the desk in the tray or
 * behind another window. One per call; clicking it brings the desk forward
 * (the host focuses the window; the tag is no conversation, so nothing else
 * opens).
 */
import { formatKoreanPhone, normalizePhoneNumber } from '@shared/phone-number';
import { getHost } from '@renderer/host/get-host';
import { i18next } from '@renderer/i18n';
import { createLogger } from '@renderer/lib/log';
import { useCallsStore } from '@renderer/stores/calls';

const log = createLogger('call-notify');

/** Whether the agent is looking at the desk now (then the call panel is enough). */
export type DeskInFront = () => boolean;

const documentInFront: DeskInFront = () =>
  typeof document !== 'undefined' && document.visibilityState === 'visible' && document.hasFocus();

export function listenForCallNotifications(inFront: DeskInFront = documentInFront): () => void {
  let notifiedFor: string | null = null;
  return useCallsStore.subscribe((s) => {
    const call = s.active;
    if (!call || call.state !== 'incoming' || call.id === notifiedFor) return;
    notifiedFor = call.id;
    if (inFront()) return;
    const e164 = normalizePhoneNumber(call.remote);
    const number = e164 ? formatKoreanPhone(e164) : call.remote;
    void getHost()
      .notify({
        title: i18next.t('softphone.callNotificationTitle'),
        body: (call.remoteName ? `${call.remoteName} · ${number}` : number).slice(0, 1000),
        tag: `call:${call.id}`.slice(0, 100),
      })
      .then((shown) => {
        if (!shown.ok) log.warn('call notification not shown', shown.error);
      });
  });
}
