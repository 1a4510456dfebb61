/**
 * Decisions about URLs that the main process makes on the renderer's behalf:
 * which frames may call IPC, which links may open in the OS browser, and
 * which permission requests are granted.
 */

/** Scheme and host of the packaged renderer (`app://desk/index.html`). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function parse(url: string | undefined | null): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when `url` belongs to the desk itself: our `app://desk` origin, or the dev server in development. */
export function isDeskUrl(url: string | undefined | null, devUrl?: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  const dev = parse(devUrl);
  return dev !== null && parsed.origin === dev.origin;
}

/** A link the desk may hand to the OS browser: https, a real host, no embedded credentials. */
export function safeExternalUrl(url: string): string | null {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'https:' || !parsed.hostname) return null;
  if (parsed.username || parsed.password) return null;
  return parsed.toString();
}

/** Only microphone/speaker access, and only for the desk's own pages. */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  details: { mediaTypes?: readonly string[] },
  devUrl?: string,
): boolean {
  if (!isDeskUrl(requestingUrl, devUrl)) return false;
  if (permission === 'speaker-selection') return true;
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  return types.every((type) => type === 'audio');
}

const DEEP_LINK = /^(tel|sip|sips):[\w.+\-@;=%*#:/]{1,200}$/i;

/** The first `tel:`/`sip:` link in a command line (Windows/Linux pass them as arguments). */
export function findDeepLink(argv: readonly string[]): string | null {
  return argv.find((arg) => DEEP_LINK.test(arg)) ?? null;
}

export function isDeepLink(url: string): boolean {
  return DEEP_LINK.test(url);
}
