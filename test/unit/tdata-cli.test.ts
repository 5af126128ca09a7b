/**
 * tdata through the CLI and the library: inspect any account, convert every account out (one
 * file each, named by user id) and many sessions into one tdata, and one library entry per
 * account, grouped by account like any session.
 */
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.js';
import { Library } from '../../electron/core/library/library.js';
import { tempDir } from '../helpers/format-io.js';
import { TDATA_FIXTURES as FIXTURES } from '../helpers/tdata-sessions.js';

const dir = tempDir('sd-tdata-cli-');
let library: Library | undefined;
afterAll(() => library?.close());

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

describe('tdata in the CLI', () => {
  it('inspect summarises the first account, --account N another, and --json lists every account', async () => {
    const first = JSON.parse((await run(['inspect', join(FIXTURES, 'multiacc'), '--json'])).out);
    expect(first).toMatchObject({ format: 'tdata', user: { id: '1787945512' }, homeDc: 1, tdata: { appVersion: 5008003, active: 2 } });
    expect(first.tdata.accounts).toEqual([
      { index: 1, userId: '1787945512', homeDc: 1 },
      { index: 2, userId: '5774619658', homeDc: 2 },
    ]);
    expect(first.dcs.map((d: { authKeyId: string }) => d.authKeyId)).toEqual(['b8c3e59a5f595ac5', '11bab9bf1169acdd', 'c1431b7566800199', 'ce00f9016a78d52f']);
    const second = JSON.parse((await run(['inspect', join(FIXTURES, 'multiacc'), '--account', '2', '--json'])).out);
    expect(second).toMatchObject({ user: { id: '5774619658' }, homeDc: 2 });
    expect((await run(['inspect', join(FIXTURES, 'multiacc'), '--account', '3'])).err).toBe('sessiondeck inspect: tdata ' + join(FIXTURES, 'multiacc') + ' holds 2 account(s): there is no account 3');
  });

  it('a passcode comes from SESSIONDECK_TDATA_PASSCODE; a wrong or missing one is one line', async () => {
    const p = join(FIXTURES, 'passcode');
    expect(JSON.parse((await run(['inspect', p, '--json'], { SESSIONDECK_TDATA_PASSCODE: '123123' })).out).user.id).toBe('1787945512');
    expect((await run(['inspect', p], { SESSIONDECK_TDATA_PASSCODE: 'nope' })).err).toBe(`sessiondeck inspect: wrong passcode for tdata ${p}`);
    const missing = await run(['inspect', p], { SESSIONDECK_TDATA_PASSCODE: '' });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/locked with a local passcode.*SESSIONDECK_TDATA_PASSCODE/);
  });

  it('convert writes every account (one file each, by user id), and many sessions back into one tdata', async () => {
    const out = join(dir, 'out');
    expect((await run(['convert', join(FIXTURES, 'multiacc'), '--to', 'telethon', '-o', `${out}/`])).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['1787945512.session', '5774619658.session']);
    const back = join(dir, 'back-tdata');
    const r = await run(['convert', join(out, '5774619658.session'), join(out, '1787945512.session'), '--to', 'tdata', '-o', back]);
    expect(r.code).toBe(0);
    const j = JSON.parse((await run(['inspect', back, '--json'])).out);
    expect(j.tdata.accounts.map((a: { userId: string }) => a.userId)).toEqual(['5774619658', '1787945512']);
    expect((await run(['convert', join(out, '1787945512.session'), '--to', 'tdata', '-o', back])).err).toMatch(/already exists/);
  });

  it('-o with a trailing slash is a folder even for a one-account tdata (named by user id)', async () => {
    const out = join(dir, 'one-account');
    expect((await run(['convert', join(FIXTURES, 'simple'), '--to', 'telethon', '-o', `${out}/`])).code).toBe(0);
    expect(readdirSync(out)).toEqual(['1787945512.session']);
  });
});

describe('tdata in the library', () => {
  it('lists one entry per account, named by its slot, badge tdata', async () => {
    const lib = join(dir, 'lib');
    mkdirSync(lib);
    cpSync(join(FIXTURES, 'multiacc'), join(lib, 'tdata'), { recursive: true });
    library = new Library(join(dir, 'data'), () => undefined, false);
    library.add([lib]);
    await library.scan();
    const entries = library.list(183).entries;
    expect(entries.map((e) => [e.name, e.format, e.userId, e.status]).sort()).toEqual([
      ['tdata · account 1', 'tdata', '1787945512', 'ok'],
      ['tdata · account 2', 'tdata', '5774619658', 'ok'],
    ]);
    // Each is one of the tdata's own files: the account's settings, beside key_datas.
    expect(entries.map((e) => e.path).sort()).toEqual([join(lib, 'tdata', 'A7FDF864FBC10B77s'), join(lib, 'tdata', 'D877F783D5D3EF8Cs')]);
  });
});
