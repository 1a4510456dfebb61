/**
 * What every service of the hub is handed: the database, config, and the
 * publisher that pushes committed events to connected desks. Passed explicitly
 * (no globals) so tests can build a hub in-process.
 */
import type { Logger } from 'pino';
import type { Role } from '@shared/domain';
import type { HubConfig } from './config';
import type { Db, DbKind } from './storage/database';
import type { AppendedEvent } from './storage/event-log';
import type { TokenService } from './auth/tokens';
import type { LoginThrottle } from './auth/login-throttle';
import { forbidden } from './errors';
import type { RoutingService } from './routing/routing-service';
import type { ChannelService } from './channels/channel-service';

export interface Actor {
  userId: string;
  siteId: string;
  role: Role;
  ip?: string | undefined;
}

export interface Publisher {
  /** Called after commit with the events a transaction appended. */
  publish(events: AppendedEvent[]): void;
}

export interface HubContext {
  config: HubConfig;
  db: Db;
  dbKind: DbKind;
  tokens: TokenService;
  throttle: LoginThrottle;
  publisher: Publisher;
  /** The ACD; set once the hub has started it (site role). */
  routing?: RoutingService;
  /** SMS, messenger, email adapters: inbound, outbound with delivery status (site role). */
  channels?: ChannelService;
  log: Logger;
}

/** Roles that oversee a site and see all of its agents and work. */
export const SUPERVISING_ROLES: readonly Role[] = ['supervisor', 'site_manager', 'admin'];

export const isSupervising = (actor: Actor): boolean => SUPERVISING_ROLES.includes(actor.role);

/**
 * The site a request acts on. Only a group admin may name another site; for
 * everyone else naming a foreign site is refused, which is what keeps a user of
 * site A out of site B's data.
 */
export function siteScope(actor: Actor, requested?: string | null): string {
  if (!requested || requested === actor.siteId) return actor.siteId;
  if (actor.role === 'admin') return requested;
  throw forbidden('you may not act on another site');
}

export function requireRole(actor: Actor, roles: readonly Role[]): void {
  if (!roles.includes(actor.role)) throw forbidden();
}
