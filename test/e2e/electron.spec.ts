/**
 * The desktop app itself through Playwright's `_electron`: runs when an Electron binary is
 * present and better-sqlite3 has (or can get) a build for its ABI, and is reported as skipped
 * with the reason when not (neither can be downloaded here).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper without type declarations
import { buildElectronSqlite, electronSqliteReady } from '../../bin/build-electron-sqlite.mjs';
// @ts-expect-error: a plain .mjs helper without type declarations
import { electronBinary } from '../../bin/electron-binary.mjs';
import { META_CSP } from '../../electron/server/csp.js';
import { STATE_FILE } from './global-setup.js';

const bin = electronBinary() as { path?: string; reason?: string };
const root = fileURLToPath(new URL('../..', import.meta.url));

const sqliteError = bin.path && !(electronSqliteReady() as boolean) ? (buildElectronSqlite() as string | undefined) : undefined;
const skipReason = !bin.path ? `no Electron binary: ${bin.reason ?? ''}` : sqliteError ? `no better-sqlite3 build for Electron: ${sqliteError}` : '';
if (skipReason) console.warn(`electron.spec.ts skipped: ${skipReason}`);
test.skip(skipReason !== '', skipReason);

test('the desktop app opens the library, a session and its DC table, locked down', async () => {
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { cwd: root, stdio: 'inherit' });
  const facts = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { library: string; dir: string };
  const app = await electron.launch({
    executablePath: bin.path,
    args: [root, facts.library],
    env: { ...process.env, SESSIONDECK_DATA_DIR: `${facts.dir}/electron-data` },
  });
  const page = await app.firstWindow();
  // The renderer has no Node and only the bridge.
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof window.deck?.['app.info' as never])).toBe('function');
  // The live page shows the settings of electron/main/window-options.ts: no Node, no webview.
  expect(await page.evaluate(() => [typeof (globalThis as { process?: unknown }).process, typeof (globalThis as { module?: unknown }).module])).toEqual(['undefined', 'undefined']);
  expect(await page.evaluate(() => document.createElement('webview') instanceof HTMLUnknownElement)).toBe(true);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(META_CSP);
  // New windows and navigation away are denied; permissions too.
  expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  const before = page.url();
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
  // The bridge refuses channels outside the contract and bad payloads; nothing else is exposed.
  expect(await page.evaluate(() => window.deck!.invoke('fs.rmrf', {}))).toMatchObject({ ok: false, code: 'unknown-channel' });
  expect(await page.evaluate(() => window.deck!.invoke('session.open', { ref: 42 }))).toMatchObject({ ok: false, code: 'bad-request' });
  expect(await page.evaluate(() => Object.keys(window).filter((k) => /ipc|electron|process/i.test(k)))).toEqual([]);
  await page.getByTestId('entry').filter({ hasText: 'alice.session' }).click();
  await page.getByRole('tab', { name: /^DCs/ }).click();
  await expect(page.getByTestId('dc-table')).toContainText('149.154.167.51');
  await page.screenshot({ path: 'test-results/screenshots/electron-dcs.png' });
  await app.close();
});
