/**
 * The web mode end to end, in Chromium: add a folder of real sessions, open each, read DC
 * tables and counters, search a 100,000-peer session, export and copy (clipboard read back,
 * then seen cleared), import a string, convert with its loss report, and bad input refused
 * with a clear error and nothing written; accounts with their sidecars (the 2FA password only on
 * Reveal), duplicate logins, labels and notes; Telegram Desktop folders, one behind a passcode
 * asked for in a dialog; a PostgreSQL store added, read and written into. Each screen is saved
 * under test-results/screenshots/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { DUPLICATE_RISK } from '../../shared/library-view.js';
import { STATE_FILE } from './global-setup.js';
import { keyFragments, Traffic } from './traffic.js';
import { openStore } from '../../electron/core/store/open-store.js';
import { formatById } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { fakeKey, oneDcSession, peerOf } from '../helpers/sessions.js';
import { SERVER_PASSWORD, startPostgres } from '../helpers/servers.js';
import { AxeBuilder } from '@axe-core/playwright';

interface Facts {
  url: string;
  library: string;
  /** Telegram Desktop folders: tdata (two accounts) and work-tdata (behind the passcode 123123). */
  desktop: string;
  out: string;
  telethonString: string;
  aliceString: string;
  bigPeers: number;
  dataDir: string;
  dir: string;
  authKeys: string[];
  sessionStrings: string[];
  /** The 2FA passwords in the sidecars: Jane's (revealed in a test), Kim's (never revealed). */
  twoFa: [string, string];
  /** Jane's user id from her sidecar, above 2^53. */
  janeId: string;
}

const facts = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Facts;
const origin = new URL(facts.url).origin;
/** Serious and critical WCAG 2.2 AA findings of axe, by screen: every screenshot is also checked. */
const axeFindings: { screen: string; rule: string; impact: string; help: string; targets: string[]; why: string[] }[] = [];
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, animations: 'disabled' });
  const r = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  for (const v of r.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') axeFindings.push({ screen: name, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')), why: v.nodes.slice(0, 5).map((n) => n.failureSummary ?? '') });
  }
}
/** Lets the previous step's toast fade before a screenshot of the next screen. */
const noToast = (page: Page) => expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 10_000 });

test.describe.configure({ mode: 'serial' });

let page: Page;
const traffic = new Traffic();
const PASS = 'staple battery horse correct';
/** The store's password and its session's key fragments: never in a reply either. */
const storeSecrets: string[] = [];

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 840 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  page = await context.newPage();
  traffic.record(page);
  await traffic.listen(facts.url);
  await page.goto(facts.url);
});

test.afterAll(async () => {
  await page.context().close();
});

const entry = (name: string) => page.getByTestId('entry').filter({ hasText: name });
/** The file names the sidebar lists, in order. */
const listed = () => page.getByTestId('entry').locator('.item-name').allTextContents();
const group = (userId: string) => page.getByRole('group', { name: `Account ${userId}` });
const NAMES = ['acct.session', 'alice.session', 'big.session', 'bob.session', 'carol.txt', 'dave.session', 'erin-copy.session', 'erin.session', 'helper.session', 'kim.session', 'liz.session', 'notes.txt'];

async function openEntry(name: string) {
  await entry(name).click();
  await expect(page.getByTestId('session-title')).toHaveText(name);
}

/** The focused control's name as a user hears it: its aria-label, its label's text, or its own text. */
const focusedName = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    if (!el) return '';
    return (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || '').replace(/\s+/g, ' ').trim();
  });

/** Presses Tab (Shift-Tab with `back`) until the focused control's name matches; fails naming what it passed. */
async function tabTo(name: RegExp, back = false): Promise<void> {
  const passed: string[] = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const n = await focusedName();
    if (name.test(n)) return;
    passed.push(n);
  }
  throw new Error(`Tab never reached ${name}; it passed: ${passed.slice(0, 25).join(' | ')}`);
}

/** On a focused select, ArrowDown until the chosen option's text matches. */
async function chooseByKeys(option: RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('ArrowDown');
    const text = await page.evaluate(() => {
      const el = document.activeElement as HTMLSelectElement | null;
      return el?.selectedOptions?.[0]?.textContent ?? '';
    });
    if (option.test(text)) return;
  }
  throw new Error(`no option ${option}`);
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
  await page.getByRole('combobox', { name: 'Folder or file path' }).fill(`${facts.library}/`);
  await expect(page.getByRole('listbox')).toContainText('telethon/');
  await shot(page, '02-add-folder');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  for (const name of NAMES) await expect(entry(name)).toBeVisible();
  // Sidecars are part of their sessions' entries and the stray config.json is skipped: no .json is listed.
  expect((await listed()).sort()).toEqual(NAMES);
  await expect(page.getByRole('group', { name: 'Not sessions' })).toContainText('notes.txt');
  await expect(page.getByRole('group', { name: 'Account 5000001' })).toContainText('bob.session');
  // Pyrogram's update date and file time are from 2020: past the 6-month TTL.
  await expect(entry('bob.session')).toContainText('likely expired');
  await expect(entry('alice.session')).not.toContainText('likely expired');
  await shot(page, '03-library');
});

test('accounts: groups are titled by name and @username over the exact user id, sidecars are no entries', async () => {
  const jane = group(facts.janeId);
  await expect(jane.getByTestId('group-title')).toHaveText('Jane Doe @jane');
  // The id as written in acct.json: a double would have made it ...992.
  await expect(jane.getByTestId('group-subtitle')).toHaveText(facts.janeId);
  await expect(jane).toContainText('acct.session');
  await expect(group('5000010').getByTestId('group-title')).toHaveText('@kim_k');
  await expect(group('5000020').getByTestId('group-title')).toHaveText('Liz @liz_w');
  // A bot says so; without a name or username the heading stays the id.
  await expect(group('5000040').getByTestId('group-head')).toContainText('Deck Helper @deck_helper_bot');
  await expect(group('5000040').getByTestId('group-head').locator('.badge')).toHaveText('bot');
  await expect(group(facts.janeId).getByTestId('group-head').locator('.badge')).toHaveCount(0);
  await expect(group('5000001').getByTestId('group-head')).toHaveText(/^Account 5000001/);
  await expect(group('5000001').getByTestId('group-title')).toHaveCount(0);
  await expect(page.getByTestId('entry').filter({ hasText: '.json' })).toHaveCount(0);
  // The contradicting sidecar is a warning on its session.
  await expect(entry('liz.session')).toContainText('1 warning');
  await expect(entry('acct.session')).not.toContainText('warning');
  await jane.scrollIntoViewIfNeeded();
  await shot(page, '33-accounts-sidebar');
});

