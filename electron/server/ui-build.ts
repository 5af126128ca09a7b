/**
 * The web mode serves the built renderer (out/renderer). From a checkout it is built on first
 * use, and rebuilt when the UI's sources are newer; an installed package ships it built.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionError } from '../core/errors.js';

/** The package's folder: the nearest one above this module holding package.json (from the sources or from a chunk of the CLI's build). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROOT = packageRoot();
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');

/** Newest modification time under a folder (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureRendererBuilt(say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  const built = join(RENDERER_DIR, 'index.html');
  const sources = Math.max(newest(join(ROOT, 'renderer')), newest(join(ROOT, 'shared')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    if (existsSync(built)) return; // an installed package: its shipped build is what there is
    throw new SessionError('not-found', 'the UI is not built and Vite is not installed here: run `npm install` then `npm run build`');
  }
  say('Building the UI…');
  execFileSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'vite.renderer.config.ts'), '--logLevel', 'warn'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: ROOT,
  });
}
