/**
 * Error codes shared by the hub and every client. A client branches on `code`,
 * never on `message` (which is for logs and humans and may be localised later).
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'LOGIN_THROTTLED',
  'PAYLOAD_TOO_LARGE',
  'UNKNOWN_COMMAND',
  'INVALID_STATE_TRANSITION',
  'UNAVAILABLE',
  /** The desk's local disk is full: what was being saved is not saved (the text stays in the composer). */
  'STORAGE_FULL',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error the hub returns, over HTTP and in socket acks. */
export interface IeumError {
  code: ErrorCode;
  message: string;
  /** Field-level detail, e.g. which path failed validation. */
  details?: unknown;
}

/** Every command ack and IPC result is one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IeumError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** HTTP status for each code, so the REST API and socket acks agree. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  LOGIN_THROTTLED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNKNOWN_COMMAND: 400,
  INVALID_STATE_TRANSITION: 409,
  UNAVAILABLE: 503,
  STORAGE_FULL: 507,
  INTERNAL: 500,
};
