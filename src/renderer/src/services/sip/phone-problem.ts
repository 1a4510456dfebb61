/** Maps what sip.js and getUserMedia report to the one problem the desk shows. */
import type { PhoneProblem } from '@renderer/stores/calls';

/** An error from getUserMedia (via sip.js) when placing or answering a call. */
export function mediaProblem(error: unknown): PhoneProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'NotAllowedError' || name === 'SecurityError' || /permission/i.test(message)) {
    return 'microphone_denied';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || /device not found/i.test(message)) {
    return 'microphone_missing';
  }
  return 'call_failed';
}

/** A final failure response to our INVITE. */
export function rejectProblem(statusCode: number): PhoneProblem {
  if (statusCode === 486 || statusCode === 600 || statusCode === 603) return 'busy';
  if (statusCode === 404 || statusCode === 484 || statusCode === 604) return 'not_found';
  if (statusCode === 408 || statusCode === 480 || statusCode === 487) return 'no_answer';
  if (statusCode === 401 || statusCode === 407 || statusCode === 403) return 'credentials_rejected';
  return 'call_failed';
}
