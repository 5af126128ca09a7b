/**
 * Before the e2e run: build the renderer if it is missing or stale, build the fixture library with the real
 * libraries, start `sessiondeck serve` on it with a throwaway data folder, and hand the
 * printed address to the tests. The server is stopped by the returned teardown.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRendererBuilt } from '../../electron/server/ui-build.js';
import buildCli from '../helpers/build-cli.js';

export const STATE_FILE = join(tmpdir(), 'sessiondeck-e2e-state.json');

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureRendererBuilt();
  buildCli();
  const dir = mkdtempSync(join(tmpdir(), 'sessiondeck-e2e-'));
  const facts = JSON.parse(execFileSync(process.execPath, ['bin/run-ts.mjs', 'test/e2e/make-fixtures.ts', dir], { encoding: 'utf8' })) as Record<string, unknown>;
  const dataDir = join(dir, 'appdata');
  const server = spawn(process.execPath, ['bin/sessiondeck.mjs', 'serve', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SESSIONDECK_CHECK_REPLIES: '1' } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server printed no address: ${out}`)), 30_000);
    server.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('http://127.0.0.1:'));
      if (line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    server.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
  });
  writeFileSync(STATE_FILE, JSON.stringify({ ...facts, url, dataDir, dir }));
  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
}