test('the session view names each account fact with its source, and the sidecar without its secrets', async () => {
  const [jane2fa, kim2fa] = facts.twoFa;
  await openEntry('acct.session');
  await tab('Overview');
  const acct = page.getByTestId('account-section');
  await expect(acct.getByTestId('fact-user-id')).toContainText(facts.janeId);
  await expect(acct.getByTestId('fact-user-id')).toContainText('from acct.json');
  await expect(acct.getByTestId('fact-name')).toContainText('Jane Doe');
  await expect(acct.getByTestId('fact-name')).toContainText('from acct.json');
  await expect(acct.getByTestId('fact-username')).toContainText('@jane');
  await expect(acct.getByTestId('fact-phone')).toContainText('+15550107788');
  // The overview's cards say what the session lacks and the sidecar supplies.
  const cards = page.getByTestId('overview').locator('.card');
  await expect(cards.filter({ hasText: /^Account/ })).toContainText(`${facts.janeId}not in the session; from acct.json`);
  await expect(cards.filter({ hasText: /^api_id/ })).toContainText('2040not in the session; from acct.json');
  const side = page.getByTestId('sidecar-section');
  await expect(side).toContainText(join(facts.library, 'accounts', 'acct.json'));
  for (const fact of ['2040', 'DESKTOP-7Q2K4LM', 'Windows 10', '4.16.8 x64', 'tdesktop', 'en-US']) await expect(side).toContainText(fact);
  await expect(side.locator('.fact').filter({ hasText: 'Premium' })).toContainText('yes');
  // The app hash masked as the engine gives it; never whole.
  await expect(side).toContainText('b184••••••••27');
  await expect(side).not.toContainText('b18441a1ff607e10a989891a5462e627');
  await expect(side.getByTestId('sidecar-other-keys')).toHaveText(/extra_key/);
  await expect(side.getByTestId('sidecar-other-keys')).not.toContainText('spamblock');
  // The 2FA password: not in the page until Reveal, gone again on Hide and when the session is left.
  const value = side.getByTestId('twofa-value');
  await expect(value).toHaveText('••••••');
  expect(await page.content()).not.toContain(jane2fa);
  await side.getByTestId('twofa').scrollIntoViewIfNeeded();
  await shot(page, '34-account-sidecar');
  await side.getByRole('button', { name: 'Reveal' }).click();
  await expect(value).toHaveText(jane2fa);
  await side.getByTestId('twofa-hide').click();
  await expect(value).toHaveText('••••••');
  expect(await page.content()).not.toContain(jane2fa);
  await side.getByRole('button', { name: 'Reveal' }).click();
  await expect(value).toHaveText(jane2fa);
  await openEntry('kim.session');
  expect(await page.content()).not.toContain(jane2fa);

  // Kim: the id from the session, the username from its peer cache, the phone from the sidecar's other spellings.
  await expect(acct.getByTestId('fact-user-id')).toContainText('from the session');
  await expect(acct.getByTestId('fact-username')).toContainText('@kim_k');
  await expect(acct.getByTestId('fact-username')).toContainText('from the peer cache');
  await expect(acct.getByTestId('fact-phone')).toContainText('+4915700000010');
  await expect(acct.getByTestId('fact-phone')).toContainText('from kim.json');
  for (const fact of ['2496', 'Pixel 7', 'SDK 34', '10.14.5']) await expect(side).toContainText(fact);
  await expect(side.getByTestId('twofa-value')).toHaveText('••••••');
  await expect(side.getByTestId('sidecar-other-keys')).toHaveCount(0);
  expect(await page.content()).not.toContain(kim2fa);

  await openEntry('acct.session');
  await expect(page.getByTestId('twofa-value')).toHaveText('••••••');
  await openEntry('liz.session');
  await expect(page.getByTestId('sidecar-warnings')).toContainText('liz.json names user 5000021, but the session is user 5000020');
  await expect(page.getByTestId('twofa')).toHaveCount(0);
  // A session without a sidecar has no sidecar section.
  await openEntry('bob.session');
  await expect(page.getByTestId('account-section')).toContainText('5000001');
  await expect(page.getByTestId('sidecar-section')).toHaveCount(0);
  await expect(page.getByTestId('no-sidecar')).toContainText('bob.json');
});

test('duplicates: the filter lists exactly the pair, the session view warns and leads to the other copy', async () => {
  await openEntry('acct.session');
  await expect(page.getByTestId('duplicate-warning')).toHaveCount(0);
  await page.getByRole('button', { name: /^Duplicates/ }).click();
  await expect.poll(listed).toEqual(['erin-copy.session', 'erin.session']);
  for (const name of ['erin.session', 'erin-copy.session']) await expect(entry(name).locator('.badge', { hasText: 'duplicate' })).toBeVisible();
  await openEntry('erin.session');
  const warn = page.getByTestId('duplicate-warning');
  await expect(warn).toContainText('Same auth key as another session');
  await expect(warn.getByTestId('duplicate-link')).toHaveText(join(facts.library, 'dup', 'erin-copy.session'));
  await expect(warn.getByTestId('duplicate-risk')).toHaveText(DUPLICATE_RISK);
  await noToast(page);
  await shot(page, '35-duplicate-warning');
  await warn.getByTestId('duplicate-link').click();
  await expect(page.getByTestId('session-title')).toHaveText('erin-copy.session');
  await expect(page.getByTestId('duplicate-link')).toHaveText(join(facts.library, 'dup', 'erin.session'));
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await expect.poll(async () => (await listed()).length).toBe(NAMES.length);
});

