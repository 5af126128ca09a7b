/**
 * Writing Telegram Desktop tdata: what is written (file names, the empty map Desktop needs,
 * the version), round trips of 1 to 6 accounts with and without a passcode, a fresh local key
 * for every tdata, and every refusal (no user id, no home key, test mode, too many accounts,
 * a twin, a folder that is not new and empty).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteReader } from '../../electron/core/bytes.js';
import { decodeTdf } from '../../electron/core/formats/tdata/container.js';
import { decryptLocal } from '../../electron/core/formats/tdata/crypto.js';
import { readTdata, writeTdata } from '../../electron/core/formats/tdata/index.js';
import { parseKeyData, readAccountList, unlockLocalKey } from '../../electron/core/formats/tdata/key-data.js';
import { parseMtpData } from '../../electron/core/formats/tdata/mtp-auth.js';
import { dataNameOf, filePartOf } from '../../electron/core/formats/tdata/names.js';
import { readQBytes } from '../../electron/core/formats/tdata/qt-stream.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import type { Session } from '../../electron/core/model/session.js';
import { codeOf } from '../helpers/errors.js';
import { tempDir } from '../helpers/format-io.js';
import { fakeKey, fullSession } from '../helpers/sessions.js';
import { sessionErrorOf } from '../helpers/errors.js';
import { tdataSession as session } from '../helpers/tdata-sessions.js';

const work = tempDir('sd-tdata-write-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(work, `out-${n++}`);


const keysOf = (s: Session) => Object.fromEntries(s.dcs.filter((d) => d.authKey).map((d) => [d.id, authKeyId(d.authKey)]));


function keyData(dir: string) {
  const file = decodeTdf(readFileSync(join(dir, 'key_datas')), 'key_datas');
  return { version: file.version, kd: parseKeyData(file.payload, 'key_datas') };
}

describe('writeTdata', () => {
  it('writes key_datas, each account settings file and its empty map, as Desktop 5.8.3 names them', () => {
    const dir = fresh();
    const res = writeTdata(dir, [session(11n, 2, [1, 2]), session(22n, 4, [4]), session(33n, 1, [1, 5])]);
    expect(res.warnings).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['F8806DD0C461824Fs', 'F8806DD0C461824F', 'A7FDF864FBC10B77', 'A7FDF864FBC10B77s', 'D877F783D5D3EF8C', 'D877F783D5D3EF8Cs', 'key_datas'].sort());
    expect(filePartOf(dataNameOf(2))).toBe('F8806DD0C461824F');
    for (const part of ['D877F783D5D3EF8C', 'A7FDF864FBC10B77', 'F8806DD0C461824F']) expect(readdirSync(join(dir, part))).toEqual(['maps']);
    const { version, kd } = keyData(dir);
    expect(version).toBe(5008003);
    const localKey = unlockLocalKey(kd, '', 'k')!;
    expect(readAccountList(kd, localKey, 'k')).toEqual({ indices: [0, 1, 2], active: 0 });
    // The map: two null legacy fields (0xFFFFFFFF, as Desktop writes them) and an encrypted empty map.
    const map = decodeTdf(readFileSync(join(dir, 'D877F783D5D3EF8C', 'maps')), 'maps');
    expect(map.version).toBe(5008003);
    const r = new ByteReader(map.payload);
    expect([r.u32('a', false), r.u32('b', false)]).toEqual([0xffffffff, 0xffffffff]);
    expect(decryptLocal(readQBytes(r, 'map'), localKey, 'map')!.length).toBe(0);
    expect(r.remaining).toBe(0);
    // The settings file: exactly one 0x4B block in the wide-id layout, keys by DC id.
    const settings = decodeTdf(readFileSync(join(dir, 'D877F783D5D3EF8Cs')), 's');
    const plain = decryptLocal(readQBytes(new ByteReader(settings.payload), 'x'), localKey, 'x')!;
    expect(Buffer.from(plain.subarray(0, 4)).readUInt32BE()).toBe(0x4b);
    expect(Buffer.from(plain.subarray(8, 16)).toString('hex')).toBe('ffffffffffffffff');
    const mtp = parseMtpData(plain, 'x');
    expect(mtp.auth.keys.map((k) => k.dcId)).toEqual([1, 2]);
    expect(mtp.auth.keysToDestroy).toEqual([]);
    expect(mtp.warnings).toEqual([]);
  });

  it.each([
    ['1 account, no passcode', 1, ''],
    ['1 account, a passcode', 1, 'pässcode 🔑'],
    ['3 accounts, no passcode', 3, ''],
    ['3 accounts, a passcode', 3, '123123'],
  ])('round trip: %s', (_name, count, passcode) => {
    const sessions = [session(1787945512n, 1, [1, 2, 4, 5]), session(5_774_619_658n, 2, [1, 2, 5]), session(9_007_199_254_740_993n, 4, [4])].slice(0, count);
    const dir = fresh();
    writeTdata(dir, sessions, { passcode });
    expect(codeOf(() => readTdata(dir))).toBe(passcode ? 'needs-passcode' : 'no error');
    expect(codeOf(() => readTdata(dir, { passcode: `${passcode}x` }))).toBe(passcode ? 'bad-passcode' : 'no error');
    const t = readTdata(dir, { passcode });
    expect(t.warnings).toEqual([]);
    expect(t.appVersion).toBe(5008003);
    expect(t.active).toBe(1);
    expect(t.accounts.map((a) => [a.index, a.dataName])).toEqual(sessions.map((_, i) => [i + 1, dataNameOf(i)]));
    t.accounts.forEach((a, i) => {
      const s = sessions[i]!;
      expect(a.session.user).toEqual({ id: s.user!.id });
      expect(a.session.homeDc).toBe(s.homeDc);
      expect(a.session.testMode).toBe(false);
      expect(keysOf(a.session)).toEqual(keysOf(s));
      a.session.dcs.forEach((d) => expect(Buffer.from(d.authKey!)).toEqual(Buffer.from(s.dcs.find((x) => x.id === d.id)!.authKey!)));
    });
  });

  it('six accounts with a warning about Premium; seven are refused', () => {
    const six = Array.from({ length: 6 }, (_, i) => session(BigInt(1000 + i), 2, [2]));
    const dir = fresh();
    const res = writeTdata(dir, six);
    expect(res.warnings).toEqual(['6 accounts: Telegram Desktop loads up to 6, but lets one use more than 3 only with Telegram Premium on one of them (opentele reads only the first 3)']);
    expect(readTdata(dir).accounts.map((a) => a.session.user!.id)).toEqual(six.map((s) => s.user!.id));
    const seven = [...six, session(2000n, 2, [2])];
    const e = sessionErrorOf(() => writeTdata(fresh(), seven));
    expect(e.code).toBe('too-large');
    expect(e.message).toBe('Telegram Desktop holds at most 6 accounts in one tdata (3 without Premium); 7 given');
  });

  it('keeps every DC key, one per DC: a media entry with another key is left out with a warning', () => {
    const s = fullSession(); // DC 1, 2 (+IPv6, same key), 4 (+media with its own key), 5 keyless
    const dir = fresh();
    const res = writeTdata(dir, [s]);
    expect(res.warnings).toEqual(['the session: a second auth key for DC 4 (media entry) not written: Desktop keeps one key per DC']);
    const back = readTdata(dir).accounts[0]!.session;
    expect(keysOf(back)).toEqual({ 1: authKeyId(fakeKey(1)), 2: authKeyId(fakeKey(2)), 4: authKeyId(fakeKey(4)) });
    expect(back.user).toEqual({ id: s.user!.id });
  });

  it('two tdata from one session have different local keys and salts', () => {
    const s = session(42n, 2, [2]);
    const [a, b] = [fresh(), fresh()];
    writeTdata(a, [s]);
    writeTdata(b, [s]);
    const ka = keyData(a).kd;
    const kb = keyData(b).kd;
    expect(Buffer.from(ka.salt)).not.toEqual(Buffer.from(kb.salt));
    expect(Buffer.from(ka.keyEncrypted)).not.toEqual(Buffer.from(kb.keyEncrypted));
    const la = unlockLocalKey(ka, '', 'a')!;
    const lb = unlockLocalKey(kb, '', 'b')!;
    expect(la.length).toBe(256);
    expect(Buffer.from(la)).not.toEqual(Buffer.from(lb));
    // Not the fixed key a known converter writes, and not a key of the session.
    expect(la.some((x) => x !== la[0])).toBe(true);
    expect(authKeyId(la)).not.toBe(authKeyId(s.dcs[0]!.authKey));
    expect(readFileSync(join(a, 'D877F783D5D3EF8Cs')).equals(readFileSync(join(b, 'D877F783D5D3EF8Cs')))).toBe(false);
    // With a passcode too.
    const [c, d] = [fresh(), fresh()];
    writeTdata(c, [s], { passcode: '1' });
    writeTdata(d, [s], { passcode: '1' });
    expect(Buffer.from(unlockLocalKey(keyData(c).kd, '1', 'c')!)).not.toEqual(Buffer.from(unlockLocalKey(keyData(d).kd, '1', 'd')!));
  });

  it('refuses what a tdata cannot hold, naming the session', () => {
    const ok = session(1n, 2, [2]);
    const noUser = session(2n, 2, [2]);
    delete noUser.user;
    let e = sessionErrorOf(() => writeTdata(fresh(), [ok, noUser, session(3n, 2, [2])]));
    expect([e.code, e.message]).toEqual(['missing-field', 'session 2 of 3 has no user id: a tdata account needs one']);
    e = sessionErrorOf(() => writeTdata(fresh(), [noUser]));
    expect(e.message).toBe('the session has no user id: a tdata account needs one');
    const noHomeKey = session(4n, 4, [2]);
    e = sessionErrorOf(() => writeTdata(fresh(), [noHomeKey]));
    expect([e.code, e.message]).toEqual(['missing-field', 'the session has no auth key for its home DC 4']);
    const test = session(5n, 2, [2]);
    test.testMode = true;
    expect(codeOf(() => writeTdata(fresh(), [test]))).toBe('unsupported');
    e = sessionErrorOf(() => writeTdata(fresh(), [ok, session(7n, 2, [2]), session(1n, 4, [4])]));
    expect([e.code, e.message]).toEqual(['usage', 'sessions 1 and 3 are the same account (user 1): Telegram Desktop would load it once']);
    const shortKey = session(8n, 2, [2]);
    shortKey.dcs[0]!.authKey = new Uint8Array(255);
    expect(codeOf(() => writeTdata(fresh(), [shortKey]))).toBe('malformed');
    const zero = session(9n, 2, [2]);
    zero.user = { id: 0n };
    expect(codeOf(() => writeTdata(fresh(), [zero]))).toBe('malformed');
    zero.user = { id: 1n << 63n };
    expect(codeOf(() => writeTdata(fresh(), [zero]))).toBe('too-large');
    expect(codeOf(() => writeTdata(fresh(), []))).toBe('usage');
    // A refusal writes nothing.
    const dir = fresh();
    expect(codeOf(() => writeTdata(dir, [noUser]))).toBe('missing-field');
    expect(() => readdirSync(dir)).toThrow(/ENOENT/);
  });

  it('writes into a new or an empty folder only', () => {
    const empty = fresh();
    mkdirSync(empty);
    writeTdata(empty, [session(1n, 2, [2])]);
    expect(readTdata(empty).accounts).toHaveLength(1);
    const e = sessionErrorOf(() => writeTdata(empty, [session(1n, 2, [2])]));
    expect(e.code).toBe('exists');
    const file = join(work, `file-${n++}`);
    writeFileSync(file, 'x');
    expect(codeOf(() => writeTdata(file, [session(1n, 2, [2])]))).toBe('exists');
    expect(readFileSync(file, 'utf8')).toBe('x');
    expect(codeOf(() => writeTdata(join(work, 'no', 'such', 'parent'), [session(1n, 2, [2])]))).toBe('not-found');
  });

  it('error messages never carry key material', () => {
    const s = session(3n, 9, [2]);
    const hex = Buffer.from(s.dcs[0]!.authKey!).toString('hex').slice(0, 16);
    const e = sessionErrorOf(() => writeTdata(fresh(), [s]));
    expect(e.message).not.toContain(hex);
    expect(e.message).not.toMatch(/[0-9a-f]{16}/);
  });
});
