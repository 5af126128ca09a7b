/**
 * The web mode end to end, in Chromium: add a folder of real sessions, open each, read DC
 * tables and counters, search a 100,000-peer session, export and copy (clipboard read back,
 * then seen cleared), import a string, convert with its loss report, and bad input refused
 * with a clear error and nothing written. Each screen is saved under test-results/screenshots/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { STATE_FILE } from './global-setup.js';

interface Facts {
  url: string;
  library: string;
  out: string;
  telethonString: string;
  aliceString: string;
  bigPeers: number;
  dataDir: string;
}

const facts = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Facts;
const origin = new URL(facts.url).origin;
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png` });

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 840 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  page = await context.newPage();
  await page.goto(facts.url);
});

test.afterAll(async () => {
  await page.context().close();
});

const entry = (name: string) => page.getByTestId('entry').filter({ hasText: name });

async function openEntry(name: string) {
  await entry(name).click();
  await expect(page.getByTestId('session-title')).toHaveText(name);
}

async function tab(name: string) {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

test('the token moves into a cookie and the empty library says what to do', async () => {
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
  await expect(page.getByTestId('empty')).toContainText('Add a folder with your .session files');
  await shot(page, '01-empty');
});

test('adding a folder lists every session, grouped, with unknown files shown', async () => {
  await page.getByRole('button', { name: 'Add folder' }).first().click();
  await page.getByTestId('add-path').fill(`${facts.library}/`);
  await expect(page.getByRole('listbox')).toContainText('telethon/');
  await shot(page, '02-add-folder');
  await page.getByTestId('add-confirm').click();
  for (const name of ['alice.session', 'big.session', 'bob.session', 'carol.txt', 'dave.session', 'notes.txt']) {
    await expect(entry(name)).toBeVisible();
  }
  await expect(page.getByRole('group', { name: 'Not sessions' })).toContainText('notes.txt');
  await expect(page.getByRole('group', { name: 'Account 5000001' })).toContainText('bob.session');
  // Pyrogram's update date and file time are from 2020: past the 6-month TTL.
  await expect(entry('bob.session')).toContainText('likely expired');
  await expect(entry('alice.session')).not.toContainText('likely expired');
  await shot(page, '03-library');
});

test('Telethon: DC table and update counters', async () => {
  await openEntry('alice.session');
  await expect(page.getByTestId('overview')).toContainText('Telethon');
  await shot(page, '04-overview');
  await tab('DCs');
  const row = page.getByTestId('dc-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.first()).toContainText('149.154.167.51');
  await expect(row.first()).toContainText('443');
  await expect(row.first()).toContainText('home');
  await shot(page, '05-dcs');
  await tab('Updates');
  const u = page.getByTestId('updates');
  for (const [k, v] of [['pts', '1234'], ['qts', '56'], ['seq', '78']]) {
    await expect(u.locator('.card').filter({ hasText: new RegExp(`^${k}`) })).toContainText(v!);
  }
  await expect(u).toContainText('2026-01-01 00:00:00 UTC');
  await expect(u).toContainText('1234567890');
  await shot(page, '06-updates');
  await tab('Peers');
  await expect(page.getByTestId('peer-count')).toHaveText('4 peers');
  await expect(page.getByTestId('peer-row').filter({ hasText: 'alice_friend' })).toContainText('99887766');
});

test('Pyrogram, GramJS and ferogram sessions open with their own facts', async () => {
  await openEntry('bob.session');
  await tab('Overview');
  await expect(page.getByTestId('overview')).toContainText('5000001');
  await expect(page.getByTestId('overview')).toContainText('611335');
  await openEntry('carol.txt');
  await tab('DCs');
  await expect(page.getByTestId('dc-table')).toContainText('149.154.175.53');
  await openEntry('dave.session');
  const rows = page.getByTestId('dc-table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('IPv6');
  await expect(rows.nth(2)).toContainText('media');
  await expect(rows.first()).toContainText('123456789');
  await shot(page, '07-ferogram-dcs');
});

test('a 100,000-peer session is searched and scrolled from the main process', async () => {
  await openEntry('big.session');
  await tab('Peers');
  const count = page.getByTestId('peer-count');
  await expect(count).toHaveText(`${facts.bigPeers.toLocaleString('en-US')} peers`);
  // Only the rows on screen are in the page.
  expect(await page.getByTestId('peer-row').count()).toBeLessThan(120);
  await page.getByTestId('peer-search').fill('peer98765');
  await expect(count).toHaveText(`1 of ${facts.bigPeers.toLocaleString('en-US')} peers`);
  await expect(page.getByTestId('peer-row').first()).toContainText('10098765');
  await shot(page, '08-peers-search');
  await page.getByTestId('peer-search').fill('');
  await expect(count).toHaveText(`${facts.bigPeers.toLocaleString('en-US')} peers`);
  await page.locator('.vt-body').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(page.getByTestId('peer-row').filter({ hasText: String(10_000_000 + facts.bigPeers - 1) })).toBeVisible();
  await shot(page, '09-peers-scrolled');
});

test('export as a Telethon string: masked, copied, then the clipboard is cleared', async () => {
  await page.evaluate(() => fetch('/api/settings.set', { method: 'POST', body: JSON.stringify({ clipboardClearSeconds: 5 }) }));
  await openEntry('alice.session');
  await page.getByTestId('action-export').click();
  await page.getByTestId('format-select').selectOption('telethon-string');
  const preview = page.getByTestId('export-preview');
  await expect(preview).toContainText('••••');
  await expect(preview).not.toContainText(facts.aliceString);
  await expect(page.getByTestId('export-library')).toContainText('Telethon');
  await shot(page, '10-export');
  await page.getByTestId('export-copy').click();
  await expect(page.getByTestId('toast')).toContainText('Copied');
  // The string Telethon itself makes for this file.
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(facts.aliceString);
  await page.getByTestId('export-reveal').click();
  await expect(preview).toHaveText(facts.aliceString);
  await shot(page, '11-export-revealed');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 12_000 }).toBe('');
  await page.keyboard.press('Escape');
});

test('import a Telethon string, then save it as a Pyrogram file with the fields it needs', async () => {
  await page.getByRole('button', { name: 'Import string' }).click();
  await page.getByTestId('import-text').fill(facts.telethonString);
  await page.getByTestId('import-read').click();
  const pv = page.getByTestId('import-preview');
  await expect(pv).toContainText('Telethon string session');
  await expect(pv).toContainText('Home DC5');
  await expect(pv).toContainText('9ed6e6ef196cc931');
  await shot(page, '12-import');
  await page.getByTestId('import-save').click();
  const dlg = page.getByTestId('convert-dialog');
  await dlg.getByTestId('format-select').selectOption('pyrogram');
  await expect(dlg.getByTestId('given-user')).toBeVisible();
  await dlg.getByTestId('given-user').fill('424242');
  await dlg.getByTestId('given-bot').selectOption('user');
  await dlg.getByTestId('given-api').fill('12345');
  await expect(dlg.getByTestId('loss-report')).toBeVisible();
  const out = join(facts.out, 'imported.session');
  await dlg.getByTestId('convert-path').fill(out);
  await shot(page, '13-import-convert');
  await dlg.getByTestId('convert-write').click();
  await expect(dlg.getByTestId('convert-done')).toContainText(out);
  expect(readFileSync(out).subarray(0, 15).toString()).toBe('SQLite format 3');
  await page.keyboard.press('Escape');
});

test('convert shows the loss report before writing', async () => {
  await openEntry('dave.session');
  await page.getByTestId('action-convert').click();
  const dlg = page.getByTestId('convert-dialog');
  await dlg.getByTestId('format-select').selectOption('telethon');
  const report = dlg.getByTestId('loss-report');
  await expect(report).toContainText('DC entries dropped');
  expect(existsSync(join(facts.library, 'ferogram', 'dave.telethon.session'))).toBe(false);
  await shot(page, '14-convert-loss-report');
  const out = join(facts.out, 'dave-telethon.session');
  await dlg.getByTestId('convert-path').fill(out);
  await dlg.getByTestId('convert-write').click();
  await expect(dlg.getByTestId('convert-done')).toBeVisible();
  expect(statSync(out).size).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
});

test('bad input shows a clear error and writes nothing', async () => {
  const before = readdirSync(facts.out).sort();
  await page.getByRole('button', { name: 'Import string' }).click();
  await page.getByTestId('import-text').fill('this is not a session string');
  await page.getByTestId('import-read').click();
  await expect(page.getByTestId('error')).toContainText('not a session string we know');
  await shot(page, '15-import-error');
  await page.keyboard.press('Escape');

  // Converting onto an existing file is refused and leaves it as it was.
  const existing = join(facts.out, 'dave-telethon.session');
  const bytes = readFileSync(existing);
  await openEntry('dave.session');
  await page.getByTestId('action-convert').click();
  const dlg = page.getByTestId('convert-dialog');
  await dlg.getByTestId('format-select').selectOption('telethon');
  await dlg.getByTestId('convert-path').fill(existing);
  await dlg.getByTestId('convert-write').click();
  await expect(dlg.getByTestId('error')).toContainText('already exists');
  await page.keyboard.press('Escape');
  expect(readFileSync(existing).equals(bytes)).toBe(true);
  expect(readdirSync(facts.out).sort()).toEqual(before);

  await openEntry('notes.txt');
  await expect(page.getByTestId('error')).toContainText('not a session');
  await shot(page, '16-not-a-session');
});

test('finder, settings and the dark theme', async () => {
  await page.keyboard.press('Control+k');
  await page.getByTestId('finder-input').fill('5000001');
  await expect(page.locator('.finder .res')).toContainText(['bob.session']);
  await shot(page, '17-finder');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('session-title')).toHaveText('bob.session');
  await page.getByRole('button', { name: 'Settings' }).click();
  await shot(page, '18-settings');
  await page.getByRole('dialog').locator('select').selectOption('dark');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await openEntry('big.session');
  await tab('Peers');
  await shot(page, '19-dark-peers');
  await tab('Overview');
  await shot(page, '20-dark-overview');
});