test('labels and a note: edited in the session view, shown and filtered in the sidebar, kept across a reload', async () => {
  await expect(page.getByTestId('label-filter')).toHaveCount(0);
  await openEntry('acct.session');
  await tab('Overview');
  const editor = page.getByTestId('label-editor');
  const input = editor.getByRole('textbox', { name: 'Add a label' });
  await expect(editor.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  for (const l of ['vip', 'shop-2024', 'temp']) {
    await input.fill(l);
    await input.press('Enter');
  }
  await expect(editor.getByTestId('label-chip')).toHaveText(['vip×', 'shop-2024×', 'temp×']);
  await editor.getByRole('button', { name: 'Remove the label temp' }).click();
  await expect(editor.getByTestId('label-chip')).toHaveText(['vip×', 'shop-2024×']);
  await editor.getByLabel('Note', { exact: true }).fill('Bought in March, from a Windows tdata');
  await editor.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(editor.getByTestId('labels-saved')).toBeVisible();
  await expect(editor.getByTestId('label-chip')).toHaveText(['shop-2024×', 'vip×']);
  await expect(entry('acct.session').getByTestId('entry-labels').locator('.label-chip')).toHaveText(['shop-2024', 'vip']);
  await expect(page.getByTestId('label-filter')).toBeVisible();
  await noToast(page);
  await editor.scrollIntoViewIfNeeded();
  await shot(page, '36-label-editor');

  // The label filter lists every label; one picked shows only its sessions.
  const filter = page.getByTestId('label-filter');
  await expect(filter.getByRole('button')).toHaveText(['shop-2024', 'vip']);
  await filter.getByRole('button', { name: 'vip' }).click();
  await expect.poll(listed).toEqual(['acct.session']);
  await filter.getByRole('button', { name: 'vip' }).click();
  await expect.poll(async () => (await listed()).length).toBe(NAMES.length);
  // The search reads labels and notes too.
  await page.getByRole('textbox', { name: 'Search the library' }).fill('windows tdata');
  await expect.poll(listed).toEqual(['acct.session']);
  await page.getByRole('textbox', { name: 'Search the library' }).fill('');

  // Labels follow the login: one set on erin.session is on its copy too.
  await openEntry('erin.session');
  await page.getByRole('textbox', { name: 'Add a label' }).fill('one-login');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(entry('erin-copy.session').getByTestId('entry-labels')).toHaveText('one-login');

  // A refused save is one line, and nothing changes.
  await page.route('**/api/labels.set', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, error: 'labels.set: the database is locked', code: 'io' }) }));
  await page.getByRole('textbox', { name: 'Add a label' }).fill('never-saved');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('labels-error')).toHaveText('labels.set: the database is locked');
  await page.unroute('**/api/labels.set');
  await expect(entry('erin.session')).not.toContainText('never-saved');

  await page.reload();
  await expect(entry('acct.session').getByTestId('entry-labels').locator('.label-chip')).toHaveText(['shop-2024', 'vip']);
  await expect(page.getByTestId('label-filter').getByRole('button')).toHaveText(['one-login', 'shop-2024', 'vip']);
  await openEntry('acct.session');
  await tab('Overview');
  // Kept sorted by the engine.
  await expect(page.getByTestId('label-chip')).toHaveText(['shop-2024×', 'vip×']);
  await expect(page.getByLabel('Note', { exact: true })).toHaveValue('Bought in March, from a Windows tdata');
  await expect(page.getByTestId('session-title').locator('..').getByTestId('entry-labels').locator('.label-chip')).toHaveText(['shop-2024', 'vip']);
});

test('the finder finds sessions by label, account name and @username', async () => {
  const results = page.getByTestId('finder-result');
  await openEntry('bob.session');
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Find a session or a peer' }).fill('shop-2024');
  await expect(results).toHaveCount(1);
  await expect(results).toContainText('acct.session');
  await expect(results).toContainText('Jane Doe @jane');
  await expect(results.getByTestId('entry-labels').locator('.label-chip')).toHaveText(['shop-2024', 'vip']);
  await page.getByRole('combobox', { name: 'Find a session or a peer' }).fill('@kim_k');
  await expect(results).toHaveCount(1);
  await expect(results).toContainText('kim.session');
  await page.getByRole('combobox', { name: 'Find a session or a peer' }).fill('jane doe');
  await expect(results).toHaveCount(1);
  await expect(results).toContainText('acct.session');
  // The open session's peer search comes first; the session is the next row.
  await page.getByRole('combobox', { name: 'Find a session or a peer' }).press('ArrowDown');
  await page.getByRole('combobox', { name: 'Find a session or a peer' }).press('Enter');
  await expect(page.getByTestId('session-title')).toHaveText('acct.session');
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
  await page.getByRole('textbox', { name: 'Search peers' }).fill('peer98765');
  await expect(count).toHaveText(`1 of ${facts.bigPeers.toLocaleString('en-US')} peers`);
  await expect(page.getByTestId('peer-row').first()).toContainText('10098765');
  await shot(page, '08-peers-search');
  await page.getByRole('textbox', { name: 'Search peers' }).fill('');
  await expect(count).toHaveText(`${facts.bigPeers.toLocaleString('en-US')} peers`);
  await page.locator('.vt-body').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(page.getByTestId('peer-row').filter({ hasText: String(10_000_000 + facts.bigPeers - 1) })).toBeVisible();
  await shot(page, '09-peers-scrolled');
});

test('export as a Telethon string: masked, copied, then the clipboard is cleared', async () => {
  await page.evaluate(() => fetch('/api/settings.set', { method: 'POST', body: JSON.stringify({ clipboardClearSeconds: 5 }) }).then((r) => r.text()));
  await openEntry('alice.session');
  await page.getByRole('button', { name: 'Export string' }).click();
  await page.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('telethon-string');
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
  await page.getByRole('textbox', { name: 'Session string' }).fill(facts.telethonString);
  await page.getByRole('button', { name: 'Read string' }).click();
  const pv = page.getByTestId('import-preview');
  await expect(pv).toContainText('Telethon string session');
  await expect(pv).toContainText('Home DC5');
  await expect(pv).toContainText('9ed6e6ef196cc931');
  await shot(page, '12-import');
  await page.getByTestId('import-save').click();
  const dlg = page.getByTestId('convert-dialog');
  await dlg.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('pyrogram');
  await expect(dlg.getByTestId('given-user')).toBeVisible();
  await dlg.getByTestId('given-user').fill('424242');
  await dlg.getByTestId('given-bot').selectOption('user');
  await dlg.getByTestId('given-api').fill('12345');
  await expect(dlg.getByTestId('loss-report')).toBeVisible();
  const out = join(facts.out, 'imported.session');
  await dlg.getByRole('combobox', { name: 'Write to' }).fill(out);
  await shot(page, '13-import-convert');
  await dlg.getByRole('button', { name: /^Write (file|into the store)$/ }).click();
  await expect(dlg.getByTestId('convert-done')).toContainText(out);
  expect(readFileSync(out).subarray(0, 15).toString()).toBe('SQLite format 3');
  await page.keyboard.press('Escape');
});

