/**
 * Helpers for multi-site tests: enrollment tokens from HQ, traffic at a site,
 * and waiting until HQ has caught up with a site's log (by asking both).
 */
import type { EventTotals, FederatedSiteView } from '@shared/federation';
import type { Result } from '@shared/errors';
import { api, connectDesk, type DeskSocket, loginAs } from './in-process-hub';

export async function enrollmentToken(hqUrl: string, name: string): Promise<string> {
  const { token } = await loginAs(hqUrl, 'admin1');
  const res = await api<{ token: string }>(hqUrl, '/api/v1/hq/enrollments', token, {
    method: 'POST',
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`enrollment: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export async function hqSites(hqUrl: string): Promise<FederatedSiteView[]> {
  const { token } = await loginAs(hqUrl, 'hq1');
  const res = await api<FederatedSiteView[]>(hqUrl, '/api/v1/hq/sites', token);
  if (res.status !== 200) throw new Error(`hq sites: ${res.status}`);
  return res.body;
}

export async function totals(url: string, username: string, siteId: string): Promise<EventTotals> {
  const { token } = await loginAs(url, username);
  const res = await api<EventTotals>(url, `/api/v1/reports/event-totals?siteId=${siteId}`, token);
  if (res.status !== 200) throw new Error(`totals: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Resolves when HQ's totals for the site equal the site's own, re-checking as
 * replication progresses; rejects after `ms` with both sides' figures.
 */
export async function waitCaughtUp(
  hqUrl: string,
  siteUrl: string,
  siteAdmin: string,
  siteId: string,
  ms = 30_000,
): Promise<{ site: EventTotals; hq: EventTotals }> {
  const deadline = Date.now() + ms;
  let last: { site: EventTotals; hq: EventTotals } | undefined;
  for (;;) {
    const site = await totals(siteUrl, siteAdmin, siteId);
    const hq = await totals(hqUrl, 'hq1', siteId);
    last = { site, hq };
    if (site.lastSeq > 0 && JSON.stringify(site) === JSON.stringify(hq)) return last;
    if (Date.now() > deadline) {
      throw new Error(`HQ did not catch up with site ${siteId}: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SiteDesk {
  socket: DeskSocket;
  siteId: string;
  conversationId: string;
}

/** An agent's desk at a site, with one of their open demo conversations to write in. */
export async function siteDesk(url: string, username: string): Promise<SiteDesk> {
  const { token, user } = await loginAs(url, username);
  const socket = await connectDesk(url, token);
  const list = (await (socket.emitWithAck as (n: string, p: unknown) => Promise<unknown>)(
    'conversation.list',
    { scope: 'mine' },
  )) as Result<{ id: string; status: string }[]>;
  if (!list.ok) throw new Error(list.error.message);
  const open = list.value.find((c) => c.status === 'open');
  if (!open) throw new Error(`${username} has no open demo conversation`);
  return { socket, siteId: user.siteId, conversationId: open.id };
}

let n = 0;
/** Sends `count` acked messages; returns how many the hub acked. */
export async function sendMessages(desk: SiteDesk, count: number, label: string): Promise<number> {
  let acked = 0;
  for (let i = 0; i < count; i++) {
    const r = (await (desk.socket.emitWithAck as (n: string, p: unknown) => Promise<unknown>)(
      'message.send',
      {
        commandId: `fed-${label}-${Date.now()}-${++n}`,
        conversationId: desk.conversationId,
        body: `${label} 메시지 ${i}`,
      },
    )) as Result<unknown>;
    if (r.ok) acked++;
  }
  return acked;
}
