/**
 * Reading Telegram Desktop tdata: the 5.8.3 fixtures (from mtcute's tests) field by field
 * against expected.json, the passcode paths, and every way a file can be broken: cut at every
 * offset (as stored, and inside a valid container, and inside a valid encrypted block), a
 * wrong MD5, damaged variants, an unknown settings block, a newer Desktop, and a file that a
 * running Desktop is still writing.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../electron/core/bytes.js';
import { decodeTdf, encodeTdf } from '../../electron/core/formats/tdata/container.js';
import { aesIge, decryptLocal, encryptLocal, oldMtpAesKeyIv, passcodeKey } from '../../electron/core/formats/tdata/crypto.js';
import { isTdataFolder, readTdata, writeTdata } from '../../electron/core/formats/tdata/index.js';
import { encodeKeyData, lockLocalKey, parseKeyData, readAccountList, unlockLocalKey, writeAccountList } from '../../electron/core/formats/tdata/key-data.js';
import { DBI_KEY, DBI_USER, encodeMtpData, parseMtpData } from '../../electron/core/formats/tdata/mtp-auth.js';
import { dataNameOf, filePartOf } from '../../electron/core/formats/tdata/names.js';
import { readQBytes, writeQBytes } from '../../electron/core/formats/tdata/qt-stream.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { codeOf } from '../helpers/errors.js';
import { tempDir } from '../helpers/format-io.js';
import { fakeKey } from '../helpers/sessions.js';
import { sessionErrorOf } from '../helpers/errors.js';
import { TDATA_FIXTURES as FIXTURES, tdataSession as session } from '../helpers/tdata-sessions.js';

interface Expected {
  passcode: string | null;
  active?: number;
  accounts: { userId: string; mainDc: number; keys: Record<string, string> }[];
}
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expected>;

const work = tempDir('sd-tdata-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = (name = 'case') => join(work, `${name}-${n++}`);

/** A copy of a fixture (or any folder) to damage. */
function copyOf(src: string): string {
  const dir = fresh();
  cpSync(src, dir, { recursive: true });
  return dir;
}


const NO_RETRY = { retries: 0 };


/** The local key of a tdata without a passcode. */
function localKeyOf(dir: string, passcode = ''): Uint8Array {
  const kd = parseKeyData(decodeTdf(readFileSync(join(dir, 'key_datas')), 'key_datas').payload, 'key_datas');
  return unlockLocalKey(kd, passcode, 'key_datas')!;
}

/** Replaces the decrypted contents of an encrypted file (an account's settings file, a config). */
function rewriteEncrypted(path: string, localKey: Uint8Array, edit: (plain: Uint8Array) => Uint8Array, version?: number): void {
  const file = decodeTdf(readFileSync(path), path);
  const plain = decryptLocal(readQBytes(new ByteReader(file.payload), 'x'), localKey, path)!;
  const w = new ByteWriter();
  writeQBytes(w, encryptLocal(edit(new Uint8Array(plain)), localKey));
  writeFileSync(path, encodeTdf(w.finish(), version ?? file.version));
}

function rewrapPayload(path: string, edit: (payload: Uint8Array) => Uint8Array, version?: number): void {
  const file = decodeTdf(readFileSync(path), path);
  writeFileSync(path, encodeTdf(edit(new Uint8Array(file.payload)), version ?? file.version));
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const u32be = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return new Uint8Array(b);
};

describe('tdata names', () => {
  it('names account files by MD5 of the data name, nibbles swapped', () => {
    expect(filePartOf('data')).toBe('D877F783D5D3EF8C');
    expect(filePartOf('data#2')).toBe('A7FDF864FBC10B77');
    expect([0, 1, 2, 5].map((i) => dataNameOf(i))).toEqual(['data', 'data#2', 'data#3', 'data#6']);
    // Desktop removes '#' from a -key value before numbering.
    expect(dataNameOf(1, 'my#key')).toBe('mykey#2');
    // The fixtures hold exactly those files.
    expect(readdirSync(join(FIXTURES, 'multiacc')).sort()).toEqual(['A7FDF864FBC10B77s', 'D877F783D5D3EF8Cs', 'key_datas']);
  });
});

