/** A per-module logger for the renderer; the prefix says where a line came from. */
export interface Logger {
  debug(message: string, ...detail: unknown[]): void;
  warn(message: string, ...detail: unknown[]): void;
  error(message: string, ...detail: unknown[]): void;
}

// Read loosely so this module also type-checks outside Vite (the unit tests' tsconfig).
const isDev = (import.meta as { env?: { DEV?: boolean } }).env?.DEV === true;

export function createLogger(prefix: string): Logger {
  const tag = `[${prefix}]`;
  /* eslint-disable no-console -- this is the one place the renderer writes to the console */
  return {
    debug: (message, ...detail) => {
      if (isDev) console.debug(tag, message, ...detail);
    },
    warn: (message, ...detail) => console.warn(tag, message, ...detail),
    error: (message, ...detail) => console.error(tag, message, ...detail),
  };
  /* eslint-enable no-console */
}
