/**
 * The CRM connector: how the hub asks the company's CRM for a customer's
 * orders (the 360 panel's orders, the `{{order.number}}` of canned
 * responses). One small HTTP interface, so any CRM can sit behind an
 * adapter that speaks it:
 *
 *   GET <base>/orders?customerId=<id>&phone=<E.164>&email=<address>   (phone and email repeat)
 *   Authorization: Bearer <token>
 *   200 {"orders": [{"number", "placedAt", "status", "total", "currency", "items"}]}, newest first
 *
 * A CRM that is down, slow (past the timeout) or answers nonsense gives a
 * typed `UNAVAILABLE` with `details.reason` — CRM_DOWN, CRM_TIMEOUT,
 * CRM_BAD_RESPONSE, CRM_REFUSED — so the panel says so and the rest of the
 * 360 panel carries on.
 */
import { z } from 'zod';
import { CrmOrder } from '@shared/conversation-tools';
import { HubError } from '../errors';

export interface CrmCustomerRef {
  id: string;
  phones: string[];
  emails: string[];
}

export interface CrmConnector {
  ordersOf(customer: CrmCustomerRef): Promise<CrmOrder[]>;
}

export type CrmFailure =
  'CRM_DOWN' | 'CRM_TIMEOUT' | 'CRM_BAD_RESPONSE' | 'CRM_REFUSED' | 'CRM_NOT_CONFIGURED';

export const crmError = (reason: CrmFailure, message: string): HubError =>
  new HubError('UNAVAILABLE', message, { reason });

const OrdersAnswer = z.object({ orders: z.array(CrmOrder).max(200) });

export interface HttpCrmOptions {
  /** Read at each call: the demo CRM's address is known only once the hub listens. */
  baseUrl: () => string;
  token?: string | undefined;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export class HttpCrmConnector implements CrmConnector {
  constructor(private readonly opts: HttpCrmOptions) {}

  async ordersOf(customer: CrmCustomerRef): Promise<CrmOrder[]> {
    const url = new URL(`${this.opts.baseUrl().replace(/\/+$/, '')}/orders`);
    url.searchParams.set('customerId', customer.id);
    for (const p of customer.phones) url.searchParams.append('phone', p);
    for (const e of customer.emails) url.searchParams.append('email', e);
    const doFetch = this.opts.fetch ?? fetch;
    let response: Response;
    let body: unknown;
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      response = await doFetch(url, {
        headers: {
          accept: 'application/json',
          ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        },
        signal,
      });
      if (response.status === 401 || response.status === 403) {
        throw crmError('CRM_REFUSED', `the CRM refused the connector (HTTP ${response.status})`);
      }
      if (!response.ok) throw crmError('CRM_DOWN', `the CRM answered HTTP ${response.status}`);
      // The body may stall after the headers: the same deadline covers it.
      body = await response.json();
    } catch (err) {
      if (err instanceof HubError) throw err;
      if (signal.aborted)
        throw crmError('CRM_TIMEOUT', `the CRM did not answer within ${this.opts.timeoutMs} ms`);
      if (err instanceof SyntaxError)
        throw crmError('CRM_BAD_RESPONSE', 'the CRM answered with invalid JSON');
      throw crmError('CRM_DOWN', 'the CRM cannot be reached');
    }
    const parsed = OrdersAnswer.safeParse(body);
    if (!parsed.success) throw crmError('CRM_BAD_RESPONSE', 'the CRM answered in an unexpected shape');
    return parsed.data.orders;
  }
}
