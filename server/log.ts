import pino, { type Logger } from 'pino';

/**
 * The hub's structured logger (pino, JSON lines on stdout). Each module takes a
 * child with its own `module` field so a log line says where it came from.
 */
let root: Logger = pino({
  level: process.env.IEUM_LOG_LEVEL ?? 'info',
  base: { app: 'ieum-hub' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export function setRootLogger(logger: Logger): void {
  root = logger;
}

export function rootLogger(): Logger {
  return root;
}

export function moduleLogger(module: string): Logger {
  return root.child({ module });
}
