/**
 * One error shape for the whole HTTP API: `{ error: { code, message, details? } }`
 * with the status of HTTP_STATUS[code]. Validation failures, malformed JSON and
 * oversized bodies are typed like everything else; unexpected errors are logged
 * in full and answered as INTERNAL without internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HTTP_STATUS, type ErrorCode } from '@shared/errors';
import { HubError } from '../errors';

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const send = (code: ErrorCode, message: string, details?: unknown) =>
      reply
        .code(HTTP_STATUS[code])
        .send({ error: details === undefined ? { code, message } : { code, message, details } });

    if (err instanceof HubError) {
      req.log.warn({ code: err.code, reason: err.message }, 'request refused');
      return send(err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      req.log.warn({ issues: err.validation }, 'request failed validation');
      return send('VALIDATION_FAILED', 'request does not match the schema', err.validation);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      req.log.warn('request body too large');
      return send('PAYLOAD_TOO_LARGE', 'request body too large');
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      req.log.warn('unsupported content type');
      return send('BAD_REQUEST', 'unsupported content type: send application/json');
    }
    if (err.statusCode === 429) return send('RATE_LIMITED', err.message);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Malformed JSON and other client mistakes Fastify detects before us.
      req.log.warn({ reason: err.message, fastifyCode: err.code }, 'bad request');
      return send('BAD_REQUEST', err.message);
    }
    req.log.error({ err }, 'request failed');
    return send('INTERNAL', 'internal error');
  });

  app.setNotFoundHandler((req, reply) => {
    req.log.info({ url: req.url }, 'no such route');
    void reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
}
