/**
 * A site hub's replication to HQ.
 *
 * Runs beside everything else and never blocks it: with HQ unreachable the
 * site keeps routing, chatting and calling, and the backlog simply grows in
 * its own event log. The loop enrolls once (with the one-time token), then
 * for each local site reads the log after HQ's acknowledged cursor, sends it
 * in signed gzip batches, and advances the cursor only on HQ's ack. The cursor
 * lives in the site's database, so the backlog survives restarts of either
 * side and partitions of any length; at-least-once delivery plus HQ's
 * idempotent apply gives exactly-once in effect.
 */
import { gzipSync } from 'node:zlib';
import {
  EnrollResponse,
  FEDERATION_PREFIX,
  REPLICATION_BATCH,
  ReplicationAck,
  ConfigPullResponse,
  type FederationStatus,
  HistoryLookupAnswer,
  OverflowAnswer,
  type OverflowRequest,
  type SharedCustomer,
  type ReplicationBatch,
} from '@shared/federation';
import type { HubContext } from '../context';
import { appliedVersion, applyGroupConfig, localOverrides } from './group-config';
import { signRequest } from './signing';
import { runOverflow } from './overflow';
import { changedRecords, touchedCustomers } from './shared-history';

const IDLE_MS = 250;
const MAX_BACKOFF_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

interface Link {
  hqUrl: string;
  memberId: string;
  key: string;
}

class HqError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface Replicator {
  status(): Promise<FederationStatus>;
  /**
   * Asks HQ for the other centers' consultations of a consenting customer
   * (sending the customer's own shared record with it); throws when HQ cannot
   * be reached or this hub is not enrolled yet.
   */
  lookupHistory(siteId: string, customer: SharedCustomer): Promise<HistoryLookupAnswer>;
  /** Wakes the loop now (after a commit) instead of at the next idle tick. */
  nudge(): void;
  stop(): Promise<void>;
}

export interface ReplicatorOptions {
  /** The site's clock; injected so a test can play a site whose clock is wrong. */
  clock?: () => number;
}

