import { readFileSync } from 'node:fs';

/** The hub's version, read once from package.json so /healthz and the welcome frame agree. */
export const HUB_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
