/**
 * `npm run hub -- --data <dir> --port <port> [--demo] [--db postgres://…] [--role site|hq] [--config file.json]`
 * Starts one hub and stops it cleanly on SIGINT/SIGTERM.
 */
import { loadConfig, USAGE } from './config';
import { startHub } from './hub';
import { rootLogger } from './log';

const log = rootLogger();

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  let config;
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (err) {
    log.fatal({ err }, 'invalid configuration');
    process.exitCode = 2;
    return;
  }
  log.level = config.logLevel;
  const hub = await startHub(config, log);
  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    void hub.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
main().catch((err: unknown) => {
  log.fatal({ err }, 'hub failed to start');
  process.exit(1);
});
