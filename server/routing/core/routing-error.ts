import type { ErrorCode } from '@shared/errors';
import { HubError } from '../../errors';

/** Why the core refused: finer than the shared error code, so tests and logs can tell cases apart. */
export type RoutingErrorReason =
  | 'INVALID_CONFIG'
  | 'BAD_INPUT'
  | 'UNKNOWN_AGENT'
  | 'UNKNOWN_QUEUE'
  | 'UNKNOWN_ITEM'
  | 'DUPLICATE_ITEM'
  | 'CHANNEL_NOT_IN_QUEUE'
  | 'NOT_OFFERED_TO_AGENT'
  | 'NOT_ACTIVE'
  | 'NOT_WAITING'
  | 'NO_CAPACITY'
  | 'AGENT_OFFLINE'
  | 'DERIVED_STATE'
  | 'BAD_SNAPSHOT';

const CODE: Record<RoutingErrorReason, ErrorCode> = {
  INVALID_CONFIG: 'VALIDATION_FAILED',
  BAD_INPUT: 'BAD_REQUEST',
  UNKNOWN_AGENT: 'NOT_FOUND',
  UNKNOWN_QUEUE: 'NOT_FOUND',
  UNKNOWN_ITEM: 'NOT_FOUND',
  DUPLICATE_ITEM: 'CONFLICT',
  CHANNEL_NOT_IN_QUEUE: 'BAD_REQUEST',
  NOT_OFFERED_TO_AGENT: 'CONFLICT',
  NOT_ACTIVE: 'INVALID_STATE_TRANSITION',
  NOT_WAITING: 'INVALID_STATE_TRANSITION',
  NO_CAPACITY: 'CONFLICT',
  AGENT_OFFLINE: 'INVALID_STATE_TRANSITION',
  DERIVED_STATE: 'INVALID_STATE_TRANSITION',
  BAD_SNAPSHOT: 'VALIDATION_FAILED',
};

/**
 * A refusal by the routing core. It is a HubError, so the hub can hand it to a
 * client unchanged; `reason` says which rule refused.
 */
export class RoutingError extends HubError {
  constructor(
    readonly reason: RoutingErrorReason,
    message: string,
    details?: unknown,
  ) {
    super(CODE[reason], message, details === undefined ? { reason } : { reason, ...asObject(details) });
    this.name = 'RoutingError';
  }
}

function asObject(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : { info: details };
}
