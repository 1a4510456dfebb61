/**
 * Builds and starts one Ieum Hub: database (migrated), HTTP API (Fastify) and
 * realtime (socket.io) on one port. `startHub` is what `server/main.ts` runs and
 * what in-process tests call.
 */
import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { LoginThrottle } from './auth/login-throttle';
import { createTokenService, loadSecret } from './auth/tokens';
import type { HubConfig } from './config';
import type { HubContext } from './context';
import { seedDemo } from './demo/seed';
import { adminRoutes } from './http/admin-routes';
import { authRoutes } from './http/auth-routes';
import { conversationRoutes } from './http/conversation-routes';
import { customerRoutes } from './http/customer-routes';
import { conversationToolRoutes } from './http/conversation-tool-routes';
import { SnoozeWaker } from './conversations/snooze-waker';
import { HttpCrmConnector } from './crm/crm-connector';
import { DEMO_CRM_PREFIX, DEMO_CRM_TOKEN, demoCrmRoutes } from './crm/demo-crm';
import { hqRoutes } from './federation/hq-routes';
import { type Replicator, startReplicator } from './federation/replicator';
import { siteFederationRoutes } from './federation/site-routes';
import { reportRoutes } from './http/report-routes';
import { routingRoutes } from './http/routing-routes';
import { RoutingService } from './routing/routing-service';
import { installErrorHandler } from './http/error-handler';
import { systemRoutes } from './http/system-routes';
import { updateRoutes } from './http/update-routes';
import { queueCallRoutes } from './telephony/queue-call-routes';
import { telephonyRoutes } from './telephony/telephony-routes';
import { attachVisitorSocket } from './channels/webchat/visitor-socket';
import { VisitorTokens } from './channels/webchat/visitor-token';
import { webchatRoutes } from './channels/webchat/webchat-routes';
import { WebchatService } from './channels/webchat/webchat-service';
import { EmailChannel } from './channels/email/email-channel';
import { emailRoutes } from './channels/email/email-routes';
import { WebchatAdapter } from './channels/webchat/webchat-adapter';
import { channelRoutes } from './channels/channel-routes';
import { ChannelService } from './channels/channel-service';
import { MessengerAdapter } from './channels/messenger/messenger-adapter';
import { SmsAdapter } from './channels/sms/sms-adapter';
import { rootLogger } from './log';
import { attachRealtime, type RealtimeServer, supervisorsRoom } from './realtime/socket-server';
import { openDatabase } from './storage/database';
import { HUB_VERSION } from './version';

