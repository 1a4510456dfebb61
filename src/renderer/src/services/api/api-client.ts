/**
 * A small client for the hub's HTTP API. Every call resolves to a `Result`;
 * HTTP errors become the hub's typed `IeumError` (`{error:{code,message}}`),
 * and network failures become `UNAVAILABLE`.
 */
import { z } from 'zod';
import {
  API_PREFIX,
  AgentStatusView,
  ErrorResponse,
  HealthResponse,
  LoginResponse,
  MeResponse,
} from '@shared/api';
import { ERROR_CODES, fail, ok, type ErrorCode, type Result } from '@shared/errors';
import { HqBoard } from '@shared/federation';
import { Kpis } from '@shared/kpis';
import { WorkItemView, type RoutingStats } from '@shared/protocol';
import { RoutingStatsSchema } from '../socket/routing-stats';

export interface ApiClient {
  login(username: string, password: string): Promise<Result<LoginResponse>>;
  me(token: string): Promise<Result<MeResponse>>;
  /** Supervisors: the wallboard snapshot (afterwards pushed as `routing.stats`). */
  routingStats(token: string): Promise<Result<RoutingStats>>;
  /** Supervisors: every agent of the site with name and state. */
  agentStates(token: string): Promise<Result<AgentStatusView[]>>;
  /** The signed-in agent's offered, active and wrap-up work (what a reloaded desk picks up again). */
  myWork(token: string): Promise<Result<WorkItemView[]>>;
  /** Supervisors: waiting, offered and scheduled work of the site, in queue order. */
  waitingWork(token: string): Promise<Result<WorkItemView[]>>;
  /** What this hub is (`role: 'site' | 'hq'`); no sign-in needed. */
  health(): Promise<Result<HealthResponse>>;
  /** Supervisors and up: today's KPIs of the user's own center. */
  kpisToday(token: string): Promise<Result<Kpis>>;
  /** At HQ (admin, hq_analyst): every center side by side and the group total. */
  hqBoard(token: string): Promise<Result<HqBoard>>;
}

type Fetch = typeof fetch;

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 400) return 'BAD_REQUEST';
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  return 'INTERNAL';
}

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);

/** Turns a non-2xx response into the typed error, trusting the hub's code when it is a known one. */
export async function errorFromResponse(response: Response): Promise<Result<never>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = ErrorResponse.safeParse(body);
  if (parsed.success && isErrorCode(parsed.data.error.code)) {
    return fail(parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
  }
  return fail(codeForStatus(response.status), `HTTP ${response.status}`);
}

/**
 * One request to the hub, the way every desk service makes it: no cookies, the
 * agent's bearer token when there is one, JSON when there is a body. A network
 * failure is `UNAVAILABLE`; a non-2xx answer is the hub's typed error.
 */
export async function hubFetch(
  url: string,
  token: string | null,
  init: RequestInit = {},
  fetchImpl: Fetch = (...args) => fetch(...args),
): Promise<Result<Response>> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      ...init,
      credentials: 'omit',
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.body && typeof init.body === 'string' ? { 'Content-Type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  } catch {
    return fail('UNAVAILABLE', 'hub unreachable');
  }
  return response.ok ? ok(response) : errorFromResponse(response);
}

/** A hub answer's JSON body checked against `schema`; anything else is `INTERNAL`. */
export async function readJson<S extends z.ZodType>(
  response: Response,
  schema: S,
): Promise<Result<z.infer<S>>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return fail('INTERNAL', 'hub answered with invalid JSON');
  }
  const parsed = schema.safeParse(body);
  return parsed.success
    ? ok(parsed.data)
    : fail('INTERNAL', 'unexpected answer from hub', parsed.error.issues);
}

/** `hubFetch`, then `readJson`. */
export async function hubJson<S extends z.ZodType>(
  url: string,
  token: string | null,
  schema: S,
  init: RequestInit = {},
  fetchImpl?: Fetch,
): Promise<Result<z.infer<S>>> {
  const r = await hubFetch(url, token, init, fetchImpl);
  return r.ok ? readJson(r.value, schema) : r;
}

export function createApiClient(hubUrl: string, fetchImpl: Fetch = (...args) => fetch(...args)): ApiClient {
  const call = <S extends z.ZodType>(
    path: string,
    schema: S,
    init: RequestInit,
    prefix: string = API_PREFIX,
  ): Promise<Result<z.infer<S>>> => hubJson(`${hubUrl}${prefix}${path}`, null, schema, init, fetchImpl);

  return {
    login: (username, password) =>
      call('/auth/login', LoginResponse, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      }),
    me: (token) => call('/me', MeResponse, { headers: { Authorization: `Bearer ${token}` } }),
    routingStats: (token) =>
      call('/routing/stats', RoutingStatsSchema, { headers: { Authorization: `Bearer ${token}` } }),
    agentStates: (token) =>
      call('/admin/agent-states', z.array(AgentStatusView), {
        headers: { Authorization: `Bearer ${token}` },
      }),
    myWork: (token) =>
      call('/routing/my-work', z.array(WorkItemView), { headers: { Authorization: `Bearer ${token}` } }),
    waitingWork: (token) =>
      call('/routing/waiting', z.array(WorkItemView), { headers: { Authorization: `Bearer ${token}` } }),
    health: () => call('/healthz', HealthResponse, {}, ''),
    kpisToday: (token) => call('/reports/kpis', Kpis, { headers: { Authorization: `Bearer ${token}` } }),
    hqBoard: (token) => call('/hq/board', HqBoard, { headers: { Authorization: `Bearer ${token}` } }),
  };
}
