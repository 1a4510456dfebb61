/**
 * `POST /api/v1/sip/route`: Kamailio asks which agent rings for a call to a
 * queue number (http_client_query in resources/kamailio/kamailio.cfg.tmpl).
 * Kamailio speaks the simplest HTTP it can: a `text/plain` body of
 * form-encoded fields and a one-line text answer (see queue-calls.ts), with a
 * bearer token derived from the shared SIP secret. Not for desks.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import {
  type RouteAnswer,
  formatRouteAnswer,
  newQueueCall,
  nextQueueAgent,
  queueCallAbandoned,
  queueCallAnswered,
  routeTokenMatches,
} from './queue-calls';
import { type HoldMusicCall, startHoldMusic } from './hold-music';
import { createRtpengineNg } from './rtpengine-ng';

const Field = z.string().min(1).max(200);
/** What Kamailio sends, one shape per event. */
const RouteQuestion = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('new'),
    callId: Field,
    number: z.string().min(1).max(64),
    caller: z.string().max(200).default(''),
    wait: z.coerce.number().int().min(0).max(60).default(10),
  }),
  z.object({
    event: z.literal('next'),
    item: Field,
    code: z.coerce.number().int().min(100).max(699),
    wait: z.coerce.number().int().min(0).max(60).default(10),
  }),
  z.object({
    event: z.literal('hold'),
    callId: Field,
    fromTag: Field,
    // Base64 in a form field: a `+` arrives as a space.
    sdp: z
      .string()
      .min(8)
      .max(16_000)
      .transform((v) => Buffer.from(v.replace(/ /g, '+'), 'base64').toString('utf8')),
  }),
  z.object({ event: z.literal('answered'), item: Field }),
  z.object({ event: z.literal('abandoned'), item: Field }),
]);

export function queueCallRoutes(app: FastifyInstance, ctx: HubContext): void {
  const log = ctx.log.child({ module: 'queue-calls' });
  const { rtpengineNg, holdMusicFile } = ctx.config;
  const ng = rtpengineNg && holdMusicFile ? createRtpengineNg(rtpengineNg) : null;
  app.addHook('onClose', async () => ng?.close());

  /** Music for a caller about to wait; without it (not configured, rtpengine refusing) the caller waits in silence. */
  async function holdMusic(call: HoldMusicCall): Promise<RouteAnswer> {
    if (!ng || !holdMusicFile) return { kind: 'ok' };
    try {
      return { kind: 'hold', sdp: await startHoldMusic(ng, call, holdMusicFile) };
    } catch (err) {
      log.warn({ err, callId: call.callId }, 'no hold music for this caller');
      return { kind: 'ok' };
    }
  }
  void app.register(async (scope) => {
    // Kamailio (curl) posts `a=1&b=2` as a form; keep it a string and parse it here.
    scope.addContentTypeParser(
      ['application/x-www-form-urlencoded', 'text/plain'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    scope.post(`${API_PREFIX}/sip/route`, async (req, reply) => {
      const secret = ctx.config.sipSecret;
      if (!secret) throw new HubError('UNAVAILABLE', 'no SIP server is configured on this hub');
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !routeTokenMatches(secret, auth.slice(7).trim())) {
        log.warn({ ip: req.ip }, 'sip route request with a wrong token');
        throw new HubError('UNAUTHENTICATED', 'wrong SIP routing token');
      }
      const fields = Object.fromEntries(new URLSearchParams(typeof req.body === 'string' ? req.body : ''));
      const parsed = RouteQuestion.safeParse(fields);
      if (!parsed.success) {
        log.warn({ fields: Object.keys(fields) }, 'malformed sip route request');
        throw new HubError('VALIDATION_FAILED', 'malformed routing question', {
          issues: parsed.error.issues.map((i) => i.message),
        });
      }
      const q = parsed.data;
      let answer: RouteAnswer;
      try {
        switch (q.event) {
          case 'new':
            answer = await newQueueCall(ctx, {
              callId: q.callId,
              number: q.number,
              caller: q.caller,
              waitSeconds: q.wait,
            });
            break;
          case 'next':
            answer = await nextQueueAgent(ctx, q.item, q.code, q.wait);
            break;
          case 'hold':
            answer = await holdMusic({ callId: q.callId, fromTag: q.fromTag, sdp: q.sdp });
            break;
          case 'answered':
            answer = await queueCallAnswered(ctx, q.item);
            break;
          case 'abandoned':
            answer = await queueCallAbandoned(ctx, q.item);
            break;
        }
      } catch (err) {
        // The caller hears a clean 503 rather than a hung INVITE; the log says why.
        log.error({ err, event: q.event }, 'queue call routing failed');
        answer = { kind: 'reject', code: 503, reason: 'Service Unavailable' };
      }
      log.info({ event: q.event, answer: formatRouteAnswer(answer) }, 'sip route');
      return reply.type('text/plain; charset=utf-8').send(`${formatRouteAnswer(answer)}\n`);
    });
  });
}
