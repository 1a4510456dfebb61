/**
 * Build of the desk: Electron main, the sandboxed preload, and the renderer.
 * The renderer build is also what the hub serves at `/desk/`, so it uses
 * relative asset URLs (`base: './'`) and works under `app://desk/` as well.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const dir = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const alias = {
  '@shared': dir('./src/shared'),
  '@renderer': dir('./src/renderer/src'),
};

const { version } = JSON.parse(readFileSync(dir('./package.json'), 'utf8')) as { version: string };

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      // zod is bundled so the packaged app does not depend on node_modules layout.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: { input: { index: dir('./src/main/index.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can only require('electron'): bundle everything
      // else and emit CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: dir('./src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: dir('./src/renderer'),
    base: './',
    resolve: { alias },
    define: { __APP_VERSION__: JSON.stringify(version) },
    plugins: [react()],
    build: {
      outDir: dir('./out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: { index: dir('./src/renderer/index.html') } },
    },
  },
});