describe('tdata crypto', () => {
  it('AES-IGE inverts itself and chains blocks (a changed block changes every later one)', () => {
    const key = new Uint8Array(32).map((_, i) => i);
    const iv = new Uint8Array(32).map((_, i) => 200 - i);
    const plain = new Uint8Array(64).map((_, i) => i * 7);
    const enc = aesIge(plain, key, iv, true);
    expect(Buffer.from(aesIge(enc, key, iv, false))).toEqual(Buffer.from(plain));
    const changed = new Uint8Array(plain);
    changed[20]! ^= 1;
    const enc2 = aesIge(changed, key, iv, true);
    expect(Buffer.from(enc2.subarray(0, 16))).toEqual(Buffer.from(enc.subarray(0, 16)));
    for (const at of [16, 32, 48]) expect(Buffer.from(enc2.subarray(at, at + 16))).not.toEqual(Buffer.from(enc.subarray(at, at + 16)));
    expect(codeOf(() => aesIge(new Uint8Array(15), key, iv, true))).toBe('malformed');
  });

  it('derives the passcode key with 1 round without a passcode and 100,000 with one', () => {
    const salt = new Uint8Array(32).fill(3);
    const none = passcodeKey('', salt);
    expect(none.length).toBe(256);
    expect(Buffer.from(passcodeKey('', salt))).toEqual(Buffer.from(none));
    const t0 = performance.now();
    const withPass = passcodeKey('123123', salt);
    expect(performance.now() - t0).toBeGreaterThan(5); // 100,000 rounds cannot be free
    expect(Buffer.from(withPass)).not.toEqual(Buffer.from(none));
    expect(Buffer.from(passcodeKey('123124', salt))).not.toEqual(Buffer.from(withPass));
  });

  it('encrypts blocks Desktop decrypts: length, padding, SHA-1 msg key; a wrong key or damage is detected', () => {
    const key = fakeKey(9);
    for (const len of [0, 1, 11, 12, 13, 100, 256]) {
      const data = new Uint8Array(len).map((_, i) => i);
      const enc = encryptLocal(data, key);
      expect(enc.length).toBe(16 + Math.ceil((len + 4) / 16) * 16);
      expect(Buffer.from(decryptLocal(enc, key, 'x')!)).toEqual(Buffer.from(data));
      expect(decryptLocal(enc, fakeKey(10), 'x')).toBeUndefined();
      const bad = new Uint8Array(enc);
      bad[enc.length - 1]! ^= 0x80;
      expect(decryptLocal(bad, key, 'x')).toBeUndefined();
    }
    expect(codeOf(() => decryptLocal(new Uint8Array(16), key, 'x'))).toBe('malformed');
    expect(codeOf(() => decryptLocal(new Uint8Array(40), key, 'x'))).toBe('malformed');
    // A length field beyond its block, under a valid msg key: malformed, as Desktop refuses it.
    const plain = new Uint8Array(32);
    new DataView(plain.buffer).setUint32(0, 200, true);
    const msgKey = new Uint8Array(createHash('sha1').update(plain).digest().subarray(0, 16));
    const { key: k, iv } = oldMtpAesKeyIv(key, msgKey);
    expect(codeOf(() => decryptLocal(concat(msgKey, aesIge(plain, k, iv, true)), key, 'x'))).toBe('malformed');
  });
});