export interface RunningHub {
  ctx: HubContext;
  app: FastifyInstance;
  io: RealtimeServer;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Largest HTTP request body accepted (JSON). Attachments get their own limits later. */
export const BODY_LIMIT = 1_000_000;

export async function startHub(config: HubConfig, logger: Logger = rootLogger()): Promise<RunningHub> {
  const log = logger.child({ module: 'hub' });
  const database = await openDatabase({ dataDir: config.dataDir, url: config.db });
  const ctx: HubContext = {
    config,
    db: database.db,
    dbKind: database.kind,
    tokens: createTokenService(loadSecret(config.dataDir, config.tokenSecret), config.tokenTtlSeconds),
    throttle: new LoginThrottle(),
    publisher: { publish: () => undefined },
    log,
  };
  if (config.demo) await seedDemo(ctx);

  const app = Fastify({
    loggerInstance: logger.child({ module: 'http' }) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // The Electron desk runs at app://desk, a different origin from the hub: it
  // needs CORS for the REST API (socket.io has its own setting).
  const allowed = new Set(['app://desk', ...config.corsOrigins]);
  await app.register(fastifyCors, {
    origin: (origin, cb) => cb(null, origin === undefined || allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Ieum Hub API',
        version: HUB_VERSION,
        description: 'The on-premise hub of one contact center.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await systemRoutes(app, ctx);
  authRoutes(app, ctx);
  conversationRoutes(app, ctx);
  customerRoutes(app, ctx);
  conversationToolRoutes(app, ctx);
  // The 360 panel's orders: the configured CRM, or on a demo hub its own demo CRM.
  let selfUrl = '';
  if (config.crmUrl) {
    const crmUrl = config.crmUrl;
    ctx.crm = new HttpCrmConnector({
      baseUrl: () => crmUrl,
      token: config.crmToken,
      timeoutMs: config.crmTimeoutMs,
    });
  } else if (config.demo) {
    demoCrmRoutes(app);
    ctx.crm = new HttpCrmConnector({
      baseUrl: () => `${selfUrl}${DEMO_CRM_PREFIX}`,
      token: DEMO_CRM_TOKEN,
      timeoutMs: config.crmTimeoutMs,
    });
  }
  adminRoutes(app, ctx);
  await updateRoutes(app, ctx);
  reportRoutes(app, ctx);
  routingRoutes(app, ctx);
  telephonyRoutes(app, ctx);
  queueCallRoutes(app, ctx);
  // Web chat: the widget, its visitors and their conversations (centers only; HQ has no ACD).
  const webchat =
    config.role === 'site'
      ? new WebchatService(ctx, new VisitorTokens(loadSecret(config.dataDir, config.tokenSecret)))
      : undefined;
  if (webchat) await webchatRoutes(app, ctx, webchat);
  // SMS, messenger (and email): adapters by configuration, their webhooks, the delivery dispatcher.
  if (config.role === 'site') {
    const channels = new ChannelService(ctx, config.channels.retry);
    if (config.channels.sms) channels.register(new SmsAdapter(config.channels.sms));
    if (config.channels.messenger) channels.register(new MessengerAdapter(config.channels.messenger));
    if (webchat) channels.register(new WebchatAdapter(ctx, webchat));
    ctx.channels = channels;
    await channelRoutes(app, ctx, channels);
  }
  // Email: a mailbox per queue read over IMAP; replies leave through the channel dispatcher.
  const email = ctx.channels ? new EmailChannel(ctx, ctx.channels) : undefined;
  if (email) emailRoutes(app, ctx, email);
  // Multi-site: HQ receives enrollments and batches; a site with an HQ replicates to it.
  if (config.role === 'hq') hqRoutes(app, ctx);
  const replicator: Replicator | undefined =
    config.role === 'site' && config.hqUrl ? startReplicator(ctx) : undefined;
  siteFederationRoutes(app, ctx, replicator);
  await app.ready();

  const realtime = attachRealtime(ctx, app.server);
  // The ACD runs at centers; HQ only reads what they replicate.
  if (config.role === 'site') {
    ctx.routing = new RoutingService(ctx);
    await ctx.routing.start((siteId, stats) =>
      realtime.io.to(supervisorsRoom(siteId)).emit('routing.stats', stats),
    );
  }
  const visitors = webchat ? attachVisitorSocket(ctx, realtime.io, webchat) : undefined;
  await email?.start();
  ctx.channels?.start();
  // Snoozed conversations wake up on time, also those due while the hub was down.
  if (config.role === 'site') {
    ctx.snooze = new SnoozeWaker(ctx);
    await ctx.snooze.start();
  }
  if (replicator) {
    // Replicate as soon as something commits instead of at the next idle tick.
    const deliver = ctx.publisher.publish.bind(ctx.publisher);
    ctx.publisher.publish = (events) => {
      deliver(events);
      if (events.length > 0) replicator.nudge();
    };
  }
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  selfUrl = url;
  log.info({ url, role: config.role, db: database.kind, version: HUB_VERSION }, 'hub listening');

  let closing: Promise<void> | undefined;
  return {
    ctx,
    app,
    io: realtime.io,
    url,
    port,
    close: () =>
      (closing ??= (async () => {
        ctx.routing?.stop();
        await ctx.channels?.stop();
        ctx.snooze?.stop();
        visitors?.close();
        await email?.stop();
        await replicator?.stop();
        await realtime.close();
        await app.close().catch(() => undefined);
        await database.close();
        log.info('hub stopped');
      })()),
  };
}
