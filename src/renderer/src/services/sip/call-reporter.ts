/**
 * Reports the desk's calls to the hub, in order per call: each step (offered,
 * answered, held, resumed, ended) and the wrap-up. While the hub is
 * unreachable (restarting, the network down) a step is sent again, less and
 * less often, for up to ten minutes, and the steps after it wait their turn:
 * calls go on while the hub is away and are recorded once it is back. The hub
 * makes repeats harmless, so a retry never counts twice.
 */
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { Disposition } from '@shared/domain';
import { fail, type Result } from '@shared/errors';
import { CallRecord, CallerLookup, type CallEventInput } from '@shared/telephony';
import { hubJson } from '@renderer/services/api/api-client';
import { createLogger } from '@renderer/lib/log';

const log = createLogger('call-reporter');
/** Pauses between tries while the hub is unreachable; the last one repeats. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];
/** How long a step is retried before it is given up (and logged). */
const PATIENCE_MS = 10 * 60_000;

export interface CallReporterOptions {
  retryDelaysMs?: readonly number[];
  patienceMs?: number;
  wait?: (ms: number) => Promise<void>;
}

export interface CallReporter {
  report(event: CallEventInput): Promise<Result<CallRecord>>;
  wrapUp(deskCallId: string, dispositionId: string, note: string): Promise<Result<CallRecord>>;
  lookupCaller(number: string): Promise<Result<CallerLookup>>;
  recentCalls(limit?: number): Promise<Result<CallRecord[]>>;
  dispositions(): Promise<Result<Disposition[]>>;
}

export function createCallReporter(
  hubUrl: string,
  token: string,
  options: CallReporterOptions = {},
): CallReporter {
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const patience = options.patienceMs ?? PATIENCE_MS;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  /** Per desk call: the chain of its reports, so steps reach the hub in order. */
  const chains = new Map<string, Promise<unknown>>();
  const hubIds = new Map<string, string>();

  function request<S extends z.ZodType>(
    path: string,
    schema: S,
    init: RequestInit = {},
  ): Promise<Result<z.infer<S>>> {
    return hubJson(`${hubUrl}${API_PREFIX}${path}`, token, schema, init);
  }

  async function withRetries<T>(send: () => Promise<Result<T>>): Promise<Result<T>> {
    let result = await send();
    let waited = 0;
    for (let i = 0; !result.ok && result.error.code === 'UNAVAILABLE' && waited < patience; i++) {
      const delay = delays[Math.min(i, delays.length - 1)]!;
      waited += delay;
      await wait(delay);
      result = await send();
    }
    return result;
  }

  function inOrder<T>(deskCallId: string, task: () => Promise<T>): Promise<T> {
    const next = (chains.get(deskCallId) ?? Promise.resolve()).then(task, task);
    chains.set(deskCallId, next);
    return next;
  }

  return {
    report: (event) =>
      inOrder(event.callId, async () => {
        const result = await withRetries(() =>
          request('/calls/events', CallRecord, { method: 'POST', body: JSON.stringify(event) }),
        );
        if (result.ok) hubIds.set(event.callId, result.value.id);
        else log.warn(`call ${event.type} not recorded`, result.error);
        return result;
      }),
    wrapUp: (deskCallId, dispositionId, note) =>
      inOrder(deskCallId, async () => {
        const id = hubIds.get(deskCallId);
        if (!id) return fail('NOT_FOUND', 'the hub has no record of this call');
        const body = JSON.stringify({ dispositionId, note: note || undefined, at: Date.now() });
        const result = await withRetries(() =>
          request(`/calls/${encodeURIComponent(id)}/wrap-up`, CallRecord, { method: 'POST', body }),
        );
        if (result.ok) chains.delete(deskCallId);
        return result;
      }),
    lookupCaller: (number) => request(`/calls/caller?number=${encodeURIComponent(number)}`, CallerLookup),
    recentCalls: (limit = 5) => request(`/calls?limit=${limit}`, z.array(CallRecord)),
    dispositions: () => request('/calls/dispositions', z.array(Disposition)),
  };
}
