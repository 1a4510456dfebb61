import { type ErrorCode, type IeumError, HTTP_STATUS } from '@shared/errors';

/**
 * A failure the hub means to report to the client as a typed error. Anything
 * thrown that is not a HubError is a bug: it is logged in full and reported as
 * `INTERNAL` without details.
 */
export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HubError';
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  toJSON(): IeumError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string): HubError => new HubError('NOT_FOUND', `${what} not found`);
export const forbidden = (why = 'not allowed for your role'): HubError => new HubError('FORBIDDEN', why);
