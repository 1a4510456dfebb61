/**
 * Hub configuration from, in rising precedence: defaults, a JSON config file
 * (`--config` / IEUM_CONFIG), environment variables (IEUM_*), command-line flags.
 * Validated once with zod so a typo stops the hub at start with a clear message.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_REPLY_LIMITS, ReplyLimits } from '@shared/conversation-tools';
import { EmailMailboxConfig } from './channels/email/email-config';

/** Webhook security shared by the HTTP channels (docs/channels.md). */
const WebhookSettings = z.object({
  /** A signed request whose timestamp is further off than this is refused (replays). */
  windowSeconds: z.number().int().min(10).max(3600).default(300),
  /** Requests per second per source address and channel, and the burst. */
  ratePerSecond: z.number().positive().default(50),
  burst: z.number().int().positive().default(200),
});

/** An SMS gateway account (Solapi-style HTTP API; docs/channels.md). */
export const SmsSettings = z.object({
  baseUrl: z.string().url(),
  apiKey: z.string().min(1),
  apiSecret: z.string().min(8),
  /** The registered sender number (발신번호), e.g. 1588-1234. */
  sender: z.string().min(3).max(20),
  /** Shared with the gateway; signs its webhooks (inbound messages, delivery reports). */
  webhookSecret: z.string().min(16),
  /** Queue (by name) that receives new SMS conversations; the first queue taking `sms` otherwise. */
  queue: z.string().min(1).max(100).optional(),
});

export type SmsSettings = z.infer<typeof SmsSettings>;

/** A 상담톡-style messenger account and its 알림톡-style templates (docs/channels.md). */
export const MessengerSettings = z.object({
  baseUrl: z.string().url(),
  apiKey: z.string().min(1),
  /** The channel's sender (profile) key at the provider. */
  senderKey: z.string().min(1),
  webhookSecret: z.string().min(16),
  queue: z.string().min(1).max(100).optional(),
  /** A consultation session may be answered this long after the customer's last message. */
  sessionTtlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(24 * 60),
  /** Registered notification templates: code at the provider, text with #{name}-style variables. */
  templates: z
    .object({
      callback: z.object({ code: z.string().min(1), text: z.string().min(1).max(1000) }),
      survey: z.object({
        code: z.string().min(1),
        text: z.string().min(1).max(1000),
        buttonUrl: z.string().url().optional(),
      }),
    })
    .default({
      callback: {
        code: 'IEUM_CALLBACK_01',
        text: '#{name}님, 요청하신 상담 전화를 #{time}에 드리겠습니다.',
      },
      survey: {
        code: 'IEUM_SURVEY_01',
        text: '#{name}님, 상담은 만족스러우셨나요? 아래 버튼으로 의견을 남겨 주세요.',
      },
    }),
});

export type MessengerSettings = z.infer<typeof MessengerSettings>;

export const ChannelSettings = z.object({
  sms: SmsSettings.optional(),
  messenger: MessengerSettings.optional(),
  webhooks: WebhookSettings.default(WebhookSettings.parse({})),
  /** Outbound retries on timeouts and 5xx: tries, first wait, growth, per-try timeout. */
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(20).default(4),
      backoffMs: z.number().int().min(1).max(3_600_000).default(2000),
      backoffFactor: z.number().min(1).max(10).default(4),
      sendTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    })
    .default({ maxAttempts: 4, backoffMs: 2000, backoffFactor: 4, sendTimeoutMs: 10_000 }),
});
export type ChannelSettings = z.infer<typeof ChannelSettings>;

/**
 * JSON from the environment, without JSON.parse's own error: it quotes the
 * text around the fault, which here may be a mailbox password. Bad JSON is
 * left a string, so validation says "expected array" and nothing more.
 */
