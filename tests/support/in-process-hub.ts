/**
 * An in-process hub for server tests: the real `startHub` on 127.0.0.1, a free
 * port and a temp data dir (or a PostgreSQL URL), with logs silenced or
 * captured. Faster than a child process; use `tests/support/hub.ts` when the
 * test must kill the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToHubEvents, HubToClientEvents } from '@shared/protocol';
import { DEFAULTS, type HubConfig } from '../../server/config';
import { startHub, type RunningHub } from '../../server/hub';

export interface TestHubInProcess extends RunningHub {
  /** Log lines written by the hub (JSON objects). */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startTestHub(overrides: Partial<HubConfig> = {}): Promise<TestHubInProcess> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'ieum-test-'));
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const hub = await startHub(
    { ...DEFAULTS, port: 0, demo: true, presenceGraceSeconds: 60, ...overrides, dataDir },
    logger,
  );
  return {
    ...hub,
    logs,
    async stop() {
      await hub.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type DeskSocket = Socket<HubToClientEvents, ClientToHubEvents>;

export async function loginAs(url: string, username: string, password = 'demo') {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: { id: string; siteId: string; role: string } };
}

/** A connected socket.io client with the token in the handshake, as the desk does it. */
export function connectDesk(url: string, token: string): Promise<DeskSocket> {
  const socket: DeskSocket = connect(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export async function api<T = unknown>(
  url: string,
  path: string,
  token: string | null,
  init: RequestInit = {},
) {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
