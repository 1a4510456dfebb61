/**
 * Auto-update from the site's own hub (electron-updater, generic provider at
 * `<hub>/updates/`, where IT drops the files `npm run dist` built). Only a
 * packaged desk updates; the download runs in the background and installs
 * when the agent quits, never in the middle of a call.
 */
import electronUpdater from 'electron-updater';
import { updateFeedUrl } from './host/update-feed';
import { createLogger } from './log';

const log = createLogger('updater');
const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

export interface DeskUpdater {
  /** Points the updater at this hub (the last profile's) and checks now. */
  useHub(hubUrl: string | null): void;
  stop(): void;
}

export function createDeskUpdater(isPackaged: boolean): DeskUpdater {
  const { autoUpdater } = electronUpdater;
  let feed: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = {
    info: (m: unknown) => log.info(String(m)),
    warn: (m: unknown) => log.warn(String(m)),
    error: (m: unknown) => log.error(String(m)),
    debug: () => undefined,
  };
  autoUpdater.on('error', (error) => log.warn('update check failed', error));
  autoUpdater.on('update-downloaded', (info) =>
    log.info(`update ${info.version} downloaded; installs on quit`),
  );

  const check = (): void => {
    if (!feed) return;
    autoUpdater.checkForUpdates().catch((error: unknown) => log.warn('update check failed', error));
  };
  return {
    useHub(hubUrl) {
      const next = updateFeedUrl(hubUrl);
      if (!isPackaged || !next || next === feed) return;
      feed = next;
      autoUpdater.setFeedURL({ provider: 'generic', url: next });
      log.info(`updates from ${next}`);
      check();
      clearInterval(timer);
      timer = setInterval(check, CHECK_EVERY_MS);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