test('convert shows the loss report before writing', async () => {
  await openEntry('dave.session');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  const dlg = page.getByTestId('convert-dialog');
  await dlg.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('telethon');
  const report = dlg.getByTestId('loss-report');
  await expect(report).toContainText('DC entries dropped');
  expect(existsSync(join(facts.library, 'ferogram', 'dave.telethon.session'))).toBe(false);
  await shot(page, '14-convert-loss-report');
  const out = join(facts.out, 'dave-telethon.session');
  await dlg.getByRole('combobox', { name: 'Write to' }).fill(out);
  await dlg.getByRole('button', { name: /^Write (file|into the store)$/ }).click();
  await expect(dlg.getByTestId('convert-done')).toBeVisible();
  expect(statSync(out).size).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
});

test('convert carries the sidecar: the values the target needs come from it, and a copy is written beside the output', async () => {
  await openEntry('acct.session');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  const dlg = page.getByTestId('convert-dialog');
  await dlg.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('telethon-v2');
  // Telethon 2 keeps the bot flag with the user id the sidecar gives: asked before anything is written.
  await dlg.getByTestId('given-bot').selectOption('user');
  await expect(dlg.getByTestId('loss-report')).toContainText(`user id ${facts.janeId} from acct.json`);
  await expect(dlg.getByTestId('sidecar-copy')).toBeChecked();
  await shot(page, '37-convert-sidecar');
  const out = join(facts.out, 'jane.v2.session');
  await dlg.getByRole('combobox', { name: 'Write to' }).fill(out);
  await dlg.getByRole('button', { name: /^Write (file|into the store)$/ }).click();
  await expect(dlg.getByTestId('convert-done')).toContainText('jane.v2.json');
  const copy = readFileSync(join(facts.out, 'jane.v2.json'), 'utf8');
  expect(copy).toContain('"session_file": "jane.v2"');
  expect(copy).toContain(`${facts.janeId}`);
  await page.keyboard.press('Escape');
});

test('bad input shows a clear error and writes nothing', async () => {
  const before = readdirSync(facts.out).sort();
  await page.getByRole('button', { name: 'Import string' }).click();
  await page.getByRole('textbox', { name: 'Session string' }).fill('this is not a session string');
  await page.getByRole('button', { name: 'Read string' }).click();
  await expect(page.getByTestId('error')).toContainText('not a session string we know');
  await shot(page, '15-import-error');
  await page.keyboard.press('Escape');

  // Converting onto an existing file is refused and leaves it as it was.
  const existing = join(facts.out, 'dave-telethon.session');
  const bytes = readFileSync(existing);
  await openEntry('dave.session');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  const dlg = page.getByTestId('convert-dialog');
  await dlg.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('telethon');
  await dlg.getByRole('combobox', { name: 'Write to' }).fill(existing);
  await dlg.getByRole('button', { name: /^Write (file|into the store)$/ }).click();
  await expect(dlg.getByTestId('error')).toContainText('already exists');
  await page.keyboard.press('Escape');
  expect(readFileSync(existing).equals(bytes)).toBe(true);
  expect(readdirSync(facts.out).sort()).toEqual(before);

  await openEntry('notes.txt');
  await expect(page.getByTestId('error')).toContainText('not a session');
  await shot(page, '16-not-a-session');
});

test('a drop on the web page explains that the browser gives no paths and offers the path field', async () => {
  const dt = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(['x'], 'alice.session'));
    return d;
  });
  await noToast(page);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
  await expect(page.getByTestId('dropzone')).toContainText('cannot see where dropped files live');
  await shot(page, '21-drop-zone');
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
  await expect(page.getByTestId('dropzone')).toHaveCount(0);
  const dlg = page.getByTestId('add-dialog');
  await expect(dlg.getByTestId('drop-note')).toContainText('alice.session');
  await expect(dlg.getByRole('combobox', { name: 'Folder or file path' })).toBeVisible();
  await page.keyboard.press('Escape');
});