function parseJsonQuietly(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

export const HubConfig = z.object({
  dataDir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  /** PostgreSQL URL; SQLite in `dataDir` when absent. */
  db: z.string().optional(),
  demo: z.coerce.boolean(),
  role: z.enum(['site', 'hq']),
  /** With `demo`: which demo centers to seed (a site hub of a group seeds its own). */
  demoSites: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v),
    z.array(z.enum(['seoul', 'busan'])).min(1),
  ),
  /** A site hub's HQ (`--role site`): where its event log is replicated. */
  hqUrl: z.string().url().optional(),
  /** One-time token from HQ that enrolls this site hub; kept only until enrolled. */
  hqEnrollToken: z.string().min(16).optional(),
  /**
   * Browser origins besides the hub's own that may call the API (the Electron
   * desk's `app://desk` is always allowed). Tokens travel as headers, never
   * cookies, so this only decides which pages may talk to the hub at all.
   */
  corsOrigins: z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(z.string().url()),
  ),
  /** How often a center checks in with HQ when idle (directory, group configuration, lag). */
  federationHeartbeatSeconds: z.coerce.number().min(0.2).max(3600),
  /** How far a signed site request's clock may be off HQ's, in seconds. */
  federationClockSkewSeconds: z.coerce.number().int().min(5).max(3600),
  /** Secret for signing tokens; read from (or created in) `dataDir/token.key` when absent. */
  tokenSecret: z.string().min(32).optional(),
  tokenTtlSeconds: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400),
  /** Built desk renderer served at /desk/. */
  deskDir: z.string(),
  /** How long an agent may stay disconnected before being set offline. */
  presenceGraceSeconds: z.coerce.number().int().min(0).max(3600),
  /** Per-connection command rate: sustained per second, and burst. */
  commandRatePerSecond: z.coerce.number().positive(),
  commandBurst: z.coerce.number().int().positive(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** Secret shared with Kamailio's auth_ephemeral; without it the desks have no phone. */
  sipSecret: z.string().min(16).optional(),
  /** Where desks reach Kamailio over WebSocket, e.g. wss://sip.example:8443. */
  sipWsUrl: z
    .string()
    .url()
    .refine((u) => /^wss?:\/\//.test(u), 'must be a ws:// or wss:// URL')
    .optional(),
  /** The SIP domain agents register under (their AOR is sip:<username>@<domain>). */
  sipDomain: z.string().min(1).max(253),
  /** How long issued SIP credentials stay valid. */
  sipCredentialTtlSeconds: z.coerce.number().int().min(60).max(86_400),
  /** rtpengine's control (NG) socket, `udp:HOST:PORT`: the hub plays hold music to waiting callers through it. */
  rtpengineNg: z
    .string()
    .regex(/^udp:[^:\s]+:\d{1,5}$/, 'must be udp:HOST:PORT')
    .optional(),
  /** The sound file rtpengine plays to a caller waiting for an agent (a path on rtpengine's host). */
  holdMusicFile: z.string().min(1).optional(),
  /** Email channel: one mailbox per queue (IMAP in, SMTP out); JSON in IEUM_EMAIL_MAILBOXES. */
  emailMailboxes: z.preprocess(parseJsonQuietly, z.array(EmailMailboxConfig)),
  /** SMS gateway, messenger account, webhook security and retries (config file `channels`). */
  channels: ChannelSettings,
  /** Longest reply per channel, in characters (messenger: 1,000 by default). Config file only. */
  replyLimits: ReplyLimits.partial().transform((v): ReplyLimits => ({ ...DEFAULT_REPLY_LIMITS, ...v })),
  /** The CRM connector's base URL (orders in the 360 panel); the demo hub serves its own demo CRM. */
  crmUrl: z.string().url().optional(),
  /** Bearer token the connector sends to the CRM. */
  crmToken: z.string().min(1).optional(),
  /** How long the connector waits for the CRM before saying it is down. */
  crmTimeoutMs: z.coerce.number().int().min(100).max(60_000),
});
export type HubConfig = z.infer<typeof HubConfig>;

export const DEFAULTS: HubConfig = {
  dataDir: '.ieum-data',
  port: 7300,
  host: '127.0.0.1',
  demo: false,
  role: 'site',
  demoSites: ['seoul', 'busan'],
  federationClockSkewSeconds: 300,
  federationHeartbeatSeconds: 5,
  corsOrigins: [],
  tokenTtlSeconds: 12 * 3600,
  deskDir: resolve(import.meta.dirname, '../out/renderer'),
  presenceGraceSeconds: 60,
  commandRatePerSecond: 50,
  commandBurst: 200,
  logLevel: 'info',
  sipDomain: 'ieum.local',
  sipCredentialTtlSeconds: 12 * 3600,
  emailMailboxes: [],
  channels: ChannelSettings.parse({}),
  replyLimits: DEFAULT_REPLY_LIMITS,
  crmTimeoutMs: 3000,
};

export const ENV: Record<string, keyof HubConfig> = {
  IEUM_DATA: 'dataDir',
  IEUM_PORT: 'port',
  IEUM_HOST: 'host',
  IEUM_DB: 'db',
  IEUM_DEMO: 'demo',
  IEUM_ROLE: 'role',
  IEUM_DEMO_SITES: 'demoSites',
  IEUM_HQ_URL: 'hqUrl',
  IEUM_HQ_ENROLL_TOKEN: 'hqEnrollToken',
  IEUM_CORS_ORIGINS: 'corsOrigins',
  IEUM_FEDERATION_HEARTBEAT_SECONDS: 'federationHeartbeatSeconds',
  IEUM_TOKEN_SECRET: 'tokenSecret',
  IEUM_TOKEN_TTL_SECONDS: 'tokenTtlSeconds',
  IEUM_DESK_DIR: 'deskDir',
  IEUM_PRESENCE_GRACE_SECONDS: 'presenceGraceSeconds',
  IEUM_COMMAND_RATE_PER_SECOND: 'commandRatePerSecond',
  IEUM_COMMAND_BURST: 'commandBurst',
  IEUM_LOG_LEVEL: 'logLevel',
  IEUM_SIP_SECRET: 'sipSecret',
  IEUM_SIP_WS_URL: 'sipWsUrl',
  IEUM_SIP_DOMAIN: 'sipDomain',
  IEUM_SIP_CREDENTIAL_TTL_SECONDS: 'sipCredentialTtlSeconds',
  IEUM_RTPENGINE_NG: 'rtpengineNg',
  IEUM_HOLD_MUSIC: 'holdMusicFile',
  IEUM_CRM_URL: 'crmUrl',
  IEUM_CRM_TOKEN: 'crmToken',
  IEUM_CRM_TIMEOUT_MS: 'crmTimeoutMs',
  IEUM_EMAIL_MAILBOXES: 'emailMailboxes',
};