describe('tdata fixtures (Telegram Desktop 5.8.3)', () => {
  it.each(Object.keys(expected))('%s: every account, user id, main DC and every DC key', (name) => {
    const want = expected[name]!;
    const dir = join(FIXTURES, name);
    expect(isTdataFolder(dir)).toBe(true);
    const t = readTdata(dir, want.passcode === null ? {} : { passcode: want.passcode });
    expect(t.appVersion).toBe(5008003);
    expect(t.accounts.map((a) => a.index)).toEqual(want.accounts.map((_, i) => i + 1));
    expect(t.accounts.map((a) => a.dataName)).toEqual(want.accounts.map((_, i) => dataNameOf(i)));
    t.accounts.forEach((a, i) => {
      const w = want.accounts[i]!;
      expect(a.session.user).toEqual({ id: BigInt(w.userId) });
      expect(a.session.homeDc).toBe(w.mainDc);
      expect(a.session.testMode).toBe(false);
      const keys = Object.fromEntries(a.session.dcs.map((d) => [String(d.id), authKeyId(d.authKey)]));
      expect(keys).toEqual(w.keys);
      for (const d of a.session.dcs) {
        expect(d.authKey!.length).toBe(256);
        expect(d.port).toBe(443);
        expect(d.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      }
      expect(a.session.dcs.find((d) => d.id === 1)!.address).toBe('149.154.175.53');
    });
    // expected.json's `active` is Desktop's 0-based account index; ours counts from 1.
    expect(t.active).toBe((want.active ?? 0) + 1);
    // The fixtures were copied without the account folders Desktop also needs.
    expect(t.warnings).toEqual([]);
    t.accounts.forEach((a, i) => expect(a.warnings).toEqual([expect.stringContaining(`${filePartOf(dataNameOf(i))}/maps file`)]));
  });

  it('multiacc: the stored account list is [0, 1] with index 1 active', () => {
    const dir = join(FIXTURES, 'multiacc');
    const kd = parseKeyData(decodeTdf(readFileSync(join(dir, 'key_datas')), 'k').payload, 'k');
    expect(readAccountList(kd, localKeyOf(dir), 'k')).toEqual({ indices: [0, 1], active: 1 });
  });

  it('passcode: none given asks for it, a wrong one is one line naming the folder', () => {
    const dir = join(FIXTURES, 'passcode');
    const missing = sessionErrorOf(() => readTdata(dir));
    expect(missing.code).toBe('needs-passcode');
    expect(sessionErrorOf(() => readTdata(dir, { passcode: '' })).code).toBe('needs-passcode');
    const wrong = sessionErrorOf(() => readTdata(dir, { passcode: '123124' }));
    expect(wrong.code).toBe('bad-passcode');
    expect(wrong.message).toBe(`wrong passcode for tdata ${dir}`);
    expect(readTdata(dir, { passcode: '123123' }).accounts).toHaveLength(1);
  });

  it('a passcode given for a tdata that has none reads with a warning', () => {
    const t = readTdata(join(FIXTURES, 'simple'), { passcode: 'whatever' });
    expect(t.accounts[0]!.session.user!.id).toBe(1787945512n);
    expect(t.warnings).toContain('the tdata has no local passcode: the one given was not needed');
  });

  it('reading never writes: every file, name and time stays as it was', () => {
    const dir = copyOf(join(FIXTURES, 'multiacc'));
    const snapshot = () => readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs, readFileSync(join(dir, f)).toString('hex')]);
    const before = snapshot();
    readTdata(dir);
    readTdata(dir, { passcode: 'x' });
    expect(snapshot()).toEqual(before);
    expect(readdirSync(work).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('isTdataFolder', () => {
  it('goes by content: key_data variants with the TDF$ magic, whatever the folder is called', () => {
    const renamed = fresh('Some Folder');
    cpSync(join(FIXTURES, 'simple'), renamed, { recursive: true });
    expect(isTdataFolder(renamed)).toBe(true);
    const legacy = fresh();
    mkdirSync(legacy);
    writeFileSync(join(legacy, 'key_data1'), readFileSync(join(FIXTURES, 'simple', 'key_datas')));
    expect(isTdataFolder(legacy)).toBe(true);
    const empty = fresh();
    mkdirSync(empty);
    expect(isTdataFolder(empty)).toBe(false);
    const junk = fresh();
    mkdirSync(junk);
    writeFileSync(join(junk, 'key_datas'), 'SQLite format 3\0');
    expect(isTdataFolder(junk)).toBe(false);
    const dirNamed = fresh();
    mkdirSync(join(dirNamed, 'key_datas'), { recursive: true });
    expect(isTdataFolder(dirNamed)).toBe(false);
    expect(isTdataFolder(join(FIXTURES, 'simple', 'key_datas'))).toBe(false);
    expect(isTdataFolder(join(work, 'nowhere'))).toBe(false);
  });

  it('a folder without key_datas is not-found; an old single-account tdata is unsupported', () => {
    const empty = fresh();
    mkdirSync(empty);
    expect(codeOf(() => readTdata(empty))).toBe('not-found');
    const old = fresh();
    mkdirSync(join(old, 'D877F783D5D3EF8C'), { recursive: true });
    writeFileSync(join(old, 'D877F783D5D3EF8C', 'map0'), encodeTdf(new Uint8Array(12), 1008000));
    expect(sessionErrorOf(() => readTdata(old)).message).toMatch(/before 2\.2/);
    expect(codeOf(() => readTdata(old))).toBe('unsupported');
  });
});

describe('tdata damage is a typed error', () => {
  const files: [string, string][] = [
    ['key_datas', 'key_datas'],
    ['account settings', 'D877F783D5D3EF8Cs'],
    ['second account settings', 'A7FDF864FBC10B77s'],
  ];

  it.each(files)('%s cut at every offset', (_what, file) => {
    const dir = copyOf(join(FIXTURES, 'multiacc'));
    const whole = readFileSync(join(dir, file));
    const codes = new Set<string>();
    for (let cut = 0; cut < whole.length; cut++) {
      writeFileSync(join(dir, file), whole.subarray(0, cut));
      const e = sessionErrorOf(() => readTdata(dir, NO_RETRY));
      expect(['truncated', 'malformed']).toContain(e.code);
      expect(e.message).not.toContain('\n');
      codes.add(e.code);
    }
    // Short files are truncated; longer ones fail their MD5.
    expect([...codes].sort()).toEqual(['malformed', 'truncated']);
    writeFileSync(join(dir, file), whole);
    expect(readTdata(dir).accounts).toHaveLength(2);
  });

  it.each(files)('%s: its payload cut at every offset inside a valid container', (_what, file) => {
    const dir = copyOf(join(FIXTURES, 'multiacc'));
    const whole = readFileSync(join(dir, file));
    const payload = decodeTdf(whole, file).payload;
    for (let cut = 0; cut < payload.length; cut++) {
      writeFileSync(join(dir, file), encodeTdf(payload.subarray(0, cut), 5008003));
      const e = sessionErrorOf(() => readTdata(dir, NO_RETRY));
      // A cut QByteArray is truncated; a cut encrypted block has a size that is no longer whole blocks.
      expect(['truncated', 'malformed', 'needs-passcode']).toContain(e.code);
    }
  });

  it('the decrypted account settings cut at every offset, re-encrypted validly', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    const key = localKeyOf(dir);
    const path = join(dir, 'D877F783D5D3EF8Cs');
    const whole = readFileSync(path);
    const plain = decryptLocal(readQBytes(new ByteReader(decodeTdf(whole, 'x').payload), 'x'), key, 'x')!;
    const codes: string[] = [];
    for (let cut = 0; cut < plain.length; cut++) {
      writeFileSync(path, whole);
      rewriteEncrypted(path, key, () => plain.slice(0, cut));
      codes.push(codeOf(() => readTdata(dir, NO_RETRY)));
    }
    // Empty: no authorization in it; any other cut ends inside a field.
    expect(codes).toEqual(['malformed', ...Array<string>(plain.length - 1).fill('truncated')]);
  });

  it('the decrypted account list cut at every offset', () => {
    const dir = copyOf(join(FIXTURES, 'multiacc'));
    const key = localKeyOf(dir);
    const path = join(dir, 'key_datas');
    const kd = parseKeyData(decodeTdf(readFileSync(path), 'k').payload, 'k');
    const list = decryptLocal(kd.infoEncrypted, key, 'k')!;
    const withList = (bytes: Uint8Array) => writeFileSync(path, encodeTdf(encodeKeyData({ ...kd, infoEncrypted: encryptLocal(bytes, key) }), 5008003));
    expect(list.length).toBe(16);
    const codes: string[] = [];
    for (let cut = 0; cut < list.length; cut++) {
      withList(list.slice(0, cut));
      codes.push(codeOf(() => readTdata(dir, NO_RETRY)));
    }
    // count + 2 indices without the active index is a list Desktop reads (the first account active).
    expect(codes).toEqual([...Array<string>(12).fill('truncated'), 'no error', 'truncated', 'truncated', 'truncated']);
    withList(list.slice(0, 12));
    expect(readTdata(dir).active).toBe(1);
  });

  it('a wrong MD5 is a typed error naming the file', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    const path = join(dir, 'D877F783D5D3EF8Cs');
    const b = readFileSync(path);
    b[b.length - 1]! ^= 1;
    writeFileSync(path, b);
    const e = sessionErrorOf(() => readTdata(dir, NO_RETRY));
    expect(e.code).toBe('malformed');
    expect(e.message).toBe(`${path}: MD5 does not match (the file is damaged or cut short)`);
    // A flipped payload byte fails the same check.
    const k = join(dir, 'key_datas');
    const kb = readFileSync(k);
    kb[40]! ^= 1;
    writeFileSync(k, kb);
    expect(sessionErrorOf(() => readTdata(dir, NO_RETRY)).message).toContain('key_datas: MD5 does not match');
  });

  it('bad magic, a bad salt size, a bad account count are typed', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    const path = join(dir, 'key_datas');
    const whole = readFileSync(path);
    writeFileSync(path, Buffer.concat([Buffer.from('TDF%'), whole.subarray(4)]));
    expect(codeOf(() => readTdata(dir, NO_RETRY))).toBe('malformed');
    writeFileSync(path, whole);
    rewrapPayload(path, (p) => {
      const kd = parseKeyData(p, 'k');
      return encodeKeyData({ ...kd, salt: kd.salt.subarray(0, 31) });
    });
    expect(sessionErrorOf(() => readTdata(dir)).message).toMatch(/salt of 31 bytes/);
    const key = localKeyOf(copyOf(join(FIXTURES, 'simple')));
    for (const count of [0, -1, 7]) {
      writeFileSync(path, whole);
      rewrapPayload(path, (p) => {
        const kd = parseKeyData(p, 'k');
        const list = concat(u32be(count), u32be(0), u32be(0));
        return encodeKeyData({ ...kd, infoEncrypted: encryptLocal(list, key) });
      });
      expect(sessionErrorOf(() => readTdata(dir)).message).toMatch(new RegExp(`account count of ${count}`));
    }
  });

  it('an account file that does not decrypt with the local key is malformed, not a passcode error', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    rewriteEncrypted(join(dir, 'D877F783D5D3EF8Cs'), localKeyOf(dir), (p) => p);
    rewrapPayload(join(dir, 'D877F783D5D3EF8Cs'), (p) => {
      const enc = readQBytes(new ByteReader(p), 'x');
      const w = new ByteWriter();
      writeQBytes(w, encryptLocal(decryptLocal(enc, localKeyOf(dir), 'x')!, fakeKey(1)));
      return w.finish();
    });
    const e = sessionErrorOf(() => readTdata(dir));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/does not decrypt with the tdata's local key/);
  });
});