test('back up the whole library from the UI, verify it, restore it into a new folder', async () => {
  const archive = join(facts.dir, 'library.tar.age');
  await page.getByTestId('open-backup').click();
  const dlg = page.getByTestId('backup-dialog');
  await dlg.getByTestId('scope-library').check();
  await dlg.getByTestId('backup-out').fill(archive);
  await dlg.getByTestId('backup-pass').fill(PASS);
  await dlg.getByTestId('backup-pass-again').fill('not the same');
  await expect(dlg.getByTestId('backup-start')).toBeDisabled();
  await dlg.getByTestId('backup-pass-again').fill(PASS);
  await dlg.locator('.dialog-h').click();
  await noToast(page);
  await shot(page, '22-backup');
  await dlg.getByTestId('backup-start').click();
  await expect(dlg.getByTestId('backup-done')).toContainText(archive, { timeout: 60_000 });
  await expect(dlg.getByTestId('job-progress')).toHaveAttribute('data-state', 'done');
  await expect(dlg.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(dlg.getByTestId('backup-done')).toContainText('library');
  await dlg.getByTestId('backup-verify').click();
  await expect(dlg.getByTestId('backup-verified')).toContainText('Verified', { timeout: 60_000 });
  await shot(page, '23-backup-verified');
  await page.keyboard.press('Escape');
  expect(statSync(archive).size).toBeGreaterThan(0);

  const dest = join(facts.dir, 'restored');
  await page.getByTestId('open-restore').click();
  const r = page.getByTestId('restore-dialog');
  await r.getByTestId('restore-file').fill(archive);
  await r.getByTestId('restore-dest').fill(dest);
  // A wrong passphrase is one clear line, and nothing is written.
  await r.getByLabel('Passphrase', { exact: true }).fill('a wrong passphrase');
  await r.getByTestId('restore-preview').click();
  await expect(r.getByRole('alert')).toContainText('wrong passphrase', { timeout: 60_000 });
  await expect(r.getByLabel('Passphrase', { exact: true })).toBeFocused();
  expect(existsSync(dest)).toBe(false);
  await r.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await r.getByTestId('restore-verify').click();
  await expect(r.getByTestId('restore-verified')).toContainText('Verified', { timeout: 60_000 });
  await r.getByTestId('restore-preview').click();
  const plan = r.getByTestId('restore-plan');
  await expect(plan).toContainText(join(dest, 'library'), { timeout: 60_000 });
  await expect(plan).toContainText('new');
  expect(existsSync(dest)).toBe(false);
  await r.locator('.dialog-h').click();
  await shot(page, '24-restore-preview');
  await r.getByTestId('restore-apply').click();
  await expect(r.getByTestId('restore-done')).toBeVisible({ timeout: 60_000 });
  await shot(page, '25-restored');
  await page.keyboard.press('Escape');
  // Plain files come back byte for byte; SQLite files as consistent snapshots of themselves.
  for (const f of ['ferogram/dave.session', 'gramjs/carol.txt', 'misc/notes.txt']) {
    expect(readFileSync(join(dest, 'library', f)).equals(readFileSync(join(facts.library, f))), f).toBe(true);
  }
  for (const f of ['telethon/alice.session', 'telethon/big.session', 'pyrogram/bob.session']) {
    expect(readFileSync(join(dest, 'library', f)).subarray(0, 15).toString(), f).toBe('SQLite format 3');
  }
});

test('several ticked sessions are converted as one job with a line each', async () => {
  for (const name of ['alice.session', 'carol.txt', 'dave.session']) {
    await page.locator('.item-wrap').filter({ hasText: name }).getByTestId('entry-check').check();
  }
  await expect(page.getByTestId('selection-bar')).toContainText('3 selected');
  await page.getByTestId('selection-convert').click();
  const dlg = page.getByTestId('batch-dialog');
  await dlg.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('telethon');
  const out = join(facts.out, 'batch');
  await dlg.getByTestId('batch-out').fill(out);
  await dlg.locator('.dialog-h').click();
  await noToast(page);
  await shot(page, '26-batch-convert');
  await dlg.getByTestId('batch-start').click();
  const result = dlg.getByTestId('batch-result');
  await expect(result).toContainText('written');
  await expect(result.locator('tbody tr')).toHaveCount(3);
  await expect(dlg.getByTestId('job-progress')).toHaveAttribute('data-state', 'done');
  await shot(page, '27-batch-done');
  expect(readdirSync(out).sort()).toEqual(['alice.telethon.session', 'carol.telethon.session', 'dave.telethon.session']);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Clear the selection' }).click();
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
});

test('edit: the automatic-backup passphrase is asked first, the original is backed up, then the home DC changes', async () => {
  const file = join(facts.library, 'ferogram', 'dave.session');
  const original = readFileSync(file);
  await openEntry('dave.session');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dlg = page.getByTestId('edit-dialog');
  await expect(dlg.getByTestId('edit-passphrase')).toBeVisible();
  await dlg.getByTestId('edit-pass').fill(PASS);
  await dlg.getByTestId('edit-pass-again').fill(PASS);
  await dlg.getByTestId('edit-dc').selectOption('4');
  await dlg.getByTestId('edit-sure').check();
  await noToast(page);
  await shot(page, '28-edit');
  await dlg.getByTestId('edit-apply').click();
  await expect(page.getByTestId('toast')).toContainText('backed up (encrypted)', { timeout: 60_000 });
  await tab('DCs');
  await expect(page.getByTestId('dc-table').locator('tr.home')).toContainText('149.154.164.250');
  // The new home DC holds no key: no login, so nothing to label.
  await tab('Overview');
  await expect(page.getByTestId('labels-disabled')).toContainText('holds no auth key');
  await expect(page.getByRole('textbox', { name: 'Add a label' })).toHaveCount(0);
  expect(readFileSync(file).equals(original)).toBe(false);
  // The automatic backup holds the original bytes, and opens with the standard CLI path.
  const backups = readdirSync(join(facts.dataDir, 'backups')).filter((f) => /^auto-.*\.tar\.age$/.test(f));
  expect(backups).toHaveLength(1);
  const out = mkdtempSync(join(facts.dir, 'auto-restore-'));
  execFileSync(process.execPath, ['bin/sessiondeck.mjs', 'restore', join(facts.dataDir, 'backups', backups[0]!), '-d', out], {
    env: { ...process.env, SESSIONDECK_PASSPHRASE: PASS },
  });
  expect(readFileSync(join(out, 'dave.session')).equals(original)).toBe(true);
  // The second edit does not ask again.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(page.getByTestId('edit-dialog')).toBeVisible();
  await expect(page.getByTestId('edit-passphrase')).toHaveCount(0);
  await page.keyboard.press('Escape');
});

test('finder, settings and the dark theme, applied before the first paint of the next start', async () => {
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Find a session or a peer' }).fill('5000001');
  await expect(page.locator('.finder .res')).toContainText(['bob.session']);
  await shot(page, '17-finder');
  await page.locator('.finder .res').filter({ hasText: 'bob.session' }).click();
  await expect(page.getByTestId('session-title')).toHaveText('bob.session');
  await page.getByRole('button', { name: 'Settings' }).click();
  await shot(page, '18-settings');
  await page.getByRole('dialog').locator('select').selectOption('dark');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await openEntry('big.session');
  await tab('Peers');
  await shot(page, '19-dark-peers');
  await tab('Overview');
  await shot(page, '20-dark-overview');
  // The next start is dark before the app's script runs (blocked here): no light flash.
  const probe = await page.context().newPage();
  await probe.route('**/assets/*.js', (r) => r.abort());
  await probe.goto(facts.url);
  expect(await probe.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await probe.close();
});

test('delete moves the session to the trash (the app’s trash folder in the web mode)', async () => {
  const file = join(facts.library, 'gramjs', 'carol.txt');
  const bytes = readFileSync(file);
  await openEntry('carol.txt');
  await page.getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByTestId('trash-dialog')).toContainText("Session Deck's trash folder");
  await shot(page, '31-trash');
  await page.getByTestId('trash-confirm').click();
  await expect(page.getByTestId('toast')).toContainText('Moved to');
  await expect(entry('carol.txt')).toHaveCount(0);
  expect(existsSync(file)).toBe(false);
  const trash = join(facts.dataDir, 'trash');
  const moved = readdirSync(trash).map((d) => join(trash, d, 'carol.txt')).filter((p) => existsSync(p));
  expect(moved).toHaveLength(1);
  expect(readFileSync(moved[0]!).equals(bytes)).toBe(true);
});

test('likely expired sessions are cleaned up into an archive folder, not deleted', async () => {
  const file = join(facts.library, 'pyrogram', 'bob.session');
  const bytes = readFileSync(file);
  await page.getByRole('button', { name: /^Likely expired/ }).click();
  await page.getByTestId('cleanup-open').click();
  const dlg = page.getByTestId('cleanup-dialog');
  await expect(dlg).toContainText('bob.session');
  const archive = join(facts.dir, 'archive');
  await dlg.getByTestId('cleanup-dest').fill(archive);
  await dlg.locator('.dialog-h').click();
  await shot(page, '32-cleanup');
  await dlg.getByTestId('cleanup-move').click();
  await expect(page.getByTestId('toast')).toContainText(`Moved 1 to ${archive}`);
  await expect(entry('bob.session')).toHaveCount(0);
  expect(existsSync(file)).toBe(false);
  expect(readFileSync(join(archive, 'bob.session')).equals(bytes)).toBe(true);
  await page.getByRole('button', { name: 'All', exact: true }).click();
});

test('a Telegram Desktop folder shows each account; one behind a passcode is locked until the passcode dialog opens it', async () => {
  await noToast(page);
  await page.getByRole('button', { name: 'Add folder' }).first().click();
  await page.getByRole('combobox', { name: 'Folder or file path' }).fill(facts.desktop);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  // Both accounts of the open tdata, each in its account's group, badged by their library.
  const first = page.locator(`[data-testid=entry][title="${facts.desktop}/tdata/D877F783D5D3EF8Cs"]`);
  await expect(first).toContainText('Telegram Desktop');
  await expect(first).toContainText('DC 1');
  await expect(group('1787945512')).toContainText('tdata · account 1');
  await expect(group('5774619658')).toContainText('tdata · account 2');
  const locked = page.getByRole('group', { name: 'Locked with a passcode' });
  await expect(locked.getByTestId('entry-locked')).toHaveCount(1);
  await expect(locked).toContainText('work-tdata · account 1');
  await first.scrollIntoViewIfNeeded();
  await shot(page, '38-tdata-accounts');

  await locked.getByTestId('entry').click();
  const dlg = page.getByTestId('unlock-dialog');
  await expect(dlg).toContainText(`${facts.desktop}/work-tdata is locked with a local passcode`);
  await dlg.getByLabel('Passcode', { exact: true }).fill('000000');
  await dlg.getByTestId('unlock-confirm').click();
  await expect(dlg.getByRole('alert')).toContainText(`wrong passcode for tdata ${facts.desktop}/work-tdata`);
  // The code of the refusal acts: the passcode field has the cursor again, its text selected.
  await expect(dlg.getByRole('alert')).toContainText('Type the passcode again');
  await expect(dlg.getByLabel('Passcode', { exact: true })).toBeFocused();
  await expect(locked.getByTestId('entry-locked')).toHaveCount(1);
  await dlg.getByLabel('Passcode', { exact: true }).fill('123123');
  await shot(page, '39-tdata-passcode');
  await dlg.getByLabel('Passcode', { exact: true }).press('Enter');
  await expect(dlg).toHaveCount(0);
  await expect(page.getByTestId('toast')).toContainText('Unlocked work-tdata');
  // Read now: in its account's group beside the other tdata's copy of the same login.
  await expect(locked).toHaveCount(0);
  await expect(group('1787945512')).toContainText('work-tdata · account 1');
  await expect(entry('work-tdata · account 1')).toContainText('duplicate');
  await openEntry('work-tdata · account 1');
  // Converted, never edited in place.
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Convert', exact: true })).toBeVisible();
  await tab('DCs');
  await expect(page.getByTestId('dc-table').locator('tbody tr')).toHaveCount(4);
  await noToast(page);
  await shot(page, '40-tdata-unlocked');

  // Convert writes a new tdata, locked with a new passcode typed twice.
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  const convert = page.getByTestId('convert-dialog');
  await convert.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('tdata');
  await expect(convert.getByTestId('loss-report')).toBeVisible();
  await convert.getByTestId('convert-passcode').fill('n3w-pass');
  await convert.getByTestId('convert-passcode-again').fill('n3w-pas');
  await expect(convert.getByRole('alert')).toHaveText('The two passcodes differ.');
  await expect(convert.getByRole('button', { name: /^Write (file|into the store)$/ })).toBeDisabled();
  await convert.getByTestId('convert-passcode-again').fill('n3w-pass');
  const out = join(facts.out, 'work-copy-tdata');
  await convert.getByRole('combobox', { name: 'Write to' }).fill(out);
  await shot(page, '41-convert-to-tdata');
  await convert.getByRole('button', { name: /^Write (file|into the store)$/ }).click();
  await expect(convert.getByTestId('convert-done')).toBeVisible();
  await page.keyboard.press('Escape');
  const inspect = (passcode: string) =>
    spawnSync(process.execPath, ['bin/sessiondeck.mjs', 'inspect', out, '--json'], { encoding: 'utf8', env: { ...process.env, SESSIONDECK_TDATA_PASSCODE: passcode } });
  expect(inspect('').stderr).toMatch(/locked with a local passcode/);
  expect(JSON.parse(inspect('n3w-pass').stdout).user.id).toBe('1787945512');
});

test('a PostgreSQL store added in the UI: its sessions listed by account, one inspected and exported, a file converted into it, replaced and deleted again', async () => {
  const server = await startPostgres();
  try {
    server.psql('CREATE DATABASE fleet');
    const seeded = await openStore(server.url('fleet'), { create: 'mtcute-postgres' });
    const fleetBot = oneDcSession(77, 6_000_001n);
    fleetBot.user!.isBot = true;
    fleetBot.peers = [peerOf('user', 1, { extras: true }), peerOf('channel', 2, { extras: true })];
    await seeded.save('fleet-bot', fleetBot);
    await seeded.close();
    storeSecrets.push(SERVER_PASSWORD, ...keyFragments(Buffer.from(fakeKey(77)).toString('hex')));
    const url = server.url('fleet').replace(`:${encodeURIComponent(SERVER_PASSWORD)}@`, '@');

    await page.getByTestId('open-store').click();
    const dlg = page.getByTestId('store-dialog');
    await dlg.getByTestId('store-url').fill(url);
    await dlg.getByLabel('Password (when the URL has none)', { exact: true }).fill('not-the-password');
    await dlg.getByRole('button', { name: 'Add store' }).click();
    await expect(dlg.getByRole('alert')).toContainText('refused the user name or password');
    await expect(dlg.getByLabel('Password (when the URL has none)', { exact: true })).toBeFocused();
    await shot(page, '42-store-wrong-password');
    await dlg.getByLabel('Password (when the URL has none)', { exact: true }).fill(SERVER_PASSWORD);
    await dlg.getByRole('button', { name: 'Add store' }).click();
    await expect(dlg).toHaveCount(0);
    await expect(entry('fleet-bot')).toBeVisible();
    await noToast(page);
    await entry('fleet-bot').scrollIntoViewIfNeeded();
    await shot(page, '43-store-in-library');

    await openEntry('fleet-bot');
    await tab('Overview');
    await expect(page.getByTestId('overview')).toContainText('mtcute');
    await tab('Peers');
    await expect(page.getByTestId('peer-row')).toHaveCount(2);
    await shot(page, '44-store-session');
    await page.getByRole('button', { name: 'Export string' }).click();
    await page.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('telethon-string');
    await expect(page.getByTestId('export-preview')).toBeVisible();
    await page.keyboard.press('Escape');

    await openEntry('liz.session');
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    const conv = page.getByTestId('convert-dialog');
    await conv.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('mtcute-postgres');
    await expect(conv.getByRole('combobox', { name: 'Write to' })).toHaveValue(/fleet#liz$/);
    await shot(page, '45-convert-into-store');
    await conv.getByRole('button', { name: /^Write (file|into the store)$/ }).click();
    await expect(conv.getByTestId('convert-done')).toContainText('#liz');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('entry').locator('.item-name').getByText('liz', { exact: true })).toHaveCount(1);
    const check = await openStore(server.url('fleet'));
    expect((await check.load('liz')).session.user).toEqual({ id: 5_000_020n, isBot: false });
    await check.close();

    // Converted again under the same id: refused, then replaced on request after a backup.
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await conv.getByRole('combobox', { name: /(String|Target) format/ }).selectOption('mtcute-postgres');
    await expect(conv.getByRole('combobox', { name: 'Write to' })).toHaveValue(/fleet#liz$/);
    await conv.getByRole('button', { name: /^Write (file|into the store)$/ }).click();
    await expect(conv.getByTestId('convert-exists')).toContainText('stored under this id already');
    await expect(conv.getByTestId('error')).toHaveCount(0);
    await shot(page, '46-store-replace');
    await conv.getByTestId('convert-replace').click();
    await expect(conv.getByTestId('convert-done')).toContainText('#liz');
    await expect(page.getByTestId('toast')).toContainText('backed up (encrypted)');
    await page.keyboard.press('Escape');

    // Deleted from the store again: an automatic backup first (its passphrase was set by the edit test).
    await page.getByTestId('entry').filter({ has: page.locator('.item-name').getByText('liz', { exact: true }) }).click();
    await expect(page.getByTestId('session-title')).toHaveText('liz');
    await page.getByTestId('action-store-delete').click();
    const del = page.getByTestId('store-delete-dialog');
    await expect(del).toContainText('will be deleted from');
    await shot(page, '47-store-delete');
    await del.getByTestId('store-delete-confirm').click();
    await expect(del).toHaveCount(0);
    await expect(page.getByTestId('toast')).toContainText('backed up (encrypted)');
    await expect(page.getByTestId('entry').locator('.item-name').getByText('liz', { exact: true })).toHaveCount(0);
    const after = await openStore(server.url('fleet'));
    expect(await after.listIds()).toEqual(['fleet-bot']);
    await after.close();
  } finally {
    server.stop();
  }
});

test('keyboard only: find a session, export and copy its string, convert it, back it up; dialogs keep and give back focus', async () => {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  // Find and open.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('kim.session');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('session-title')).toHaveText('kim.session');
  // The finder leaves the keyboard at the session found, not at the top of the page.
  await expect(page.getByTestId('session-title')).toBeFocused();
  // The tab list is one stop (the chosen tab); the arrow keys and Home/End move within it.
  await tabTo(/^(Overview|DCs|Updates|Peers|Min peers)/);
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: /^Overview/ })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: /^DCs/ })).toBeFocused();
  await expect(page.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'tab-dcs');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: /^Overview/ })).toHaveAttribute('aria-selected', 'true');

  // Export and copy.
  await tabTo(/^Export string$/, true);
  await page.keyboard.press('Enter');
  const exp = page.getByTestId('export-dialog');
  await expect(exp).toBeVisible();
  await expect(exp.getByRole('combobox', { name: /(String|Target) format/ })).toBeFocused();
  await chooseByKeys(/^Telethon string/);
  await expect(exp.getByTestId('export-preview')).toContainText('••••');
  // Tab stays inside the dialog: around from the last control back to the first.
  const inDialog: boolean[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    inDialog.push(await exp.evaluate((d) => d.contains(document.activeElement)));
  }
  expect(inDialog.every(Boolean)).toBe(true);
  await tabTo(/^Copy/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^1[A-Za-z0-9_-]{300,}/);
  await page.keyboard.press('Escape');
  await expect(exp).toHaveCount(0);
  // Focus is back on the button that opened it.
  await expect(page.getByRole('button', { name: 'Export string' })).toBeFocused();

  // Convert.
  await tabTo(/^Convert$/);
  await page.keyboard.press('Enter');
  const conv = page.getByTestId('convert-dialog');
  await expect(conv.getByRole('combobox', { name: /(String|Target) format/ })).toBeFocused();
  await chooseByKeys(/^Telethon SQLite/);
  await expect(conv.getByTestId('loss-report')).toBeVisible();
  await tabTo(/Write file/);
  await page.keyboard.press('Enter');
  await expect(conv.getByTestId('convert-done')).toContainText('kim.telethon');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Convert', exact: true })).toBeFocused();

  // Back up this session.
  const archive = join(facts.dir, 'keyboard.tar.age');
  await tabTo(/^Back up$/);
  await page.keyboard.press('Enter');
  const bk = page.getByTestId('backup-dialog');
  await expect(bk).toBeVisible();
  await tabTo(/Save the backup as/);
  await page.keyboard.press('Control+a');
  await page.keyboard.type(archive);
  await tabTo(/^Passphrase$/);
  await page.keyboard.type(PASS);
  await tabTo(/^Type it again/);
  await page.keyboard.type(PASS);
  await tabTo(/^Back up$/);
  await page.keyboard.press('Enter');
  await expect(bk.getByTestId('backup-done')).toContainText(archive, { timeout: 60_000 });
  await page.keyboard.press('Escape');
  expect(statSync(archive).size).toBeGreaterThan(0);
  await shot(page, '48-keyboard-done');
});

