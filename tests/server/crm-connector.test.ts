/**
 * The CRM connector against real HTTP servers on loopback: orders from a
 * CRM that answers; typed UNAVAILABLE with the reason when it is down, slow,
 * answers invalid JSON or the wrong shape, or refuses the token. Through a
 * hub: the demo CRM's orders in the 360 API, and a CRM that is down fails
 * only the orders (503 CRM_DOWN) while the rest of the profile loads.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerOrders } from '@shared/conversation-tools';
import { HttpCrmConnector } from '../../server/crm/crm-connector';
import { HubError } from '../../server/errors';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';

const servers: Server[] = [];
let hub: TestHubInProcess | undefined;
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await hub?.stop();
  hub = undefined;
});

/** A fake CRM speaking the connector's wire format; `handler` decides each answer. */
async function fakeCrm(
  handler: (url: URL, auth: string | undefined, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer((req, res) =>
    handler(new URL(req.url ?? '/', 'http://x'), req.headers.authorization, res),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ORDER = {
  number: 'ORD-1',
  placedAt: '2026-11-20T00:00:00.000Z',
  status: '배송 중',
  total: 39000,
  currency: 'KRW',
  items: ['러닝화'],
};
const customer = { id: 'c1', phones: ['+821012345678'], emails: ['a@example.com'] };

async function reasonOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).code).toBe('UNAVAILABLE');
    return ((err as HubError).details as { reason: string }).reason;
  }
}

describe('CRM connector', () => {
  it('asks by phone and email with the bearer token and returns the orders', async () => {
    let seen: { url?: URL; auth?: string | undefined } = {};
    const base = await fakeCrm((url, auth, res) => {
      seen = { url, auth };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ orders: [ORDER] }));
    });
    const crm = new HttpCrmConnector({ baseUrl: () => `${base}/`, token: 'secret', timeoutMs: 2000 });
    expect(await crm.ordersOf(customer)).toEqual([ORDER]);
    expect(seen.auth).toBe('Bearer secret');
    expect(seen.url?.pathname).toBe('/orders');
    expect(seen.url?.searchParams.getAll('phone')).toEqual(['+821012345678']);
    expect(seen.url?.searchParams.getAll('email')).toEqual(['a@example.com']);
  });

  it('down, slow, invalid JSON, wrong shape and a refused token are each a typed UNAVAILABLE', async () => {
    const closed = await fakeCrm(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    expect(
      await reasonOf(new HttpCrmConnector({ baseUrl: () => closed, timeoutMs: 2000 }).ordersOf(customer)),
    ).toBe('CRM_DOWN');

    const slow = await fakeCrm(() => undefined); // never answers
    const started = Date.now();
    expect(
      await reasonOf(new HttpCrmConnector({ baseUrl: () => slow, timeoutMs: 300 }).ordersOf(customer)),
    ).toBe('CRM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);

    const garbage = await fakeCrm((_u, _a, res) => res.end('<html>oops'));
    expect(
      await reasonOf(new HttpCrmConnector({ baseUrl: () => garbage, timeoutMs: 2000 }).ordersOf(customer)),
    ).toBe('CRM_BAD_RESPONSE');

    const shape = await fakeCrm((_u, _a, res) => res.end(JSON.stringify({ orders: [{ number: 5 }] })));
    expect(
      await reasonOf(new HttpCrmConnector({ baseUrl: () => shape, timeoutMs: 2000 }).ordersOf(customer)),
    ).toBe('CRM_BAD_RESPONSE');

    const failing = await fakeCrm((_u, _a, res) => {
      res.statusCode = 500;
      res.end('{}');
    });
    expect(
      await reasonOf(new HttpCrmConnector({ baseUrl: () => failing, timeoutMs: 2000 }).ordersOf(customer)),
    ).toBe('CRM_DOWN');

    const refusing = await fakeCrm((_u, _a, res) => {
      res.statusCode = 401;
      res.end('{}');
    });
    expect(
      await reasonOf(new HttpCrmConnector({ baseUrl: () => refusing, timeoutMs: 2000 }).ordersOf(customer)),
    ).toBe('CRM_REFUSED');
  });

  it('the demo hub serves orders for a demo customer from its demo CRM', async () => {
    hub = await startTestHub();
    const { token } = await loginAs(hub.url, 'agent1');
    const withPhone = await hub.ctx.db
      .selectFrom('identities')
      .select('customer_id')
      .where('channel', '=', 'voice')
      .limit(1)
      .executeTakeFirstOrThrow();
    const res = await api<CustomerOrders>(
      hub.url,
      `/api/v1/customers/${withPhone.customer_id}/orders`,
      token,
    );
    expect(res.status).toBe(200);
    expect(res.body.orders.length).toBeGreaterThan(0);
    expect(res.body.orders[0]!.number).toMatch(/^ORD-\d{8}$/);
    // The same customer gets the same orders next time.
    const again = await api<CustomerOrders>(
      hub.url,
      `/api/v1/customers/${withPhone.customer_id}/orders`,
      token,
    );
    expect(again.body).toEqual(res.body);
  });

  it('a CRM that is down fails only the orders: 503 CRM_DOWN, the profile still loads', async () => {
    const closed = await fakeCrm(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    hub = await startTestHub({ crmUrl: closed, crmTimeoutMs: 500 });
    const { token } = await loginAs(hub.url, 'agent1');
    const c = await hub.ctx.db.selectFrom('customers').select('id').limit(1).executeTakeFirstOrThrow();
    const orders = await api<{ error: { code: string; details: { reason: string } } }>(
      hub.url,
      `/api/v1/customers/${c.id}/orders`,
      token,
    );
    expect(orders.status).toBe(503);
    expect(orders.body.error).toMatchObject({ code: 'UNAVAILABLE', details: { reason: 'CRM_DOWN' } });
    expect((await api(hub.url, `/api/v1/customers/${c.id}`, token)).status).toBe(200);
  });
});
