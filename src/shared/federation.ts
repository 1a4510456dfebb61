/**
 * The hub-to-hub protocol: a site hub enrolls with HQ once, then replicates
 * its event log in signed, gzip-compressed batches. Apply is idempotent by
 * (siteId, seq), so a batch sent twice changes nothing. See docs/multi-site.md.
 */
import { z } from 'zod';
import { Id } from './domain';
import { Kpis } from './kpis';

export const FEDERATION_PREFIX = '/api/v1/federation';
/** Events per replication batch (before compression). */
export const REPLICATION_BATCH = 1000;

export const EnrollRequest = z
  .object({
    token: z.string().min(16).max(200),
    name: z.string().min(1).max(100),
    sites: z
      .array(
        z.object({
          id: Id,
          code: z.string().min(1).max(50),
          name: z.string().min(1).max(100),
          timezone: z.string().min(1).max(64),
        }),
      )
      .min(1)
      .max(100),
  })
  .strict();
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({ memberId: Id, key: z.string() });
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const ReplicatedEvent = z
  .object({
    seq: z.number().int().positive(),
    type: z.string().min(1).max(100),
    /** The event's payload as the site stored it (JSON text). */
    payload: z.string().max(1_000_000),
    /** Milliseconds since the epoch, on the site's clock. */
    at: z.number().int().nonnegative(),
  })
  .strict();
export type ReplicatedEvent = z.infer<typeof ReplicatedEvent>;

export const ReplicationBatch = z
  .object({
    siteId: Id,
    /** The site's newest seq when the batch was cut: HQ shows the lag from it. */
    headSeq: z.number().int().nonnegative(),
    events: z.array(ReplicatedEvent).max(5000),
  })
  .strict();
export type ReplicationBatch = z.infer<typeof ReplicationBatch>;

export const ReplicationAck = z.object({ siteId: Id, ackedSeq: z.number().int().nonnegative() });
export type ReplicationAck = z.infer<typeof ReplicationAck>;

/** A center's people as HQ needs them for the wallboard: names and roles, no credentials. */
export const DirectorySync = z
  .object({
    siteId: Id,
    users: z
      .array(
        z.object({
          id: Id,
          displayName: z.string().min(1).max(100),
          role: z.string().min(1).max(32),
          active: z.boolean(),
        }),
      )
      .max(50_000),
  })
  .strict();
export type DirectorySync = z.infer<typeof DirectorySync>;

/** What HQ shows per site: how far behind it is and when it was last heard from (HQ's clock). */
export const FederatedSiteView = z.object({
  siteId: Id,
  code: z.string(),
  name: z.string(),
  memberId: Id,
  memberName: z.string(),
  lastSeq: z.number(),
  headSeq: z.number(),
  lagEvents: z.number(),
  lastContactAt: z.string().nullable(),
  lastEventAt: z.string().nullable(),
  revoked: z.boolean(),
});
export type FederatedSiteView = z.infer<typeof FederatedSiteView>;

/** A site hub's own view of its link. */
export const FederationStatus = z.object({
  hqUrl: z.string().nullable(),
  enrolled: z.boolean(),
  memberId: z.string().nullable(),
  sites: z.array(z.object({ siteId: Id, ackedSeq: z.number(), headSeq: z.number() })),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  clockOffsetMs: z.number(),
});
export type FederationStatus = z.infer<typeof FederationStatus>;

/** Per-site totals of the event log, computed the same way at the site and at HQ. */
export const EventTotals = z.object({
  siteId: Id,
  lastSeq: z.number(),
  events: z.number(),
  byType: z.record(z.string(), z.number()),
});
export type EventTotals = z.infer<typeof EventTotals>;

/** HQ's group wallboard: each center side by side and the group total. */
export const HqBoard = z.object({
  at: z.string(),
  sites: z.array(
    z.object({
      site: FederatedSiteView,
      agents: z.array(
        z.object({
          userId: z.string(),
          displayName: z.string().nullable(),
          state: z.string(),
          since: z.string(),
        }),
      ),
      byState: z.record(z.string(), z.number()),
      kpis: Kpis,
    }),
  ),
  total: z.object({ byState: z.record(z.string(), z.number()), kpis: Kpis }),
});
export type HqBoard = z.infer<typeof HqBoard>;