describe('tdata variants, versions and blocks', () => {
  it('takes the valid variant with the newest version; a damaged one is a warning', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    const good = readFileSync(join(dir, 'key_datas'));
    renameSync(join(dir, 'key_datas'), join(dir, 'key_data0'));
    // key_data1: the same content from an older Desktop.
    writeFileSync(join(dir, 'key_data1'), encodeTdf(decodeTdf(good, 'k').payload, 4000000));
    expect(readTdata(dir).warnings.filter((w) => w.includes('key_data'))).toEqual([]);
    // The newer one damaged: the older is read, with a warning.
    const bad = Buffer.from(good);
    bad[50]! ^= 1;
    writeFileSync(join(dir, 'key_data0'), bad);
    const t = readTdata(dir, NO_RETRY);
    expect(t.appVersion).toBe(4000000);
    expect(t.warnings).toContain('key_data0 is unreadable (malformed): read key_data1 instead');
    // Both damaged: the error of one of them.
    writeFileSync(join(dir, 'key_data1'), bad.subarray(0, 100));
    expect(codeOf(() => readTdata(dir, NO_RETRY))).toBe('malformed');
    // `s` beside legacy files: the newest version wins, `s` on a tie.
    writeFileSync(join(dir, 'key_datas'), good);
    expect(readTdata(dir, NO_RETRY).appVersion).toBe(5008003);
  });

  it('a newer Desktop reads with a warning, not a refusal', () => {
    const dir = copyOf(join(FIXTURES, 'multiacc'));
    rewrapPayload(join(dir, 'key_datas'), (p) => p, 6001000);
    const t = readTdata(dir);
    expect(t.appVersion).toBe(6001000);
    expect(t.accounts).toHaveLength(2);
    expect(t.warnings[0]).toBe('written by Telegram Desktop 6.1.0, newer than 5.8.3 we tested: read anyway');
    // A newer account file alone warns too.
    const dir2 = copyOf(join(FIXTURES, 'simple'));
    rewrapPayload(join(dir2, 'D877F783D5D3EF8Cs'), (p) => p, 5009001);
    expect(readTdata(dir2).warnings[0]).toBe('written by Telegram Desktop 5.9.1, newer than 5.8.3 we tested: read anyway');
  });

  it('an unknown settings block after the authorization is skipped with a warning', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    rewriteEncrypted(join(dir, 'D877F783D5D3EF8Cs'), localKeyOf(dir), (p) => concat(p, u32be(0x99), u32be(7), new Uint8Array(9)));
    const t = readTdata(dir);
    expect(Object.keys(Object.fromEntries(t.accounts[0]!.session.dcs.map((d) => [d.id, 1])))).toEqual(['1', '2', '4', '5']);
    expect(t.accounts[0]!.warnings).toContainEqual(expect.stringMatching(/settings block 0x99 at offset \d+ has a layout we do not know; the last 17 byte\(s\) skipped/));
  });

  it('known legacy blocks before the authorization are stepped over; an unknown one there is an error', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    const key = localKeyOf(dir);
    const path = join(dir, 'D877F783D5D3EF8Cs');
    const whole = readFileSync(path);
    const qstring = (s: string) => concat(u32be(s.length * 2), new Uint8Array(Buffer.from(s, 'utf16le').swap16()));
    // dbiDcOptionOldOld, dbiDcOptionOld and dbiDcOptionsOld, then the authorization.
    const before = concat(u32be(0x02), u32be(2), qstring('h'), qstring('1.2.3.4'), u32be(443), u32be(0x27), u32be(2), u32be(0), qstring('1.2.3.4'), u32be(443), u32be(0x4a), u32be(3), new Uint8Array(3));
    rewriteEncrypted(path, key, (p) => concat(before, p));
    const t = readTdata(dir);
    expect(t.accounts[0]!.session.user!.id).toBe(1787945512n);
    expect(t.accounts[0]!.session.dcs).toHaveLength(4);
    writeFileSync(path, whole);
    rewriteEncrypted(path, key, (p) => concat(u32be(0x5e5e), p));
    expect(sessionErrorOf(() => readTdata(dir)).message).toMatch(/no MTP authorization/);
  });

  it('reads the legacy dbiUser + dbiKey layout and the legacy int32 user id', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    const key = localKeyOf(dir);
    const path = join(dir, 'D877F783D5D3EF8Cs');
    const legacy = concat(u32be(DBI_USER), u32be(12345), u32be(2), u32be(DBI_KEY), u32be(2), fakeKey(2), u32be(DBI_KEY), u32be(4), fakeKey(4));
    rewriteEncrypted(path, key, () => legacy);
    const t = readTdata(dir);
    const s = t.accounts[0]!.session;
    expect(s.user).toEqual({ id: 12345n });
    expect(s.homeDc).toBe(2);
    expect(s.dcs.map((d) => [d.id, authKeyId(d.authKey)])).toEqual([[2, authKeyId(fakeKey(2))], [4, authKeyId(fakeKey(4))]]);
    expect(t.accounts[0]!.warnings).toContain('account data: read from legacy user/key blocks');
    // The 0x4B block with a legacy (int32) user id and no keys-to-destroy list.
    const inner = concat(u32be(54321), u32be(4), u32be(1), u32be(4), fakeKey(4));
    rewriteEncrypted(path, key, () => concat(u32be(0x4b), u32be(inner.length), inner));
    const s2 = readTdata(dir).accounts[0]!.session;
    expect([s2.user!.id, s2.homeDc, s2.dcs.length]).toEqual([54321n, 4, 1]);
  });

  it('keys to destroy, a duplicate DC key, an unknown DC, a missing main key, a user id beyond 2^53', () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    rewriteEncrypted(join(dir, 'D877F783D5D3EF8Cs'), localKeyOf(dir), () =>
      encodeMtpData({
        userId: 9_007_199_254_740_993n,
        mainDcId: 3,
        keys: [{ dcId: 2, key: fakeKey(2) }, { dcId: 2, key: fakeKey(3) }, { dcId: 9, key: fakeKey(9) }],
        keysToDestroy: [{ dcId: 1, key: fakeKey(1) }],
      }),
    );
    const t = readTdata(dir);
    const s = t.accounts[0]!.session;
    expect(s.user!.id).toBe(9_007_199_254_740_993n);
    expect(s.dcs.map((d) => [d.id, authKeyId(d.authKey)])).toEqual([[2, authKeyId(fakeKey(2))]]);
    expect(t.accounts[0]!.warnings).toEqual(
      expect.arrayContaining([
        'account data: a second auth key for DC 2 ignored (Desktop uses one per DC)',
        'account data: auth key for DC 9 has no known address (skipped)',
        'account data: no auth key for its main DC 3',
        'account data: 1 old key(s) Desktop is logging out not read',
      ]),
    );
  });

  it('skips what Desktop skips: a logged-out account, an index out of range or repeated, a missing file, a twin', () => {
    const dir = fresh();
    writeTdata(dir, [session(100n, 2, [2]), session(200n, 4, [4]), session(300n, 1, [1])]);
    const key = localKeyOf(dir);
    const kdPath = join(dir, 'key_datas');
    const setList = (indices: number[], active: number) =>
      rewrapPayload(kdPath, (p) => encodeKeyData({ ...parseKeyData(p, 'k'), infoEncrypted: writeAccountList({ indices, active }, key) }));
    setList([2, 7, 2, -1, 0], 0);
    let t = readTdata(dir);
    expect(t.accounts.map((a) => [a.index, a.dataName, a.session.user!.id])).toEqual([[1, 'data#3', 300n], [2, 'data', 100n]]);
    expect(t.active).toBe(2);
    expect(t.warnings).toEqual([
      'account list entry 2: index 7 is outside 0–5, skipped (as Desktop does)',
      'account list entry 3: index 2 is listed twice, skipped (as Desktop does)',
      'account list entry 4: index -1 is outside 0–5, skipped (as Desktop does)',
    ]);
    // The active index among the skipped ones: the first account is active.
    setList([0, 1, 5], 5);
    t = readTdata(dir);
    expect(t.accounts.map((a) => a.dataName)).toEqual(['data', 'data#2']);
    expect(t.active).toBe(1);
    expect(t.warnings).toContainEqual(expect.stringMatching(/no [0-9A-F]{16}s file, so it is not logged in: skipped/));
    expect(t.warnings).toContain('the active account (index 5) was not read: the first one is active, as in Desktop');
    // A logged-out account (user id 0) and the same user twice.
    setList([0, 1, 2], 2);
    rewriteEncrypted(join(dir, `${filePartOf('data#2')}s`), key, () => encodeMtpData({ userId: 0n, mainDcId: 2, keys: [], keysToDestroy: [] }));
    rewriteEncrypted(join(dir, `${filePartOf('data#3')}s`), key, () => encodeMtpData({ userId: 100n, mainDcId: 2, keys: [{ dcId: 2, key: fakeKey(5) }], keysToDestroy: [] }));
    t = readTdata(dir);
    expect(t.accounts.map((a) => a.session.user!.id)).toEqual([100n]);
    expect(t.warnings).toEqual(['account data#2: not logged in (no user id): skipped, as Desktop does', 'account data#3: the same account as data (user 100): skipped, as Desktop does', 'the active account (index 2) was not read: the first one is active, as in Desktop']);
    // Nothing readable at all.
    setList([1], 1);
    expect(sessionErrorOf(() => readTdata(dir)).message).toMatch(/none of its 1 listed account\(s\) could be read/);
  });

  it('test mode comes from the account MTP config; a broken config means production, with a warning', () => {
    const dir = fresh();
    writeTdata(dir, [session(100n, 2, [1, 2])]);
    const key = localKeyOf(dir);
    const configPath = join(dir, 'D877F783D5D3EF8C', 'configs');
    const config = (env: number, version = 1) => {
      const serialized = concat(u32be(version), u32be(env), u32be(0xffffffff), new Uint8Array(20));
      const inner = new ByteWriter();
      writeQBytes(inner, serialized);
      const w = new ByteWriter();
      writeQBytes(w, encryptLocal(inner.finish(), key));
      return encodeTdf(w.finish(), 5008003);
    };
    writeFileSync(configPath, config(1));
    let s = readTdata(dir).accounts[0]!.session;
    expect(s.testMode).toBe(true);
    expect(s.dcs.map((d) => [d.id, d.address, d.port])).toEqual([[1, '149.154.175.10', 80], [2, '149.154.167.40', 80]]);
    writeFileSync(configPath, config(0));
    s = readTdata(dir).accounts[0]!.session;
    expect([s.testMode, s.dcs[0]!.address]).toEqual([false, '149.154.175.53']);
    writeFileSync(configPath, config(1, 2));
    const t = readTdata(dir);
    expect(t.accounts[0]!.session.testMode).toBe(false);
    expect(t.accounts[0]!.warnings).toEqual(['account data: its MTP config does not parse: production servers assumed, as Desktop does']);
    writeFileSync(configPath, config(1).subarray(0, 30));
    expect(readTdata(dir, NO_RETRY).accounts[0]!.warnings).toEqual(['account data: its MTP config is unreadable (malformed): production servers assumed, as Desktop does']);
  });

  it('reads a file again when its MD5 fails: a running Desktop may be rewriting it', async () => {
    const dir = copyOf(join(FIXTURES, 'simple'));
    const path = join(dir, 'D877F783D5D3EF8Cs');
    const good = readFileSync(path);
    writeFileSync(join(dir, 'good.bin'), good);
    writeFileSync(path, good.subarray(0, good.length - 100));
    expect(codeOf(() => readTdata(dir, NO_RETRY))).toBe('malformed');
    // Another process finishes the file while the reader waits between attempts.
    const child = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').copyFileSync(${JSON.stringify(join(dir, 'good.bin'))}, ${JSON.stringify(path)}), 150)`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const t = readTdata(dir, { retries: 20, retryDelayMs: 250 });
    expect(t.accounts[0]!.session.user!.id).toBe(1787945512n);
    await exited;
  });
});

