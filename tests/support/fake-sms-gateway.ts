/**
 * A fake Korean SMS gateway speaking the wire format of docs/channels.md
 * (Solapi v4 style): `POST /messages/v4/send` with the HMAC `Authorization`
 * header, answering `{messageId, statusCode: "2000"}`; and, towards the hub,
 * the signed MO and delivery-report webhooks. Faults on demand: 5xx answers,
 * answers slower than the hub's timeout, refusals.
 */
import { createHmac } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postSigned } from './webhook-signer';

export interface SentSms {
  messageId: string;
  to: string;
  from: string;
  text: string;
  type: 'SMS' | 'LMS';
  subject?: string;
  customFields?: Record<string, string>;
}

export interface FakeSmsGateway {
  url: string;
  apiKey: string;
  apiSecret: string;
  webhookSecret: string;
  sent: SentSms[];
  /** Requests refused for a bad Authorization header. */
  unauthorized: number;
  /** Every send attempt that reached the gateway, including faulted ones. */
  attempts: number;
  /** The next `n` sends answer this status (e.g. 503). */
  failNext(n: number, status: number): void;
  /** Forgets the faults not yet used: the gateway answers normally again. */
  clearFaults(): void;
  /** The next `n` sends answer only after `ms`. */
  delayNext(n: number, ms: number): void;
  /** A customer's message to the hub (MO). */
  mo(
    hubUrl: string,
    site: string,
    from: string,
    text: string,
    messageId?: string,
  ): Promise<{ status: number; body: unknown }>;
  /** A delivery report to the hub (`4000` delivered; other codes failed). */
  report(
    hubUrl: string,
    site: string,
    messageId: string,
    statusCode?: string,
  ): Promise<{ status: number; body: unknown }>;
  /** Resolves when `n` messages have been accepted. */
  waitForSent(n: number, ms?: number): Promise<SentSms[]>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeSmsGateway(): Promise<FakeSmsGateway> {
  const apiKey = 'NCSFAKEKEY0001';
  const apiSecret = 'fake-gateway-api-secret-0001';
  const webhookSecret = 'sms-webhook-secret-0123456789';
  const sent: SentSms[] = [];
  const faults: { status?: number; delayMs?: number }[] = [];
  const waiters: (() => void)[] = [];
  let seq = 0;
  const state = { unauthorized: 0, attempts: 0 };

  const authorized = (header: string | undefined): boolean => {
    const m = /^HMAC-SHA256 apiKey=([^,]+), date=([^,]+), salt=([^,]+), signature=([0-9a-f]+)$/.exec(
      header ?? '',
    );
    if (!m || m[1] !== apiKey) return false;
    const want = createHmac('sha256', apiSecret)
      .update(m[2]! + m[3]!)
      .digest('hex');
    return want === m[4];
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/messages/v4/send')
        return answer(404, { errorCode: 'NotFound' });
      if (!authorized(req.headers.authorization)) {
        state.unauthorized += 1;
        return answer(401, { errorCode: 'InvalidApiKey', errorMessage: 'signature mismatch' });
      }
      state.attempts += 1;
      const fault = faults.shift();
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.status) return answer(fault.status, { errorCode: 'SystemError', errorMessage: 'try later' });
      let message: Omit<SentSms, 'messageId'>;
      try {
        message = (JSON.parse(raw) as { message: Omit<SentSms, 'messageId'> }).message;
      } catch {
        return answer(400, { errorCode: 'ValidationError', errorMessage: 'bad JSON' });
      }
      if (
        !message?.to ||
        !message.from ||
        typeof message.text !== 'string' ||
        !['SMS', 'LMS'].includes(message.type)
      ) {
        return answer(400, { errorCode: 'ValidationError', errorMessage: 'missing field' });
      }
      const messageId = `M4V${String(++seq).padStart(12, '0')}`;
      sent.push({ messageId, ...message });
      for (const w of waiters.splice(0)) w();
      answer(200, {
        messageId,
        groupId: `G4V${seq}`,
        to: message.to,
        from: message.from,
        type: message.type,
        statusCode: '2000',
        statusMessage: '정상 접수(이통사로 접수 예정)',
      });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiKey,
    apiSecret,
    webhookSecret,
    sent,
    get unauthorized() {
      return state.unauthorized;
    },
    get attempts() {
      return state.attempts;
    },
    failNext(n, status) {
      for (let i = 0; i < n; i++) faults.push({ status });
    },
    clearFaults() {
      faults.splice(0);
    },
    delayNext(n, ms) {
      for (let i = 0; i < n; i++) faults.push({ delayMs: ms });
    },
    mo: (hubUrl, site, from, text, messageId = `MO${Date.now()}${++seq}`) =>
      postSigned(`${hubUrl}/api/v1/channels/sms/${site}/inbound`, webhookSecret, {
        messageId,
        from,
        to: '15881234',
        text,
        type: Buffer.byteLength(text) > 90 ? 'LMS' : 'SMS',
        dateReceived: new Date().toISOString(),
      }),
    report: (hubUrl, site, messageId, statusCode = '4000') =>
      postSigned(`${hubUrl}/api/v1/channels/sms/${site}/report`, webhookSecret, [
        {
          messageId,
          statusCode,
          statusMessage: statusCode === '4000' ? '수신완료' : '전송실패',
          dateProcessed: new Date().toISOString(),
        },
      ]),
    waitForSent(n, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake SMS gateway: ${sent.length}/${n} sent`)), ms);
        const check = () => {
          if (sent.length >= n) {
            clearTimeout(timer);
            resolve(sent);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
