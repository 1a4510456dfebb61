/**
 * Desk updates from the hub: whatever IT places in `<dataDir>/updates`
 * (the output of `npm run dist`: `latest*.yml`, installers, blockmaps) is
 * served at `/updates/`, where the desk's electron-updater (generic
 * provider) looks. No listing, no dotfiles, nothing outside that folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../context';

export const UPDATES_PREFIX = '/updates/';

export async function updateRoutes(app: FastifyInstance, ctx: HubContext): Promise<void> {
  const root = join(ctx.config.dataDir, 'updates');
  // Created up front so IT can drop files in while the hub runs.
  mkdirSync(root, { recursive: true });
  await app.register(fastifyStatic, {
    root,
    prefix: UPDATES_PREFIX,
    // The desk's static files registered first own reply.sendFile.
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    acceptRanges: true,
    setHeaders: (reply, path) => {
      // The feed says which version is current: always revalidate it; installers are immutable per name.
      reply.header('Cache-Control', path.endsWith('.yml') ? 'no-cache' : 'public, max-age=86400');
    },
  });
}
