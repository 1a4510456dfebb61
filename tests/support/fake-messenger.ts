/**
 * A fake 상담톡-style messenger provider speaking the wire format of
 * docs/channels.md: `POST /v1/chat/write` (text, image, file, link buttons
 * to a user key), `POST /v1/upload` (raw bytes → URL), `POST
 * /v1/alimtalk/send` (a registered template to a phone number), all with
 * `Authorization: Bearer <apiKey>` and answering `{code: "0000"}`; towards
 * the hub, the signed `events` webhook (message, session_end, result).
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postSigned } from './webhook-signer';

export interface ChatWrite {
  sender_key: string;
  user_key: string;
  serial_number: string;
  message_type: 'TX' | 'IM' | 'FI';
  message: string;
  counselor?: string;
  /** The id this fake answered with (what its `result` events name). */
  message_id?: string;
  attachment?: {
    button?: { name: string; type: string; url_mobile: string; url_pc?: string }[];
    image?: { img_url: string };
    file?: { file_url: string; file_name: string; file_size: number };
  };
}

export interface AlimtalkSend {
  sender_key: string;
  template_code: string;
  phone_number: string;
  message: string;
  serial_number: string;
  button?: { name: string; type: string; url_mobile: string }[];
  message_id?: string;
}

export interface FakeMessenger {
  url: string;
  apiKey: string;
  senderKey: string;
  webhookSecret: string;
  writes: ChatWrite[];
  templates: AlimtalkSend[];
  uploads: { type: string; name: string; size: number }[];
  /** The provider considers this user's session over: writes to it answer 3008. */
  expire(userKey: string): void;
  message(
    hubUrl: string,
    site: string,
    userKey: string,
    content: string,
    extra?: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }>;
  sessionEnd(hubUrl: string, site: string, userKey: string): Promise<{ status: number; body: unknown }>;
  result(
    hubUrl: string,
    site: string,
    userKey: string,
    messageId: string,
    result?: 'delivered' | 'failed',
  ): Promise<{ status: number; body: unknown }>;
  waitFor<T>(list: () => T[], n: number, ms?: number): Promise<T[]>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeMessenger(): Promise<FakeMessenger> {
  const apiKey = 'fake-messenger-api-key';
  const senderKey = 'a1b2c3d4e5f6sender';
  const webhookSecret = 'messenger-webhook-secret-0123456789';
  const writes: ChatWrite[] = [];
  const templates: AlimtalkSend[] = [];
  const uploads: { type: string; name: string; size: number }[] = [];
  const expired = new Set<string>();
  let seq = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        return answer(401, { code: '1001', message: 'invalid api key' });
      }
      const u = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'POST' && u.pathname === '/v1/upload') {
        const type = u.searchParams.get('type') ?? 'file';
        const name = u.searchParams.get('name') ?? 'file';
        uploads.push({ type, name, size: raw.length });
        return answer(200, {
          code: '0000',
          url: `https://mud-kage.example/${type}/${++seq}/${encodeURIComponent(name)}`,
        });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return answer(400, { code: '1002', message: 'bad JSON' });
      }
      if (body.sender_key !== senderKey) return answer(200, { code: '1003', message: 'unknown sender key' });
      if (req.method === 'POST' && u.pathname === '/v1/chat/write') {
        const w = body as unknown as ChatWrite;
        if (!w.user_key || !w.serial_number || !['TX', 'IM', 'FI'].includes(w.message_type)) {
          return answer(200, { code: '1002', message: 'missing field' });
        }
        if (expired.has(w.user_key)) return answer(200, { code: '3008', message: 'session expired' });
        const messageId = `KM${++seq}`;
        writes.push({ ...w, message_id: messageId });
        return answer(200, { code: '0000', message: 'OK', message_id: messageId });
      }
      if (req.method === 'POST' && u.pathname === '/v1/alimtalk/send') {
        const t = body as unknown as AlimtalkSend;
        if (!t.template_code || !/^0\d{8,10}$/.test(t.phone_number ?? '')) {
          return answer(200, { code: '1002', message: 'missing field' });
        }
        const messageId = `AT${++seq}`;
        templates.push({ ...t, message_id: messageId });
        return answer(200, { code: '0000', message: 'OK', message_id: messageId });
      }
      answer(404, { code: '1004', message: 'not found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const events = (hubUrl: string, site: string, payload: unknown) =>
    postSigned(`${hubUrl}/api/v1/channels/messenger/${site}/events`, webhookSecret, payload);

  return {
    url,
    apiKey,
    senderKey,
    webhookSecret,
    writes,
    templates,
    uploads,
    expire: (userKey) => void expired.add(userKey),
    message: (hubUrl, site, userKey, content, extra = {}) =>
      events(hubUrl, site, {
        event: 'message',
        serial_number: `EV${Date.now()}${++seq}`,
        sender_key: senderKey,
        user_key: userKey,
        time: Date.now(),
        type: 'text',
        content,
        ...extra,
      }),
    sessionEnd: (hubUrl, site, userKey) =>
      events(hubUrl, site, {
        event: 'session_end',
        serial_number: `EV${Date.now()}${++seq}`,
        sender_key: senderKey,
        user_key: userKey,
        time: Date.now(),
      }),
    result: (hubUrl, site, userKey, messageId, result = 'delivered') =>
      events(hubUrl, site, {
        event: 'result',
        serial_number: `EV${Date.now()}${++seq}`,
        sender_key: senderKey,
        user_key: userKey,
        time: Date.now(),
        message_id: messageId,
        result,
      }),
    waitFor<T>(list: () => T[], n: number, ms = 15_000): Promise<T[]> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          const l = list();
          if (l.length >= n) return resolve(l);
          if (Date.now() - started > ms) return reject(new Error(`fake messenger: ${l.length}/${n}`));
          setTimeout(tick, 20);
        };
        tick();
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
