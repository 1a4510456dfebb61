/**
 * Turns constraint violations from either database into typed hub errors, so a
 * duplicate name or a dangling reference is a 409/400 with a clear message, not a 500.
 */
import { HubError } from '../errors';

interface DriverError {
  code?: string;
  constraint?: string;
  message?: string;
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as DriverError;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as DriverError;
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Re-throws `err` as a HubError when it is a constraint violation; otherwise as it is. */
export function mapDbError(err: unknown, what: string): never {
  if (isUniqueViolation(err)) throw new HubError('CONFLICT', `${what} already exists`);
  if (isForeignKeyViolation(err)) {
    throw new HubError('CONFLICT', `${what} refers to something that does not exist, or is still in use`);
  }
  throw err;
}
