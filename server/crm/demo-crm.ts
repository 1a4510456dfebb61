/**
 * A small demo CRM the demo hub serves at `/demo-crm` (the connector's wire
 * format, see crm-connector.ts): a few orders for every customer with a phone
 * number or email, made up from the handle so they are the same every time.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CrmOrder } from '@shared/conversation-tools';

export const DEMO_CRM_PREFIX = '/demo-crm';
export const DEMO_CRM_TOKEN = 'demo-crm-token';

const PRODUCTS = [
  '무선 이어폰',
  '전기 주전자',
  '겨울 패딩',
  '러닝화',
  '공기청정기 필터',
  '텀블러',
  '보조배터리',
];
const STATUSES = ['배송 준비 중', '배송 중', '배송 완료', '구매 확정'];
const DAY = 86_400_000;

/** Orders for a handle: 1–3, newest first, the same for the same handle. */
export function demoOrders(handle: string, now = Date.now()): CrmOrder[] {
  const h = createHash('sha256').update(handle).digest();
  const count = 1 + (h[0]! % 3);
  return Array.from({ length: count }, (_, i) => {
    const b = h[(i * 5 + 1) % h.length]!;
    const days = i * 9 + (b % 7);
    return {
      number: `ORD-${String(h.readUInt32BE(i * 4) % 100_000_000).padStart(8, '0')}`,
      placedAt: new Date(Math.floor((now - days * DAY) / DAY) * DAY).toISOString(),
      status: STATUSES[Math.min(STATUSES.length - 1, Math.floor(days / 5))]!,
      total: 9_900 + (h.readUInt16BE(i * 2 + 8) % 200) * 1_000,
      currency: 'KRW',
      items: [PRODUCTS[b % PRODUCTS.length]!],
    };
  });
}

export function demoCrmRoutes(app: FastifyInstance): void {
  app.get(`${DEMO_CRM_PREFIX}/orders`, async (req, reply) => {
    if (req.headers.authorization !== `Bearer ${DEMO_CRM_TOKEN}`) {
      return reply.code(401).send({ error: 'unauthorized' });
    }
    const q = req.query as Record<string, string | string[] | undefined>;
    const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const handle = [...list(q.phone), ...list(q.email)][0];
    return { orders: handle ? demoOrders(handle) : [] };
  });
}
