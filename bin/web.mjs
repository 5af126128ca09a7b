#!/usr/bin/env node
// `npm run web -- [folders…] [--port N]`: build the UI if it is not built yet, then serve it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Newest modification time under a folder (the UI's sources). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds out/renderer when it is missing or older than the UI's sources. */
export function ensureRendererBuilt() {
  const built = `${root}out/renderer/index.html`;
  const sources = Math.max(newest(`${root}renderer`), newest(`${root}shared`));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  process.stderr.write('Building the UI…\n');
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