/** What `npm run hub -- --help` prints; keep it in step with ENV and the flags below. */
export const USAGE = `Ieum Hub — one per contact center.

usage: npm run hub -- [options]

  --data DIR        data directory (SQLite database, token key)   IEUM_DATA      default .ieum-data
  --port N          HTTP + socket.io port (0 picks a free one)    IEUM_PORT      default 7300
  --host ADDR       address to bind                               IEUM_HOST      default 127.0.0.1
  --db URL          postgres://… to use PostgreSQL instead of SQLite  IEUM_DB
  --demo            seed the demo sites, users and customers      IEUM_DEMO=1
  --role site|hq    a center's hub, or the group's HQ hub         IEUM_ROLE      default site
  --demo-sites LIST with --demo: seoul,busan (a site hub of a group seeds one)  IEUM_DEMO_SITES
  --hq-url URL      a site hub's HQ, to replicate its event log to   IEUM_HQ_URL
  --hq-enroll-token T  one-time token from HQ (POST /api/v1/hq/enrollments)  IEUM_HQ_ENROLL_TOKEN
  --desk-dir DIR    built desk served at /desk/                   IEUM_DESK_DIR  default out/renderer
  --log-level L     fatal|error|warn|info|debug|trace|silent      IEUM_LOG_LEVEL default info
  --sip-ws-url URL  Kamailio's SIP-over-WebSocket address for desks  IEUM_SIP_WS_URL
  --sip-domain D    SIP domain agents register under              IEUM_SIP_DOMAIN default ieum.local
  --config FILE     JSON file with any of the settings by name    IEUM_CONFIG

  environment only: IEUM_FEDERATION_HEARTBEAT_SECONDS (default 5), IEUM_CORS_ORIGINS (extra browser origins, comma-separated; app://desk is always allowed),
  IEUM_TOKEN_SECRET (≥32 chars; default: a key generated into DIR/token.key),
  IEUM_TOKEN_TTL_SECONDS (default 43200), IEUM_PRESENCE_GRACE_SECONDS (default 60),
  IEUM_COMMAND_RATE_PER_SECOND (default 50), IEUM_COMMAND_BURST (default 200),
  IEUM_SIP_SECRET (≥16 chars, shared with Kamailio's auth_ephemeral; no phone without it),
  IEUM_SIP_CREDENTIAL_TTL_SECONDS (default 43200),
  IEUM_RTPENGINE_NG (udp:HOST:PORT) and IEUM_HOLD_MUSIC (a file on rtpengine's host): music for callers waiting for an agent,
  IEUM_CRM_URL, IEUM_CRM_TOKEN, IEUM_CRM_TIMEOUT_MS (default 3000): the CRM connector for the 360 orders panel
  (a --demo hub without IEUM_CRM_URL uses its own demo CRM at /demo-crm).
  config file only: replyLimits {voice, webchat, email, sms, messenger} (characters; messenger default 1000).
  IEUM_EMAIL_MAILBOXES (JSON list of mailboxes, one per queue: see docs/channels.md; passwords are never logged).

  Precedence: flags, then environment, then the config file, then defaults.
`;

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): HubConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      demo: { type: 'boolean' },
      role: { type: 'string' },
      config: { type: 'string' },
      'desk-dir': { type: 'string' },
      'log-level': { type: 'string' },
      'demo-sites': { type: 'string' },
      'hq-url': { type: 'string' },
      'hq-enroll-token': { type: 'string' },
      'sip-ws-url': { type: 'string' },
      'sip-domain': { type: 'string' },
    },
    strict: true,
  });
  const merged: Record<string, unknown> = { ...DEFAULTS };
  const file = values.config ?? env.IEUM_CONFIG;
  if (file) Object.assign(merged, JSON.parse(readFileSync(file, 'utf8')) as object);
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') merged[key] = key === 'demo' ? v === '1' || v === 'true' : v;
  }
  const flags: Partial<Record<keyof HubConfig, unknown>> = {
    dataDir: values.data,
    port: values.port,
    host: values.host,
    db: values.db,
    demo: values.demo,
    role: values.role,
    demoSites: values['demo-sites'],
    hqUrl: values['hq-url'],
    hqEnrollToken: values['hq-enroll-token'],
    deskDir: values['desk-dir'],
    logLevel: values['log-level'],
    sipWsUrl: values['sip-ws-url'],
    sipDomain: values['sip-domain'],
  };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  return HubConfig.parse(merged);
}