test('a library of 3,000 sessions keeps only the rows on screen in the page; keys reach the last, and the finder scrolls to one', async () => {
  const big = join(facts.dir, 'big-library');
  mkdirSync(big, { recursive: true });
  const pyrogram = formatById('pyrogram-string') as StringFormat;
  const N = 3000;
  // 1,000 accounts of three sessions each, as Pyrogram strings (they carry the user id).
  for (let i = 0; i < N; i++) {
    const s = oneDcSession(10_000 + i, BigInt(7_000_000 + (i % 1000)));
    s.apiId = 6;
    s.user!.isBot = false;
    writeFileSync(join(big, `crowd-${String(i).padStart(4, '0')}.txt`), pyrogram.encode(s));
  }
  await page.getByRole('button', { name: 'Add folder' }).first().click();
  await page.getByRole('combobox', { name: 'Folder or file path' }).fill(big);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const footer = page.locator('.side-foot');
  await expect(footer).toContainText(/3,0\d\d sessions in \d+ locations?/, { timeout: 60_000 });
  await page.getByRole('textbox', { name: 'Search the library' }).fill('crowd-');
  await expect(page.getByRole('group', { name: 'Account 7000000' })).toContainText('crowd-0000.txt');
  // Thousands of sessions, a screenful of rows (plus the margin) in the page.
  const rendered = await page.getByTestId('entry').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(120);
  await shot(page, '49-big-library');
  // End from the first entry goes to the last one, scrolled into view and focused.
  await entry('crowd-0000.txt').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('entry').filter({ hasText: 'crowd-2999.txt' })).toBeFocused();
  await expect(page.getByTestId('entry').filter({ hasText: 'crowd-2999.txt' })).toBeInViewport();
  await expect(page.getByRole('group', { name: 'Account 7000999' })).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('entry').filter({ hasText: 'crowd-1999.txt' })).toBeFocused();
  expect(await page.getByTestId('entry').count()).toBeLessThan(120);
  // The head of the account at the top stays pinned while its entries scroll under it.
  await expect(page.locator('.pinned-head')).toContainText('7000');
  // A session chosen in the finder is scrolled to in the list.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Find a session or a peer' }).fill('crowd-1500');
  // A session is open, so the first option searches its peers; the file is the next one.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('option', { name: /crowd-1500\.txt/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('session-title')).toHaveText('crowd-1500.txt');
  await expect(page.getByTestId('entry').filter({ hasText: 'crowd-1500.txt' })).toBeInViewport();
  await page.getByRole('textbox', { name: 'Search the library' }).fill('');
});