export function startReplicator(ctx: HubContext, opts: ReplicatorOptions = {}): Replicator {
  const clock = opts.clock ?? Date.now;
  const hqUrl = ctx.config.hqUrl!.replace(/\/+$/, '');
  const log = ctx.log.child({ module: 'replication' });
  let stopped = false;
  let wake: (() => void) | undefined;
  let clockOffsetMs = 0;
  let lastSuccessAt: number | null = null;
  let lastError: string | null = null;
  let lastHeartbeat = 0;
  const inflight = new AbortController();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function post(path: string, body: Buffer, headers: Record<string, string>) {
    const res = await fetch(`${hqUrl}${path}`, {
      method: 'POST',
      body: new Uint8Array(body),
      headers,
      signal: AbortSignal.any([inflight.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = (
        json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      )?.error;
      throw new HqError(
        res.status,
        error?.code ?? 'HTTP',
        error?.message ?? `HTTP ${res.status}`,
        error?.details,
      );
    }
    return json;
  }

  async function loadLink(): Promise<Link | undefined> {
    const row = await ctx.db
      .selectFrom('federation_link')
      .selectAll()
      .where('id', '=', 'hq')
      .executeTakeFirst();
    return row ? { hqUrl: row.hq_url, memberId: row.member_id, key: row.key } : undefined;
  }

  async function enrollOnce(): Promise<Link> {
    const token = ctx.config.hqEnrollToken;
    if (!token) throw new Error('not enrolled with HQ and no enrollment token (--hq-enroll-token) given');
    const sites = await ctx.db.selectFrom('sites').select(['id', 'code', 'name', 'timezone']).execute();
    const body = Buffer.from(JSON.stringify({ token, name: sites.map((s) => s.code).join('+'), sites }));
    const res = EnrollResponse.parse(
      await post(`${FEDERATION_PREFIX}/enroll`, body, { 'content-type': 'application/json' }),
    );
    await ctx.db
      .insertInto('federation_link')
      .values({ id: 'hq', hq_url: hqUrl, member_id: res.memberId, key: res.key, enrolled_at: Date.now() })
      .execute();
    log.info({ memberId: res.memberId }, 'enrolled with HQ');
    return { hqUrl, memberId: res.memberId, key: res.key };
  }

  async function cursorOf(siteId: string): Promise<number> {
    const row = await ctx.db
      .selectFrom('federation_cursors')
      .select('acked_seq')
      .where('site_id', '=', siteId)
      .executeTakeFirst();
    return row ? Number(row.acked_seq) : 0;
  }

  async function saveCursor(siteId: string, seq: number): Promise<void> {
    const now = Date.now();
    await ctx.db
      .insertInto('federation_cursors')
      .values({ site_id: siteId, acked_seq: seq, acked_at: now })
      .onConflict((oc) => oc.column('site_id').doUpdateSet({ acked_seq: seq, acked_at: now }))
      .execute();
  }

  async function headOf(siteId: string): Promise<number> {
    const row = await ctx.db
      .selectFrom('site_counters')
      .select('last_seq')
      .where('site_id', '=', siteId)
      .executeTakeFirst();
    return row ? Number(row.last_seq) : 0;
  }

  /** Signed, gzip-compressed POST of JSON to HQ. */
  async function postSigned(link: Link, path: string, payload: unknown) {
    const body = gzipSync(JSON.stringify(payload));
    const headers = {
      'content-type': 'application/octet-stream',
      ...signRequest(link.key, link.memberId, 'POST', path, body, clock() + clockOffsetMs),
    };
    return post(path, body, headers);
  }

  const sentDirectory = new Map<string, string>();
  /** Sends a site's people (names, roles) to HQ when they changed since the last send. */
  async function syncDirectory(link: Link, siteId: string): Promise<void> {
    const users = await ctx.db
      .selectFrom('users')
      .select(['id', 'display_name', 'role', 'active'])
      .where('site_id', '=', siteId)
      .orderBy('id')
      .execute();
    const payload = {
      siteId,
      users: users.map((u) => ({
        id: u.id,
        displayName: u.display_name,
        role: u.role,
        active: Number(u.active) === 1,
      })),
    };
    const fingerprint = JSON.stringify(payload);
    if (sentDirectory.get(siteId) === fingerprint) return;
    await postSigned(link, `${FEDERATION_PREFIX}/directory`, payload);
    sentDirectory.set(siteId, fingerprint);
  }

  /** Group configuration: report our overrides, apply what HQ changed since our version. */
  async function pullConfig(link: Link): Promise<void> {
    const answer = ConfigPullResponse.parse(
      await postSigned(link, `${FEDERATION_PREFIX}/config`, {
        since: await appliedVersion(ctx.db),
        overrides: await localOverrides(ctx.db),
      }),
    );
    await applyGroupConfig(ctx, answer);
  }

  /**
   * Consented customers whose history changed (found from the log after the
   * `history:<site>` cursor) go to HQ, and a "forget" for a withdrawn consent.
   */
  async function syncSharedHistory(link: Link, siteId: string): Promise<void> {
    const key = `history:${siteId}`;
    const known = await ctx.db
      .selectFrom('federation_cursors')
      .select('acked_seq')
      .where('site_id', '=', key)
      .executeTakeFirst();
    if (!known) {
      // First run: nobody can have group_share consent without a logged consent
      // change, so the log before the first one (or all of it) has nothing to share.
      const first = await ctx.db
        .selectFrom('events')
        .select('seq')
        .where('site_id', '=', siteId)
        .where('type', '=', 'customer.consent_changed')
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst();
      await saveCursor(key, first ? Number(first.seq) - 1 : await headOf(siteId));
    }
    for (let round = 0; round < 10; round++) {
      const from = await cursorOf(key);
      const { customerIds, consentChanged, lastSeq } = await touchedCustomers(ctx.db, siteId, from);
      if (lastSeq === from) return;
      const customers = await changedRecords(ctx.db, siteId, customerIds, consentChanged);
      for (let i = 0; i < customers.length; i += 500) {
        await postSigned(link, `${FEDERATION_PREFIX}/shared-history`, {
          siteId,
          customers: customers.slice(i, i + 500),
        });
      }
      await saveCursor(key, lastSeq);
    }
  }

  /** Extra work on the heartbeat that must never hold replication up: logged, retried next time. */
  async function besides(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, `${what} failed; retrying later`);
    }
  }

  /** Sends one batch for a site; returns how many new events HQ acknowledged. */
  async function sendBatch(link: Link, siteId: string, heartbeat: boolean): Promise<number> {
    const from = await cursorOf(siteId);
    const rows = await ctx.db
      .selectFrom('events')
      .select(['seq', 'type', 'payload', 'at'])
      .where('site_id', '=', siteId)
      .where('seq', '>', from)
      .orderBy('seq')
      .limit(REPLICATION_BATCH)
      .execute();
    if (rows.length === 0 && !heartbeat) return 0;
    const batch: ReplicationBatch = {
      siteId,
      headSeq: await headOf(siteId),
      events: rows.map((r) => ({ seq: Number(r.seq), type: r.type, payload: r.payload, at: Number(r.at) })),
    };
    try {
      const ack = ReplicationAck.parse(await postSigned(link, `${FEDERATION_PREFIX}/events`, batch));
      // HQ may be ahead of our cursor (we crashed after it applied but before we saved): jump.
      if (ack.ackedSeq !== from) await saveCursor(siteId, ack.ackedSeq);
      return Math.max(0, ack.ackedSeq - from);
    } catch (err) {
      if (err instanceof HqError && err.code === 'CONFLICT' && typeof err.details?.expectedSeq === 'number') {
        // HQ has less than our cursor says (its database was restored): rewind and resend.
        log.warn({ siteId, expectedSeq: err.details.expectedSeq, from }, 'HQ asked to rewind');
        await saveCursor(siteId, err.details.expectedSeq - 1);
        return 0;
      }
      if (err instanceof HqError && err.details?.reason === 'clock_skew') {
        clockOffsetMs = Number(err.details.serverTime) - clock();
        log.warn({ clockOffsetMs }, 'our clock is off from HQ; correcting the signing time');
        throw new Error(`clock off from HQ by ${clockOffsetMs} ms; corrected, retrying`);
      }
      throw err;
    }
  }

  async function loop(): Promise<void> {
    let backoff = 500;
    let link: Link | undefined;
    while (!stopped) {
      try {
        link ??= (await loadLink()) ?? (await enrollOnce());
        const sites = await ctx.db.selectFrom('sites').select('id').execute();
        const heartbeat = Date.now() - lastHeartbeat > ctx.config.federationHeartbeatSeconds * 1000;
        let moved = 0;
        for (const s of sites) moved += await sendBatch(link, s.id, heartbeat);
        if (heartbeat) {
          for (const s of sites) await syncDirectory(link, s.id);
          await pullConfig(link);
          const linked = link;
          for (const s of sites)
            await besides('sharing customer history', () => syncSharedHistory(linked, s.id));
          await besides('overflow between sites', () =>
            runOverflow(
              ctx,
              async (req: OverflowRequest) =>
                OverflowAnswer.parse(await postSigned(linked, `${FEDERATION_PREFIX}/overflow`, req)),
              log,
            ),
          );
        }
        if (heartbeat) lastHeartbeat = Date.now();
        if (lastError) log.info('HQ reachable again');
        lastSuccessAt = Date.now();
        lastError = null;
        backoff = 500;
        if (moved === 0) await sleep(IDLE_MS);
      } catch (err) {
        if (stopped) break;
        const message = err instanceof Error ? err.message : String(err);
        if (message !== lastError) log.warn({ err: message, retryInMs: backoff }, 'replication to HQ failed');
        lastError = message;
        await sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  const running = loop();
  log.info({ hqUrl }, 'replication to HQ started');

  return {
    async status() {
      const link = await loadLink();
      const sites = await ctx.db.selectFrom('sites').select('id').execute();
      return {
        hqUrl,
        enrolled: link !== undefined,
        memberId: link?.memberId ?? null,
        sites: await Promise.all(
          sites.map(async (s) => ({
            siteId: s.id,
            ackedSeq: await cursorOf(s.id),
            headSeq: await headOf(s.id),
          })),
        ),
        lastSuccessAt: lastSuccessAt === null ? null : new Date(lastSuccessAt).toISOString(),
        lastError,
        clockOffsetMs,
      };
    },
    async lookupHistory(siteId, customer) {
      const link = await loadLink();
      if (!link) throw new Error('not enrolled with HQ yet');
      return HistoryLookupAnswer.parse(
        await postSigned(link, `${FEDERATION_PREFIX}/shared-history/lookup`, { siteId, customer }),
      );
    },
    nudge() {
      wake?.();
    },
    async stop() {
      stopped = true;
      inflight.abort();
      wake?.();
      await running;
    },
  };
}
