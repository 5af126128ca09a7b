#!/usr/bin/env node
// `npm start -- [folders…]`: the Electron app when its binary is there and better-sqlite3
// has (or gets) a build for Electron's ABI (built with electron-vite, then run); otherwise
// ONE line saying why, and the web mode instead.
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildElectronSqlite, electronSqliteReady } from './build-electron-sqlite.mjs';
import { electronBinary } from './electron-binary.mjs';
import { serve } from './web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const bin = electronBinary();
if (bin.path && !electronSqliteReady()) {
  const error = buildElectronSqlite();
  if (error) bin.reason = `better-sqlite3 has no build for Electron's ABI and cannot get one: ${error}`;
}
if (bin.path && !bin.reason) {
  execFileSync(process.execPath, [`${root}node_modules/electron-vite/bin/electron-vite.js`, 'build'], { stdio: 'inherit', cwd: root });
  const child = spawn(bin.path, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write(`Electron is not available (${bin.reason}); starting the web mode instead.\n`);
  await serve(args);
}