test('a session a running bot holds locked says so and offers Retry, which opens it once the bot lets go', async () => {
  const busy = join(facts.dir, 'busy-bot');
  mkdirSync(busy, { recursive: true });
  copyFileSync(join(facts.library, 'telethon', 'alice.session'), join(busy, 'running.session'));
  await page.getByRole('button', { name: 'Add folder' }).first().click();
  await page.getByRole('dialog', { name: 'Add to the library' }).getByRole('combobox', { name: 'Folder or file path' }).fill(busy);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  // 3,000 sessions from the test above sort ahead of it in the virtual list: find it by name.
  await page.getByRole('textbox', { name: 'Search the library' }).fill('running');
  await expect(entry('running.session')).toContainText('Telethon');
  // The "bot": a writer holding the database's exclusive lock, as Telethon does while it saves.
  const bot = new Database(join(busy, 'running.session'));
  bot.exec('BEGIN EXCLUSIVE');
  try {
    await entry('running.session').click();
    const alert = page.getByRole('main').getByRole('alert');
    await expect(alert).toContainText('the database is locked by another process', { timeout: 30_000 });
    await expect(alert).toContainText('stop it, then retry');
    await shot(page, '50-locked-retry');
  } finally {
    bot.exec('ROLLBACK');
    bot.close();
  }
  await page.getByRole('main').getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('session-title')).toHaveText('running.session');
  await expect(page.getByRole('main')).toContainText('DC');
  await page.getByRole('textbox', { name: 'Search the library' }).fill('');
});

