/** The renderer's Vite config, used by electron-vite (renderer section) and by the web mode's build. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const rendererConfig: UserConfig = {
  root: here('./renderer'),
  // Relative asset URLs: the same build loads from file:// (Electron) and http:// (web mode).
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: here('./renderer/index.html') },
  },
};

export default rendererConfig;
