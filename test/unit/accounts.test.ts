/**
 * Accounts, not files: `.json` sidecars as account tools write them (key spellings, a 64-bit
 * id, a contradicting one, a broken one, a stray .json), who each session is and where each
 * fact came from, duplicate logins across formats, labels that follow the login, and the CLI's
 * inspect, list, label and convert over all of it. The 2FA password never appears in output.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.js';
import { findDuplicates, MAX_NAMED_DUPLICATES } from '../../electron/core/accounts/duplicates.js';
import { identify } from '../../electron/core/accounts/identity.js';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { writeConverted, writeOutput } from '../../electron/core/convert/write-output.js';
import { pyrogramSqlite } from '../../electron/core/formats/pyrogram-sqlite.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { LabelStore } from '../../electron/core/labels/label-store.js';
import { Library } from '../../electron/core/library/library.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';
import { encodeSidecar, parseSidecar } from '../../electron/core/sidecar/codec.js';
import { sidecarPathFor } from '../../electron/core/sidecar/files.js';
import type { LibraryEntry } from '../../shared/dto.js';
import { fakeKey } from '../helpers/sessions.js';
import { tempDir } from '../helpers/format-io.js';

const dir = tempDir('sd-accounts-');
const data = join(dir, 'data');
const lib = join(dir, 'lib');
const TWO_FA = 'Tw0-fa-pa55word-never-printed';
/** Above 2^53: a JSON number that a plain JSON.parse would round to …992. */
const BIG_ID = '9007199254740993';

let savedDataDir: string | undefined;
beforeAll(() => {
  savedDataDir = process.env.SESSIONDECK_DATA_DIR;
  process.env.SESSIONDECK_DATA_DIR = data;
});
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.SESSIONDECK_DATA_DIR;
  else process.env.SESSIONDECK_DATA_DIR = savedDataDir;
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[]) => runCli(args);

/** A Telethon session without a stored user id whose peer cache holds `self` (as Telethon < 1.28 leaves it). */
function telethon(seed: number, self?: { id: bigint; name: string; username: string; phone: string }): Session {
  return {
    ...emptySession(),
    homeDc: 2,
    dcs: [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: fakeKey(seed) })],
    peers: self
      ? [
          { id: self.id, kind: 'user', accessHash: 77n, usernames: [self.username], phone: self.phone, name: self.name },
          { id: 42n, kind: 'user', accessHash: 5n, usernames: ['friend'], name: 'A Friend' },
        ]
      : [],
  };
}

const SHOP_SIDECAR = `{
  "session_file": "jane",
  "phone": "15550001111",
  "user_id": ${BIG_ID},
  "app_id": 2040,
  "app_hash": "b18441a1ff607e10a989891a5462e627",
  "device": "Desktop",
  "sdk": "Windows 10",
  "app_version": "5.8.3 x64",
  "lang_pack": "tdesktop",
  "system_lang_pack": "en-US",
  "first_name": "Jane",
  "last_name": "Doe",
  "username": "jane",
  "twoFA": "${TWO_FA}",
  "spamblock": "free",
  "register_time": 1700000000,
  "extra_key": {"nested": [1, 2.50, 12345678901234567890]}
}
`;

function entryOf(entries: readonly LibraryEntry[], name: string): LibraryEntry {
  const e = entries.find((x) => x.name === name);
  if (!e) throw new Error(`${name} is not listed (have ${entries.map((x) => x.name).join(', ')})`);
  return e;
}

