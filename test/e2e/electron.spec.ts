/**
 * The desktop app itself through Playwright's `_electron`: runs when an Electron binary is
 * present, and is reported as skipped with the reason when it is not (no download here).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper without type declarations
import { electronBinary } from '../../bin/electron-binary.mjs';
import { STATE_FILE } from './global-setup.js';

const bin = electronBinary() as { path?: string; reason?: string };
const root = fileURLToPath(new URL('../..', import.meta.url));

const skipReason = `no Electron binary: ${bin.reason ?? ''}`;
if (!bin.path) console.warn(`electron.spec.ts skipped: ${skipReason}`);
test.skip(!bin.path, skipReason);

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
  await page.getByTestId('entry').filter({ hasText: 'alice.session' }).click();
  await page.getByRole('tab', { name: /^DCs/ }).click();
  await expect(page.getByTestId('dc-table')).toContainText('149.154.167.51');
  await page.screenshot({ path: 'test-results/screenshots/electron-dcs.png' });
  await app.close();
});
