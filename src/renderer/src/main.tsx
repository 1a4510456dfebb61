/** Renderer entry: language, host listeners, a restored session if any, then the UI. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getHost } from '@renderer/host/get-host';
import { initI18n, pickLanguage } from '@renderer/i18n';
import {
  listenForDeepLinks,
  listenForNotificationClicks,
  listenForHotkeys,
  restoreSession,
} from '@renderer/services/desk-session';
import { listenForOffers } from '@renderer/services/offer-notifications';
import { listenForCallHotkeys } from '@renderer/services/sip/call-hotkeys';
import { listenForCallNotifications } from '@renderer/services/sip/call-notifications';
import { installMediaSession } from '@renderer/services/sip/media-session';
import { App } from './App';
import './styles.css';

async function boot(): Promise<void> {
  // Subscribe before anything awaits so a link delivered at start-up is not missed.
  listenForDeepLinks();
  listenForNotificationClicks();
  listenForHotkeys();
  listenForCallHotkeys();
  installMediaSession();
  listenForCallNotifications();
  listenForOffers();
  const settings = await getHost().getSettings();
  await initI18n(pickLanguage(window.location.search, settings.ok ? settings.value.language : undefined));
  await restoreSession();
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