describe('the sidecar codec', () => {
  it('reads the account shops’ keys, a 64-bit JSON number exactly, and keeps the rest as written', () => {
    const s = parseSidecar(SHOP_SIDECAR, 'jane.json');
    expect(s.account).toEqual({ userId: BigInt(BIG_ID), phone: '15550001111', username: 'jane', firstName: 'Jane', lastName: 'Doe' });
    expect(s.client).toMatchObject({ apiId: 2040, apiHash: 'b18441a1ff607e10a989891a5462e627', device: 'Desktop', systemVersion: 'Windows 10', appVersion: '5.8.3 x64', langPack: 'tdesktop', systemLangPack: 'en-US' });
    expect(s.twoFa).toBe(TWO_FA);
    expect(s.otherKeys).toEqual(['extra_key']);
    expect(s.warnings).toEqual([]);
    // Written beside another session: only session_file changes; every key, its order and every
    // number as written stay (nested objects may be laid out on more lines).
    const copy = encodeSidecar(s, 'jane.pyrogram.session');
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    expect(squeeze(copy)).toBe(squeeze(SHOP_SIDECAR.replace('"session_file": "jane"', '"session_file": "jane.pyrogram"')));
    expect(copy.split('\n').slice(0, 4).join('\n')).toBe(`{\n  "session_file": "jane.pyrogram",\n  "phone": "15550001111",\n  "user_id": ${BIG_ID},`);
  });

  it('reads the other spellings (id, api_id, device_model, system_version, 2fa) and ids written as strings', () => {
    const s = parseSidecar(`{"id":"${BIG_ID}","api_id":"6","device_model":"PC","system_version":"Linux","2fa":"x","is_premium":true,"session_file":"a.session"}`, 'a.json');
    expect(s.account.userId).toBe(BigInt(BIG_ID));
    expect(s.account.premium).toBe(true);
    expect(s.client).toMatchObject({ apiId: 6, device: 'PC', systemVersion: 'Linux' });
    expect(s.twoFa).toBe('x');
    expect(JSON.parse(encodeSidecar(s, 'b.session')).session_file).toBe('b.session');
    for (const k of ['twofa', 'password', 'TwoFA']) expect(parseSidecar(`{"${k}":"p"}`, 'x.json').twoFa).toBe('p');
  });

  it('reads opentele2’s export: "twoFA": null is no password, "+" phones normalised', () => {
    const s = parseSidecar(
      '{"app_id": 2040, "app_hash": "b18441a1ff607e10a989891a5462e627", "device": "Desktop", "sdk": "Windows 11", "app_version": "5.12.3 x64", "system_lang_pack": "en-US", "system_lang_code": "en-US", "lang_pack": "tdesktop", "lang_code": "en", "session_file": "my_account", "twoFA": null, "id": 123456789, "phone": "+1234567890", "username": "myuser", "is_premium": false}',
      'my_account.json',
    );
    expect(s.twoFa).toBeUndefined();
    expect(s.account).toEqual({ userId: 123456789n, phone: '1234567890', username: 'myuser', premium: false });
    expect(s.client).toEqual({ apiId: 2040, apiHash: 'b18441a1ff607e10a989891a5462e627', device: 'Desktop', systemVersion: 'Windows 11', appVersion: '5.12.3 x64', langPack: 'tdesktop', langCode: 'en', systemLangPack: 'en-US', systemLangCode: 'en-US' });
    expect([s.otherKeys, s.warnings]).toEqual([[], []]);
  });

  it('names values it cannot read instead of guessing, and refuses what is not one JSON object', () => {
    const s = parseSidecar('{"user_id":"jane","app_id":-3,"phone":5551234}', 'x.json');
    expect(s.account.userId).toBeUndefined();
    expect(s.client.apiId).toBeUndefined();
    expect(s.account.phone).toBe('5551234');
    expect(s.warnings).toEqual(['x.json: "user_id" is not a number we can read', 'x.json: "app_id" is not a number we can read']);
    expect(() => parseSidecar('[1,2]', 'x.json')).toThrow(/x\.json: a sidecar is one JSON object/);
    expect(() => parseSidecar('{"a":', 'x.json')).toThrow(/x\.json: not valid JSON/);
  });

  it('never puts the 2FA password into an error', () => {
    const bad = `{"twoFA":"${TWO_FA}", oops}`;
    const message = (() => {
      try {
        parseSidecar(bad, 'x.json');
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/^x\.json: not valid JSON/);
    expect(message).not.toContain(TWO_FA);
  });
});

describe('who a session is', () => {
  it('takes each fact from the session, then the peer cache, then the sidecar, and says where from', () => {
    const side = parseSidecar(SHOP_SIDECAR, 'jane.json');
    const a = identify({ userId: null, isBot: null, self: { kind: 'user', name: 'Jane Q', username: null, phone: '1999' }, sidecar: { name: 'jane.json', sidecar: side } });
    expect(a).toEqual({
      userId: BIG_ID,
      isBot: false,
      name: 'Jane Q',
      username: 'jane',
      phone: '1999',
      from: { userId: 'jane.json', isBot: 'peer cache', name: 'peer cache', username: 'jane.json', phone: 'peer cache' },
    });
    expect(identify({ userId: 5n, isBot: true })).toMatchObject({ userId: '5', isBot: true, from: { userId: 'session', isBot: 'session', name: null } });
    expect(identify({ userId: null, isBot: null })).toBeNull();
  });

  it('finds duplicates by home-DC key, and only those', () => {
    const d = findDuplicates([
      { path: 'a', authKeyId: 'k1' },
      { path: 'b', authKeyId: 'k2' },
      { path: 'c', authKeyId: 'k1' },
      { path: 'd', authKeyId: null },
      { path: 'e', authKeyId: 'k1' },
    ]);
    expect([...d]).toEqual([
      ['a', { others: ['c', 'e'], count: 2 }],
      ['c', { others: ['a', 'e'], count: 2 }],
      ['e', { others: ['a', 'c'], count: 2 }],
    ]);
  });

  it('names at most MAX_NAMED_DUPLICATES others and counts them all', () => {
    const many = Array.from({ length: MAX_NAMED_DUPLICATES + 10 }, (_, i) => ({ path: `p${i}`, authKeyId: 'k' }));
    const d = findDuplicates(many);
    expect(d.get('p0')).toEqual({ others: many.slice(1, MAX_NAMED_DUPLICATES + 1).map((x) => x.path), count: MAX_NAMED_DUPLICATES + 9 });
    expect(d.get('p59')!.others).toHaveLength(MAX_NAMED_DUPLICATES);
  });
});

describe('a folder of sessions with sidecars', () => {
  let entries: LibraryEntry[];
  let library: Library;
  const jane = join(lib, 'jane.session');
  beforeAll(async () => {
    mkdirSync(join(lib, 'other'), { recursive: true });
    writeOutput(telethonSqlite, telethon(1, { id: BigInt(BIG_ID), name: 'Jane Doe', username: 'jane_tg', phone: '15550001111' }), jane);
    writeFileSync(join(lib, 'jane.json'), SHOP_SIDECAR);
    // The same login converted to Pyrogram (user id and api_id from the sidecar), sidecar copied.
    const side = parseSidecar(SHOP_SIDECAR, 'jane.json');
    const c = prepareConversion(telethon(1), 'telethon', 'pyrogram', { isBot: false }, { name: 'jane.json', sidecar: side });
    writeConverted(pyrogramSqlite, c.session, join(lib, 'other', 'jane.pyrogram.session'), { sidecar: { name: 'jane.json', sidecar: side } });
    // A sidecar that contradicts its session; one that is not JSON; one beside no session; a stray .json.
    writeOutput(telethonSqlite, { ...telethon(2), user: { id: 1000n } }, join(lib, 'liar.session'));
    writeFileSync(join(lib, 'liar.json'), '{"id": 2000, "dc_id": 4}');
    writeOutput(telethonSqlite, telethon(3), join(lib, 'broken.session'));
    writeFileSync(join(lib, 'broken.json'), '{"id": 3000,');
    writeFileSync(join(lib, 'package.json'), '{"name": "not a session"}');
    writeFileSync(join(lib, 'other', 'stray.json'), '{"user_id": 1}');
    library = new Library(data, () => undefined, false);
    library.add([lib]);
    await library.scan();
    entries = library.list(183).entries;
  });
  afterAll(() => library.close());

  it('lists each session once, with its sidecar; sidecars and stray .json files are never entries', () => {
    expect(entries.map((e) => e.name).sort()).toEqual(['broken.session', 'jane.pyrogram.session', 'jane.session', 'liar.session']);
    expect(entryOf(entries, 'jane.session').sidecar).toMatchObject({ path: join(lib, 'jane.json'), userId: BIG_ID, apiId: 2040, has2fa: true, apiHash: 'b184••••••••27', otherKeys: ['extra_key'] });
    expect(entryOf(entries, 'jane.pyrogram.session').sidecar?.path).toBe(join(lib, 'other', 'jane.pyrogram.json'));
  });

  it('knows whose account each is and where each fact came from', () => {
    expect(entryOf(entries, 'jane.session').account).toEqual({
      userId: BIG_ID,
      isBot: false,
      name: 'Jane Doe',
      username: 'jane_tg',
      phone: '15550001111',
      from: { userId: 'jane.json', isBot: 'peer cache', name: 'peer cache', username: 'peer cache', phone: 'peer cache' },
    });
    // The converted file stores the id itself now; its name comes from the copied sidecar.
    expect(entryOf(entries, 'jane.pyrogram.session').account).toMatchObject({
      userId: BIG_ID,
      name: 'Jane Doe',
      from: { userId: 'session', name: 'jane.pyrogram.json' },
    });
  });

  it('warns where a sidecar contradicts its session or does not read, and still lists the session', () => {
    const liar = entryOf(entries, 'liar.session');
    expect(liar.warnings).toEqual(expect.arrayContaining(['liar.json names user 2000, but the session is user 1000', "liar.json names DC 4, but the session's home DC is 2"]));
    expect(liar.sidecar?.warnings).toEqual(liar.warnings.filter((w) => w.startsWith('liar.json')));
    expect(liar.account?.userId).toBe('1000');
    const broken = entryOf(entries, 'broken.session');
    expect(broken.sidecar).toBeNull();
    expect(broken.warnings.join('\n')).toMatch(/broken\.json: not valid JSON .*not read as this session's sidecar/);
  });

  it('marks the Telethon file and the Pyrogram file made from it as one login, across formats', () => {
    const a = entryOf(entries, 'jane.session');
    const b = entryOf(entries, 'jane.pyrogram.session');
    expect(a.authKeyId).toBe(authKeyId(fakeKey(1)));
    expect(a.duplicates).toEqual([b.path]);
    expect(b.duplicates).toEqual([a.path]);
    expect(a.warnings.some((w) => w.includes('AUTH_KEY_DUPLICATED') && w.includes(b.path))).toBe(true);
    expect(entryOf(entries, 'liar.session').duplicates).toEqual([]);
  });

  it('keeps labels with the login through a rename and a conversion', async () => {
    library.labels.set(authKeyId(fakeKey(2))!, { labels: ['farm', 'VIP'], note: 'bought in May' });
    renameSync(join(lib, 'liar.session'), join(lib, 'renamed.session'));
    writeOutput(pyrogramSqlite, prepareConversion({ ...telethon(2), user: { id: 1000n, isBot: false } }, 'telethon', 'pyrogram', { apiId: 1 }).session, join(lib, 'other', 'liar-copy.session'));
    await library.scan();
    const now = library.list(183).entries;
    for (const name of ['renamed.session', 'liar-copy.session']) expect(entryOf(now, name)).toMatchObject({ labels: ['farm', 'VIP'], note: 'bought in May' });
    expect(entryOf(now, 'jane.session').labels).toEqual([]);
  });

  it('never carries the 2FA password in what the library lists', () => {
    expect(JSON.stringify(library.list(183))).not.toContain(TWO_FA);
  });
});

describe('the label store', () => {
  it('adds, removes case-insensitively, one spelling per label, and clears notes', () => {
    const store = LabelStore.open(join(dir, 'labels-only'));
    try {
      const k = '0123456789abcdef';
      expect(store.change(k, { add: ['VIP', ' farm  team ', 'vip'], note: 'n' })).toEqual({ labels: ['farm team', 'VIP'], note: 'n' });
      expect(store.change(k, { remove: ['vip'], note: null })).toEqual({ labels: ['farm team'], note: null });
      expect(() => store.change(k, { add: [''] })).toThrow(/cannot be empty/);
      expect(() => store.change(k, { add: ['x'.repeat(65)] })).toThrow(/at most 64/);
      expect(() => store.change('not-a-key', { add: ['a'] })).toThrow(/not an auth key fingerprint/);
      expect(store.merge(k, { labels: ['restored'], note: 'from backup' })).toEqual({ labels: ['farm team', 'restored'], note: 'from backup' });
      expect(store.merge(k, { labels: [], note: 'older' }).note).toBe('from backup');
    } finally {
      store.close();
    }
  });
});

describe('the CLI over sidecars', () => {
  const cli = join(dir, 'cli');
  const acct = join(cli, 'acct.session');
  beforeAll(() => {
    mkdirSync(cli, { recursive: true });
    writeOutput(telethonSqlite, telethon(9, { id: BigInt(BIG_ID), name: 'Jane Doe', username: 'jane', phone: '15550001111' }), acct);
    writeFileSync(join(cli, 'acct.json'), SHOP_SIDECAR.replace('"session_file": "jane"', '"session_file": "acct"'));
  });

  it('inspect --json adds the sidecar (no 2FA, no app hash) and the account', async () => {
    const r = await run(['inspect', acct, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.sidecar).toEqual({
      path: join(cli, 'acct.json'),
      userId: BIG_ID,
      phone: '15550001111',
      username: 'jane',
      firstName: 'Jane',
      lastName: 'Doe',
      apiId: 2040,
      device: 'Desktop',
      systemVersion: 'Windows 10',
      appVersion: '5.8.3 x64',
      langPack: 'tdesktop',
      systemLangPack: 'en-US',
      has2fa: true,
      premium: null,
      otherKeys: ['extra_key'],
    });
    expect(j.account).toMatchObject({ userId: BIG_ID, name: 'Jane Doe', from: { userId: 'acct.json', name: 'peer cache' } });
    const plain = await run(['inspect', acct]);
    expect(plain.out).toMatch(/user id {3}9007199254740993 {2}\(from acct\.json\)/);
    expect(plain.out).toContain('2FA       stored (never shown here)');
    for (const out of [r.out, plain.out]) {
      expect(out).not.toContain(TWO_FA);
      expect(out).not.toContain('b18441a1ff607e10a989891a5462e627');
    }
    const str = await run(['inspect', '--json', '-']);
    expect(str.code).toBe(1);
  });

  it('convert takes the user id and api_id from the sidecar, names it, and writes a copy beside the output', async () => {
    const out = join(cli, 'acct.pyro.session');
    const r = await run(['convert', acct, '--to', 'pyrogram', '-o', out, '--user']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`given: user id ${BIG_ID} from acct.json`);
    expect(r.out).toContain('given: api_id 2040 from acct.json');
    expect(r.out).toContain(`sidecar: ${join(cli, 'acct.pyro.json')} (a copy of acct.json)`);
    // The peers a Pyrogram file keeps are carried, not reported lost.
    expect(r.out).not.toMatch(/peers? dropped/);
    const copy = readFileSync(join(cli, 'acct.pyro.json'), 'utf8');
    expect(copy).toContain('"session_file": "acct.pyro"');
    expect(copy).toContain(`"user_id": ${BIG_ID},`);
    expect(r.out).not.toContain(TWO_FA);
  });

  it('refuses before writing anything when the sidecar copy would overwrite a file, and --no-sidecar skips it', async () => {
    const out = join(cli, 'taken.session');
    writeFileSync(sidecarPathFor(out), 'mine');
    const r = await run(['convert', acct, '--to', 'telethon', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/taken\.json already exists/);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(sidecarPathFor(out), 'utf8')).toBe('mine');
    const skip = await run(['convert', acct, '--to', 'telethon', '-o', join(cli, 'bare.session'), '--no-sidecar']);
    expect(skip.code).toBe(0);
    expect(existsSync(join(cli, 'bare.session'))).toBe(true);
    expect(existsSync(join(cli, 'bare.json'))).toBe(false);
  });

  it('label adds, removes and notes by login; list shows the account grouped, with labels and duplicates', async () => {
    expect((await run(['label', acct, '--add', 'vip', '--add', 'shop A', '--note', 'from the May batch'])).out).toContain('labels  shop A, vip');
    expect((await run(['label', acct, '--remove', 'VIP'])).out).toContain('labels  shop A');
    expect((await run(['label', acct, '--note', 'x', '--clear-note'])).code).toBe(1);
    const human = await run(['list', cli]);
    expect(human.code).toBe(0);
    expect(human.out.split('\n')[0]).toBe(`Jane Doe @jane  (user ${BIG_ID})`);
    expect(human.out).toContain('labels: shop A');
    const r = await run(['list', cli, '--json']);
    const j = JSON.parse(r.out) as { entries: Record<string, unknown>[]; accounts: { userId: string; sessions: string[] }[] };
    const first = j.entries.find((e) => e.path === acct)!;
    expect(first).toMatchObject({
      format: 'telethon',
      authKeyId: authKeyId(fakeKey(9)),
      sidecar: join(cli, 'acct.json'),
      labels: ['shop A'],
      note: 'from the May batch',
      likelyExpired: false,
      account: { userId: BIG_ID, isBot: false, name: 'Jane Doe', username: 'jane', phone: '15550001111' },
    });
    // The converted copies are the same login: each names the others.
    expect((first.duplicates as string[]).sort()).toEqual([join(cli, 'acct.pyro.session'), join(cli, 'bare.session')]);
    expect(j.accounts).toEqual([{ userId: BIG_ID, sessions: expect.arrayContaining([acct, join(cli, 'acct.pyro.session'), join(cli, 'bare.session')]) }]);
    for (const out of [human.out, r.out]) expect(out).not.toContain(TWO_FA);
  });

  it('backup carries the labels of the logins backed up, and restore brings them back', async () => {
    process.env.SESSIONDECK_PASSPHRASE = 'correct horse battery';
    try {
      await run(['label', acct, '--add', 'backed up']);
      const archive = join(dir, 'cli.tar.age');
      expect((await run(['backup', cli, '-o', archive])).code).toBe(0);
      await run(['label', acct, '--remove', 'backed up', '--remove', 'shop A', '--clear-note']);
      const dry = await run(['restore', archive, '-d', join(dir, 'cli-restored'), '--dry-run']);
      expect(dry.out).toContain('labels    1 login(s) would get their labels and notes back');
      expect((await run(['label', acct])).out).toContain('labels  (none)');
      const r = await run(['restore', archive, '-d', join(dir, 'cli-restored')]);
      expect(r.out.split('\n')[0]).toBe(`create    ${join(dir, 'cli-restored', 'cli')}`);
      expect((await run(['label', acct])).out).toContain('labels  backed up, shop A');
      expect(readFileSync(join(dir, 'cli-restored', 'cli', 'acct.json'), 'utf8')).toContain(TWO_FA);
    } finally {
      delete process.env.SESSIONDECK_PASSPHRASE;
    }
  });

  it('list and label fail in one line on a missing path', async () => {
    const r = await run(['list', join(cli, 'nope')]);
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toMatch(/^sessiondeck list: .*nope: no such file or folder$/);
    expect((await run(['label', join(cli, 'nope.session'), '--add', 'x'])).err).toMatch(/^sessiondeck label: .*no such file or folder$/);
  });
});
