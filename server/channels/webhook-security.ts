/**
 * Checks every webhook a provider sends before anything in it is read:
 * a per-source rate limit, then an HMAC-SHA256 signature with the channel's
 * own secret over `<timestamp>.<raw body>`, with the timestamp inside a
 * window so a captured request cannot be replayed later. Inside the window a
 * replay is harmless: messages are idempotent by the provider's id and other
 * events by their nonce (`seenNonce`). A refused request is logged, answered
 * 401/429 and never stored.
 *
 * Headers (docs/channels.md): `X-Ieum-Timestamp: <unix seconds>`,
 * `X-Ieum-Signature: sha256=<hex>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Channel } from '@shared/domain';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import { TokenBucket } from '../realtime/token-bucket';

export const SIGNATURE_HEADER = 'x-ieum-signature';
export const TIMESTAMP_HEADER = 'x-ieum-timestamp';

/** The signature a provider puts on a webhook (also what the test fakes compute). */
export function signWebhook(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

export interface WebhookGuardOptions {
  windowSeconds: number;
  ratePerSecond: number;
  burst: number;
}

export class WebhookGuard {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly log;

  constructor(
    private readonly ctx: HubContext,
    private readonly opts: WebhookGuardOptions,
  ) {
    this.log = ctx.log.child({ module: 'webhooks' });
  }

  /** Throws RATE_LIMITED or UNAUTHENTICATED (logged); returns when the request is the provider's. */
  verify(channel: Channel, secret: string, req: FastifyRequest, rawBody: Buffer): void {
    const source = `${channel} ${req.ip}`;
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size > 10_000) this.buckets.clear();
      bucket = new TokenBucket(this.opts.ratePerSecond, this.opts.burst);
      this.buckets.set(source, bucket);
    }
    if (!bucket.take()) {
      this.log.warn({ channel, ip: req.ip }, 'webhook refused: rate limited');
      throw new HubError('RATE_LIMITED', 'too many webhook requests from this source');
    }
    const refuse = (why: string): never => {
      this.log.warn({ channel, ip: req.ip, url: req.url, why }, 'webhook refused: bad signature');
      throw new HubError('UNAUTHENTICATED', 'webhook signature is not valid');
    };
    const ts = Number(header(req, TIMESTAMP_HEADER));
    const sig = header(req, SIGNATURE_HEADER);
    if (!Number.isInteger(ts) || !sig) return refuse('missing signature or timestamp');
    if (Math.abs(Date.now() / 1000 - ts) > this.opts.windowSeconds) return refuse('timestamp outside window');
    const want = Buffer.from(signWebhook(secret, ts, rawBody));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return refuse('signature mismatch');
  }

  /**
   * Records a nonce (a report's or event's id); false when it was seen
   * before, so the caller answers "duplicate" and changes nothing. Nonces
   * older than twice the window are forgotten: the timestamp check refuses
   * those requests anyway.
   */
  async seenNonce(channel: Channel, nonce: string): Promise<boolean> {
    const now = Date.now();
    const r = await this.ctx.db
      .insertInto('webhook_nonces')
      .values({ channel, nonce, received_at: now })
      .onConflict((oc) => oc.columns(['channel', 'nonce']).doNothing())
      .executeTakeFirst();
    if (Math.random() < 0.01) {
      await this.ctx.db
        .deleteFrom('webhook_nonces')
        .where('received_at', '<', now - 2 * this.opts.windowSeconds * 1000)
        .execute();
    }
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 0;
  }

  /** Logs and refuses a payload that does not parse (typed 400, never stored). */
  malformed(channel: Channel, req: FastifyRequest, issues: unknown): HubError {
    this.log.warn({ channel, ip: req.ip, url: req.url, issues }, 'webhook refused: malformed payload');
    return new HubError('VALIDATION_FAILED', 'malformed webhook payload', issues);
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A Fastify scope whose JSON bodies arrive as the raw bytes (the signature is
 * over those bytes, not over a re-serialisation). Routes parse with
 * {@link parseJson} after the signature check.
 */
export async function rawJsonScope(
  app: FastifyInstance,
  bodyLimit: number,
  routes: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'buffer', bodyLimit },
      (_req, body, done) => done(null, body),
    );
    routes(scope);
  });
}

export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** JSON.parse that answers bad bytes with the typed 400. */
export function parseJson(guard: WebhookGuard, channel: Channel, req: FastifyRequest, raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw guard.malformed(channel, req, [{ message: (err as Error).message }]);
  }
}
