/** A per-module logger for the renderer; the prefix says where a line came from. */
export interface Logger {
  debug(message: string, ...detail: unknown[]): void;
  warn(message: string, ...detail: unknown[]): void;
  error(message: string, ...detail: unknown[]): void;
}

export function createLogger(prefix: string): Logger {
  const tag = `[${prefix}]`;
  /* eslint-disable no-console -- this is the one place the renderer writes to the console */
  return {
    debug: (message, ...detail) => {
      if (import.meta.env?.DEV) console.debug(tag, message, ...detail);
    },
    warn: (message, ...detail) => console.warn(tag, message, ...detail),
    error: (message, ...detail) => console.error(tag, message, ...detail),
  };
  /* eslint-enable no-console */
}