describe('tdata key data', () => {
  it('the local key is 256 bytes behind the passcode key; other sizes are malformed', () => {
    const localKey = fakeKey(77);
    const { salt, keyEncrypted } = lockLocalKey(localKey, '');
    const kd = { salt, keyEncrypted, infoEncrypted: writeAccountList({ indices: [0], active: 0 }, localKey) };
    expect(Buffer.from(unlockLocalKey(kd, '', 'k')!)).toEqual(Buffer.from(localKey));
    expect(unlockLocalKey(kd, 'x', 'k')).toBeUndefined();
    const short = lockLocalKey(localKey.subarray(0, 200), '', salt);
    expect(codeOf(() => unlockLocalKey({ ...kd, ...short }, '', 'k'))).toBe('malformed');
  });

  it('parses the settings file blocks strictly: counts, negative values', () => {
    expect(codeOf(() => parseMtpData(concat(u32be(0x4b), u32be(12), u32be(0xffffffff), u32be(0xffffffff), u32be(1)), 'x'))).toBe('truncated');
    const neg = concat(u32be(1), u32be(2), u32be(0xffffffff));
    expect(codeOf(() => parseMtpData(concat(u32be(0x4b), u32be(neg.length), neg), 'x'))).toBe('malformed');
    const huge = concat(u32be(1), u32be(2), u32be(0x7fffffff));
    expect(codeOf(() => parseMtpData(concat(u32be(0x4b), u32be(huge.length), huge), 'x'))).toBe('truncated');
    expect(codeOf(() => parseMtpData(new Uint8Array(0), 'x'))).toBe('malformed');
    expect(codeOf(() => parseMtpData(u32be(0x4b), 'x'))).toBe('truncated');
  });
});
