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
  z.object({ event: z.literal('answered'), item: Field }),
  z.object({ event: z.literal('abandoned'), item: Field }),
]);

export function queueCallRoutes(app: FastifyInstance, ctx: HubContext): void {
  const log = ctx.log.child({ module: 'queue-calls' });
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
