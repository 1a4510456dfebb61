/**
 * The widget script served at `/widget.js`. From source (src/widget) it is
 * bundled once per hub process with esbuild; a hub without the sources serves
 * the copy `npm run build` wrote to out/widget/widget.js.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { HubError } from '../../errors';

const ROOT = resolve(import.meta.dirname, '../../..');
export const WIDGET_ENTRY = resolve(ROOT, 'src/widget/widget.ts');
const PREBUILT = resolve(ROOT, 'out/widget/widget.js');

let cached: Promise<string> | undefined;

export function widgetScript(log: Logger): Promise<string> {
  cached ??= load(log).catch((err: unknown) => {
    cached = undefined;
    log.error({ err }, 'widget build failed');
    throw new HubError('UNAVAILABLE', 'the chat widget is not available');
  });
  return cached;
}

async function load(log: Logger): Promise<string> {
  if (existsSync(WIDGET_ENTRY)) {
    const { build } = await import('esbuild');
    const started = Date.now();
    const out = await build({
      entryPoints: [WIDGET_ENTRY],
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['es2020'],
      write: false,
      alias: { '@shared': resolve(ROOT, 'src/shared') },
      legalComments: 'none',
    });
    log.info({ ms: Date.now() - started, bytes: out.outputFiles[0]!.contents.length }, 'widget bundled');
    return out.outputFiles[0]!.text;
  }
  return readFileSync(PREBUILT, 'utf8');
}
