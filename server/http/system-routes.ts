/** Health, OpenAPI and the desk's static files. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX, HealthResponse } from '@shared/api';
import type { HubContext } from '../context';
import { HubError } from '../errors';
import { HUB_VERSION } from '../version';

export async function systemRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and what this hub is',
        response: { 200: HealthResponse },
      },
    },
    async () => ({ status: 'ok' as const, role: ctx.config.role, db: ctx.dbKind, version: HUB_VERSION }),
  );

  r.get(`${API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());

  // The desk's renderer, the same build Electron loads, for browsers at /desk/.
  const deskDir = ctx.config.deskDir;
  if (existsSync(join(deskDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: deskDir, prefix: '/desk/', index: ['index.html'] });
    r.get('/desk', { schema: { hide: true } }, (_req, reply) => reply.redirect('/desk/'));
  } else {
    ctx.log.warn({ deskDir }, 'desk is not built; /desk/ will answer 503 (run npm run build)');
    r.get('/desk/*', { schema: { hide: true } }, async () => {
      throw new HubError('UNAVAILABLE', 'the desk is not built on this hub: run `npm run build`');
    });
  }
  r.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/desk/'));
}
