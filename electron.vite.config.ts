/** electron-vite: the main process, the preload and the renderer (shared with the web mode's build). */
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.js';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The core worker is an entry of its own: a worker thread loads it by file (core-worker/host.ts).
      lib: { entry: { index: 'electron/main/index.ts', 'core-worker': 'electron/services/core-worker/entry.ts' } },
      // The native module is loaded from node_modules (unpacked from the asar), never bundled.
      rollupOptions: { external: ['better-sqlite3'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: 'electron/preload/index.ts' },
      // A sandboxed preload can require() only 'electron': bundle everything else into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: rendererConfig,
});
