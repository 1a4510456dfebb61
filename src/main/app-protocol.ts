/**
 * Serves the built renderer from `app://desk/…` instead of file://, so the
 * desk has a real origin (needed for CSP, permissions and sender checks).
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { mimeType, resolveAppFile } from './host/app-files';
import { APP_SCHEME } from './host/trust';

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    },
  ]);
}

/** Registers the handler; `csp()` is read per document so it follows the configured hubs. */
export function serveAppScheme(rendererRoot: string, csp: () => string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererRoot, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    if (!response.ok) return new Response('not found', { status: 404 });
    const headers = new Headers({ 'Content-Type': mimeType(file), 'X-Content-Type-Options': 'nosniff' });
    if (file.endsWith('.html')) headers.set('Content-Security-Policy', csp());
    return new Response(response.body, { status: 200, headers });
  });
}
