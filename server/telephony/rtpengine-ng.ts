/**
 * A client of rtpengine's control protocol ("NG": bencoded dictionaries over
 * UDP, each request prefixed with a cookie the reply repeats). The hub uses it
 * for what Kamailio's rtpengine module cannot do from the script: play music
 * to a caller no one has answered yet (hold-music.ts).
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import bencode from 'bencode';
import { HubError } from '../errors';

export type NgValue = string | number | NgValue[] | { [key: string]: NgValue };
export type NgDict = { [key: string]: NgValue };

export interface RtpengineNg {
  /** Sends one command; resolves with rtpengine's reply (result `ok`), else a typed error. */
  command(dict: NgDict): Promise<NgDict>;
  close(): void;
}

/** bencode hands strings back as bytes; rtpengine's are UTF-8 text (the tests' stand-in reads requests the same way). */
export function toText(value: unknown): NgValue {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(toText);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toText(v)]));
  }
  return value as number;
}

/** `udp:127.0.0.1:22222` → host and port. */
export function parseNgAddress(address: string): { host: string; port: number } {
  const m = /^udp:([^:\s]+):(\d{1,5})$/.exec(address);
  if (!m) throw new HubError('VALIDATION_FAILED', `rtpengine NG address ${address} is not udp:HOST:PORT`);
  return { host: m[1]!, port: Number(m[2]) };
}

export function createRtpengineNg(
  address: string,
  options: { timeoutMs?: number; tries?: number } = {},
): RtpengineNg {
  const { host, port } = parseNgAddress(address);
  const timeoutMs = options.timeoutMs ?? 1_000;
  const tries = options.tries ?? 2;
  const socket = dgram.createSocket('udp4');
  socket.unref();
  const pending = new Map<string, (reply: NgDict) => void>();
  socket.on('message', (message) => {
    const space = message.indexOf(0x20);
    if (space <= 0) return;
    const cookie = message.subarray(0, space).toString('latin1');
    const done = pending.get(cookie);
    if (!done) return;
    try {
      done(toText(bencode.decode(message.subarray(space + 1))) as NgDict);
    } catch {
      // A reply we cannot read counts as none; the caller's timeout says so.
    }
  });

  async function once(cookie: string, payload: Buffer): Promise<NgDict | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(cookie);
        resolve(null);
      }, timeoutMs);
      pending.set(cookie, (reply) => {
        clearTimeout(timer);
        pending.delete(cookie);
        resolve(reply);
      });
      socket.send(payload, port, host, (error) => {
        if (error) {
          clearTimeout(timer);
          pending.delete(cookie);
          resolve(null);
        }
      });
    });
  }

  return {
    async command(dict) {
      // The same cookie on a retry: rtpengine answers a repeat from its cache instead of acting twice.
      const cookie = randomBytes(8).toString('hex');
      const payload = Buffer.concat([Buffer.from(`${cookie} `), Buffer.from(bencode.encode(dict))]);
      for (let i = 0; i < tries; i++) {
        const reply = await once(cookie, payload);
        if (!reply) continue;
        if (reply['result'] === 'ok') return reply;
        throw new HubError(
          'UNAVAILABLE',
          `rtpengine refused ${String(dict['command'])}: ${String(reply['error-reason'] ?? reply['result'])}`,
        );
      }
      throw new HubError('UNAVAILABLE', `rtpengine at ${address} did not answer ${String(dict['command'])}`);
    },
    close: () => socket.close(),
  };
}
