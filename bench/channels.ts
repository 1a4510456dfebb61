/**
 * `npm run bench -- channels [--messages 3000] [--senders 500] [--db postgres://…]`
 *
 * Inbound messages per second, per channel, normalised and stored the way a
 * webhook delivers them: the signed body's HMAC checked, the JSON parsed and
 * validated with the channel's zod schema, the sender normalised (Korean
 * phone → E.164, messenger user key), then `ChannelService.receive`: the
 * idempotency check by provider id, the customer's identity resolved (or a
 * new customer), the open conversation continued (or opened), the message
 * and its `message.created` event committed in one transaction. `--senders`
 * distinct customers write, so most messages continue a conversation.
 *
 * Baseline, same run and database: a bare insert of the same message rows,
 * one transaction each (what storing costs with no channel logic). Email is
 * measured when the email channel provides `server/channels/email/bench-hook.ts`
 * exporting `emailBenchInbound(i, siteId): Promise<InboundMessage>` (its MIME
 * parsing and threading); otherwise it is reported as `null`.
 * Prints one JSON object.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { normalizePhoneNumber } from '@shared/phone-number';
import type { InboundMessage } from '../server/channels/channel-adapter';
import { ChannelService } from '../server/channels/channel-service';
import { MessengerEvent } from '../server/channels/messenger/messenger-webhooks';
import { SmsInbound } from '../server/channels/sms/sms-webhooks';
import { DEFAULTS } from '../server/config';
import type { HubContext } from '../server/context';
import { seedDemo } from '../server/demo/seed';
import { setRootLogger } from '../server/log';
import { openDatabase } from '../server/storage/database';
import { newId } from '../server/storage/ids';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '3000' },
    senders: { type: 'string', default: '500' },
    db: { type: 'string' },
  },
});
const MESSAGES = Number(values.messages);
const SENDERS = Number(values.senders);
const SECRET = 'bench-webhook-secret-0123456789';
const progress = (msg: string) => process.stderr.write(`[bench channels] ${msg}\n`);

const sign = (ts: number, raw: string) =>
  `sha256=${createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex')}`;
function verify(ts: number, raw: string, sig: string): void {
  const want = Buffer.from(sign(ts, raw));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw new Error('bad signature');
}

/** What arrives over the wire: the raw body and its signature, made before the clock starts. */
interface Signed {
  raw: string;
  ts: number;
  sig: string;
}
function signed(payload: unknown): Signed {
  const raw = JSON.stringify(payload);
  const ts = Math.floor(Date.now() / 1000);
  return { raw, ts, sig: sign(ts, raw) };
}

async function timed(n: number, each: (i: number) => Promise<unknown>) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await each(i);
  const seconds = (performance.now() - started) / 1000;
  return { messages: n, seconds: Number(seconds.toFixed(3)), perSecond: Math.round(n / seconds) };
}

async function main() {
  setRootLogger(pino({ level: 'silent' }));
  const dataDir = mkdtempSync(join(tmpdir(), 'ieum-bench-channels-'));
  const database = await openDatabase({ dataDir, url: values.db });
  const log = pino({ level: 'silent' });
  const ctx: HubContext = {
    config: { ...DEFAULTS, dataDir },
    db: database.db,
    dbKind: database.kind,
    log,
    publisher: { publish: () => undefined },
  } as unknown as HubContext;
  try {
    progress(`seeding the demo site on ${database.kind}`);
    await seedDemo(ctx);
    const site = await ctx.db
      .selectFrom('sites')
      .select('id')
      .where('code', '=', 'seoul')
      .executeTakeFirstOrThrow();
    // No ACD here: the routing step is the routing bench's to measure.
    const channels = new ChannelService(ctx);
    const phone = (i: number) =>
      `010-7${String(i % SENDERS).padStart(3, '0')}-${String(i % SENDERS).padStart(4, '0')}`;

    progress(`sms: ${MESSAGES} messages from ${SENDERS} senders`);
    const smsBodies = Array.from({ length: MESSAGES }, (_, i) =>
      signed({
        messageId: `BENCH-SMS-${i}`,
        from: phone(i),
        to: '15881234',
        text: `문의드립니다 ${i}: 배송 조회 부탁드려요`,
        type: 'SMS',
      }),
    );
    const sms = await timed(MESSAGES, async (i) => {
      const w = smsBodies[i]!;
      verify(w.ts, w.raw, w.sig);
      const p = SmsInbound.parse(JSON.parse(w.raw));
      const e164 = normalizePhoneNumber(p.from)!;
      return channels.receive({
        siteId: site.id,
        channel: 'sms',
        providerMessageId: p.messageId,
        from: { handle: e164, phone: e164 },
        body: p.text,
      });
    });

    progress(`messenger: ${MESSAGES} messages from ${SENDERS} user keys`);
    const msgBodies = Array.from({ length: MESSAGES }, (_, i) =>
      signed({
        event: 'message',
        serial_number: `BENCH-MSG-${i}`,
        sender_key: 'bench-sender',
        user_key: `bench-user-${i % SENDERS}`,
        type: 'text',
        content: `카톡 문의 ${i}`,
        nickname: `고객${i % SENDERS}`,
      }),
    );
    const messenger = await timed(MESSAGES, async (i) => {
      const w = msgBodies[i]!;
      verify(w.ts, w.raw, w.sig);
      const e = MessengerEvent.parse(JSON.parse(w.raw));
      if (e.event !== 'message') throw new Error('unexpected event');
      return channels.receive({
        siteId: site.id,
        channel: 'messenger',
        providerMessageId: e.serial_number,
        from: { handle: e.user_key, messengerKey: e.user_key, ...(e.nickname ? { name: e.nickname } : {}) },
        body: e.content,
      });
    });

    let email: Awaited<ReturnType<typeof timed>> | null = null;
    const hook = resolve(import.meta.dirname, '../server/channels/email/bench-hook.ts');
    if (existsSync(hook)) {
      const mod = (await import(hook)) as {
        emailBenchInbound(i: number, siteId: string): Promise<InboundMessage>;
      };
      progress(`email: ${MESSAGES} messages through the email channel's hook`);
      email = await timed(MESSAGES, async (i) => channels.receive(await mod.emailBenchInbound(i, site.id)));
    }

    // Baseline: the same message rows, inserted bare, one transaction each.
    progress(`bare insert: ${MESSAGES} rows`);
    const conv = await ctx.db.selectFrom('conversations').select('id').limit(1).executeTakeFirstOrThrow();
    const bare = await timed(MESSAGES, (i) =>
      ctx.db.transaction().execute((trx) =>
        trx
          .insertInto('messages')
          .values({
            id: newId(),
            site_id: site.id,
            conversation_id: conv.id,
            direction: 'in',
            author_id: null,
            body: `문의드립니다 ${i}: 배송 조회 부탁드려요`,
            client_id: null,
            created_at: Date.now(),
            channel: 'sms',
            provider_message_id: `BARE-${i}`,
          })
          .execute(),
      ),
    );

    const ratio = (r: { perSecond: number }) => Number((r.perSecond / bare.perSecond).toFixed(3));
    const result = {
      bench: 'channels',
      db: database.kind,
      messages: MESSAGES,
      senders: SENDERS,
      sms: { ...sms, ratioToBare: ratio(sms) },
      messenger: { ...messenger, ratioToBare: ratio(messenger) },
      email: email ? { ...email, ratioToBare: ratio(email) } : null,
      bareInsert: bare,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
