/**
 * An OS notification (or the browser's) for each new offer, so an agent in
 * another window sees it too. Driven by the offers store, so the event
 * handlers stay free of side effects.
 */
import type { OfferPayload } from '@shared/protocol';
import { getHost } from '@renderer/host/get-host';
import { playRing } from '@renderer/host/ring-tone';
import { i18next } from '@renderer/i18n';
import { createLogger } from '@renderer/lib/log';
import { useOffersStore } from '@renderer/stores/offers';
import { selectNotificationVolume, useSettingsStore } from '@renderer/stores/settings';

const log = createLogger('offer-notify');

/** The notification's text, in the current language. */
export function offerNotification(offer: OfferPayload): { title: string; body: string; tag: string } {
  const t = i18next.t.bind(i18next);
  const channel = t(`inbox.channels.${offer.item.channel}`);
  const customer = offer.customerName ?? t('offers.unknownCustomer');
  const subject = offer.subject ?? t('inbox.untitled');
  return {
    title: t('offers.notificationTitle', { channel }),
    body: t('offers.notificationBody', { customer, subject }).slice(0, 1000),
    tag: `offer:${offer.item.id}`.slice(0, 100),
  };
}

/**
 * Notifies and rings (at the agent's notification volume) once per offer that
 * is new and still running (a replayed, already expired one stays quiet).
 */
export function listenForOffers(): () => void {
  return useOffersStore.subscribe((s, previous) => {
    let ring = false;
    for (const [itemId, entry] of Object.entries(s.offers)) {
      if (previous.offers[itemId] || Date.parse(entry.offer.expiresAt) <= Date.now()) continue;
      ring = true;
      void getHost()
        .notify(offerNotification(entry.offer))
        .then((shown) => {
          if (!shown.ok) log.debug('offer notification not shown', shown.error);
        });
    }
    if (ring) playRing(selectNotificationVolume(useSettingsStore.getState()));
  });
}
