/**
 * The Content-Security-Policy of every desk window. `connect-src` names only
 * the configured hubs (HTTP origin and its WebSocket twin), the SIP WebSocket
 * on the hub's host, and the SIP servers those hubs named (sip-servers.ts), so
 * a compromised renderer cannot send data anywhere else.
 */

export interface CspOptions {
  /** Hub URLs the desk may talk to (each profile's hubUrl). */
  hubUrls: readonly string[];
  /** SIP WebSocket origins the hubs named (`wss://pbx.example:8089`), when on other hosts. */
  sipOrigins?: readonly string[];
  /** The Vite dev server in development; it needs its own ws origin for HMR. */
  devUrl?: string;
}

/** `text` as a URL with one of `protocols` (`'wss:'`, …), else undefined. */
export function parseUrl(text: string, protocols: readonly string[]): URL | undefined {
  try {
    const url = new URL(text);
    return protocols.includes(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The SIP WebSocket of the Kamailio that serves a hub's center: the hub's host
 * on any port (`wss://hub:*` beside an https hub, `ws://hub:*` beside http).
 * The desk's phone connects there with the credentials the hub hands out, so
 * the policy names that host and no other.
 */
export function sipConnectOrigin(hubUrl: string): string | undefined {
  const url = parseUrl(hubUrl, ['http:', 'https:']);
  if (!url) return undefined;
  // `hostname` keeps an IPv6 address in its brackets.
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.hostname}:*`;
}

/** `https://hub:8443/x` → [`https://hub:8443`, `wss://hub:8443`]; invalid or non-http URLs give nothing. */
export function hubConnectOrigins(hubUrl: string): string[] {
  const url = parseUrl(hubUrl, ['http:', 'https:']);
  if (!url) return [];
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${ws}//${url.host}`];
}

export function buildCsp({ hubUrls, sipOrigins = [], devUrl }: CspOptions): string {
  const connect = new Set<string>(["'self'"]);
  for (const hub of hubUrls) {
    for (const origin of hubConnectOrigins(hub)) connect.add(origin);
    const sip = sipConnectOrigin(hub);
    if (sip) connect.add(sip);
  }
  for (const origin of sipOrigins) {
    // Origins only (no path, no wildcard), as sip-servers.ts derives them.
    if (/^wss?:\/\/[^/\s;,*]+$/.test(origin)) connect.add(origin);
  }
  const script = ["'self'"];
  if (devUrl) {
    for (const origin of hubConnectOrigins(devUrl)) connect.add(origin);
    // The React refresh preamble Vite injects in dev is an inline script.
    script.push("'unsafe-inline'");
  }
  return [
    "default-src 'none'",
    `script-src ${script.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    `connect-src ${[...connect].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
