/**
 * How a provider signs a webhook to the hub, written from docs/channels.md
 * (not imported from the hub, so a hub that signs or checks differently
 * fails the tests): `X-Ieum-Timestamp: <unix seconds>` and
 * `X-Ieum-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 */
import { createHmac } from 'node:crypto';

export interface SignedPost {
  status: number;
  body: unknown;
}

export async function postSigned(
  url: string,
  secret: string,
  payload: unknown,
  opts: { timestamp?: number; signature?: string; raw?: string } = {},
): Promise<SignedPost> {
  const raw = opts.raw ?? JSON.stringify(payload);
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const sig = opts.signature ?? `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ieum-timestamp': String(ts), 'x-ieum-signature': sig },
    body: raw,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}
