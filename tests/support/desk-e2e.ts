/** Setup shared by the e2e tests that drive the built desk at a hub's /desk/. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const RENDERER_INDEX = resolve(import.meta.dirname, '../../out/renderer/index.html');

/** Fails fast, with the fix, when the desk has not been built. */
export function requireBuiltDesk(): void {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(
      `${RENDERER_INDEX} is missing: build the desk first (npx electron-vite build; npm test does it)`,
    );
  }
}

/** A JSON client for `${hubUrl}/api/v1` with a bearer token read at each call. */
export function hubApi(hubUrl: () => string, token: () => string) {
  return async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${hubUrl()}/api/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}
