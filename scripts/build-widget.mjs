// Bundles the web chat widget (src/widget) to out/widget/widget.js for hubs run without the sources.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  entryPoints: [`${root}src/widget/widget.ts`],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outfile: `${root}out/widget/widget.js`,
  alias: { '@shared': `${root}src/shared` },
  legalComments: 'none',
});
