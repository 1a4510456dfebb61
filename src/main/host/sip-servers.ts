/**
 * Where each configured hub's desks reach their SIP server, for the desk
 * window's Content-Security-Policy. The phone may live on another host than
 * the hub (IT's own Kamailio, Asterisk or FreeSWITCH), and a CSP cannot change
 * under a loaded document, so the main process asks each hub
 * (`GET /api/v1/sip/server`) before the desk loads. The answers are kept in a
 * file: a desk started while its hub is down still allows the SIP server it
 * last heard of. Only ws:/wss: origins are taken, and only from the hubs the
 * agent configured, never from the renderer.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { SipServerInfo } from '@shared/telephony';
import { parseUrl } from './csp';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface SipServers {
  /** The SIP WebSocket origins known for the configured hubs. */
  origins(): string[];
  /** Asks each hub; resolves true when the set of origins changed. Never throws. */
  learn(hubUrls: readonly string[]): Promise<boolean>;
}

/** `wss://pbx.example:8089/ws` → `wss://pbx.example:8089`; anything but ws/wss gives nothing. */
export function sipOrigin(wsUrl: string): string | undefined {
  const url = parseUrl(wsUrl, ['ws:', 'wss:']);
  return url ? `${url.protocol}//${url.host}` : undefined;
}

const Known = z.record(z.string(), z.string());

export function createSipServers(
  file: string,
  options: { fetch?: Fetch; timeoutMs?: number; onWarn?: (message: string, detail?: unknown) => void } = {},
): SipServers {
  const fetchImpl: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = options.timeoutMs ?? 2_000;
  const warn = options.onWarn ?? (() => undefined);
  /** Hub URL → SIP origin, as last heard. */
  let known: Record<string, string> = {};
  let hubs: readonly string[] = [];
  try {
    if (existsSync(file)) known = Known.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    warn('ignoring an unreadable list of SIP servers', error);
  }

  const current = (): string[] =>
    [...new Set(hubs.map((h) => known[h]).filter((o): o is string => Boolean(o)))].sort();

  async function ask(hubUrl: string): Promise<string | null | undefined> {
    let timer: NodeJS.Timeout | undefined;
    // The abort stops the request; the race holds even for a fetch that ignores it.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const res = await Promise.race([
        fetchImpl(`${hubUrl.replace(/\/$/, '')}${API_PREFIX}/sip/server`, {
          signal: AbortSignal.timeout(timeoutMs),
        }),
        late,
      ]);
      if (!res.ok) return undefined;
      const info = SipServerInfo.parse(await res.json());
      return info.wsUrl ? (sipOrigin(info.wsUrl) ?? null) : null;
    } catch (error) {
      warn(`could not ask ${hubUrl} where its SIP server is`, error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    origins: current,
    async learn(hubUrls) {
      const before = current().join(' ');
      hubs = [...hubUrls];
      const answers = await Promise.all(hubs.map(async (h) => [h, await ask(h)] as const));
      const next = { ...known };
      for (const [hub, origin] of answers) {
        // No answer: keep what we knew. An answer without a SIP server: forget it.
        if (origin === undefined) continue;
        if (origin === null) delete next[hub];
        else next[hub] = origin;
      }
      if (JSON.stringify(next) !== JSON.stringify(known)) {
        known = next;
        try {
          writeFileSync(file, JSON.stringify(known, null, 2));
        } catch (error) {
          warn('could not keep the list of SIP servers', error);
        }
      }
      return current().join(' ') !== before;
    },
  };
}
