#!/usr/bin/env node
// `npm run web -- [folders…] [--port N]`: build the UI if it is not built yet, then serve it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export function ensureRendererBuilt() {
  if (existsSync(`${root}out/renderer/index.html`)) return;
  process.stderr.write('Building the UI (first run)…\n');
  execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', `${root}vite.renderer.config.ts`, '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
}

export async function serve(args) {
  ensureRendererBuilt();
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../electron/cli/main.ts');
  process.exitCode = await main(['serve', ...args]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await serve(process.argv.slice(2));