test('the UI never received an auth key, a session string or a 2FA password, except from Reveal and Copy', async () => {
  const events = await traffic.finish();
  expect(traffic.unread).toEqual([]);
  const fragments = facts.authKeys.flatMap(keyFragments);
  const [jane2fa, kim2fa] = facts.twoFa;
  const secrets = [...fragments, ...facts.sessionStrings, jane2fa, kim2fa, ...storeSecrets];
  const explicit = new Set(['export.reveal', 'export.copy', 'sidecar.reveal2fa']);
  // Jane's password came only in the replies to her Reveal clicks; Kim's, never revealed, in none.
  const twoFaReplies = traffic.replies.filter((r) => r.channel === 'sidecar.reveal2fa');
  expect(twoFaReplies.length).toBeGreaterThanOrEqual(2);
  for (const r of twoFaReplies) expect(JSON.parse(r.body)).toEqual({ ok: true, data: { text: jane2fa } });
  for (const r of traffic.replies) expect(r.body.includes(kim2fa), `${r.channel} carries Kim's 2FA password`).toBe(false);
  // The fragments find a key inside a real session string (Telethon's: base64url at an odd offset; GramJS's: base64).
  expect(keyFragments(facts.authKeys[0]!).some((f) => facts.aliceString.includes(f))).toBe(true);
  expect(keyFragments(facts.authKeys[2]!).some((f) => facts.sessionStrings[2]!.includes(f))).toBe(true);
  // The scan sees what it looks for: Reveal and Copy did carry alice's string.
  const revealed = traffic.replies.filter((r) => r.channel.startsWith('export.') && explicit.has(r.channel));
  expect(revealed.length).toBeGreaterThanOrEqual(2);
  expect(revealed.filter((r) => r.body.includes(facts.aliceString)).length).toBeGreaterThanOrEqual(2);
  const others = traffic.replies.filter((r) => !explicit.has(r.channel));
  // Normal use was covered: opening sessions, pages of peers, exports, conversions, backups, edits.
  const seen = new Set(others.map((r) => r.channel));
  for (const c of ['library.list', 'tdata.unlock', 'session.open', 'session.peers', 'export.prepare', 'import.preview', 'convert.write', 'convert.batch', 'backup.create', 'backup.verify', 'restore.plan', 'restore.apply', 'edit.apply', 'labels.set']) {
    expect(seen, c).toContain(c);
  }
  for (const r of others) {
    for (const s of secrets) expect(r.body.includes(s), `${r.channel} carries a secret`).toBe(false);
  }
  expect(events).toContain('event: job');
  for (const s of secrets) expect(events.includes(s), 'an event carries a secret').toBe(false);
});

test('every screen and dialog above has no serious or critical WCAG 2.2 AA finding (axe)', () => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/axe.json', `${JSON.stringify(axeFindings, null, 2)}\n`);
  expect(axeFindings.map((f) => `${f.screen}: ${f.rule} (${f.impact}) ${f.targets.join(' | ')}`)).toEqual([]);
});
