/**
 * Our tdata codec against @mtcute/convert's (Tdata, convertToTdata, convertFromTdata), both
 * ways: tdata mtcute writes we read field by field; tdata we write (one and several accounts,
 * with and without a passcode) mtcute reads back with the same user ids and every key (its
 * Tdata class reads all of them; convertFromTdata keeps only the main DC's).
 *
 * mtcute takes its crypto from @mtcute/node, which is not installed here: the provider below
 * gives it node:crypto's hashes and PBKDF2 and GramJS's AES-IGE (@cryptography/aes), so the
 * cipher on its side is not ours.
 */
import { createHash, pbkdf2Sync, randomBytes, randomFillSync } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { convertFromTdata, convertToTdata, Tdata } from '@mtcute/convert';
import type { TdataOptions } from '@mtcute/convert';
import { Long } from '@mtcute/core';
import { IGE } from 'telegram/crypto/IGE.js';
import { afterAll, describe, expect, it } from 'vitest';
import { aesIge } from '../../electron/core/formats/tdata/crypto.js';
import { readTdata, writeTdata } from '../../electron/core/formats/tdata/index.js';
import { dataNameOf } from '../../electron/core/formats/tdata/names.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import type { Session } from '../../electron/core/model/session.js';
import { codeOf } from '../helpers/errors.js';
import { tempDir } from '../helpers/format-io.js';
import { fakeKey } from '../helpers/sessions.js';
import { tdataSession as session } from '../helpers/tdata-sessions.js';

const work = tempDir('sd-tdata-mtcute-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(work, `t-${n++}`);

const crypto = {
  sha1: (d: Uint8Array) => new Uint8Array(createHash('sha1').update(d).digest()),
  sha256: (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest()),
  pbkdf2: (pass: Uint8Array, salt: Uint8Array, iterations: number, keylen = 64, algo = 'sha512') => new Uint8Array(pbkdf2Sync(pass, salt, iterations, keylen, algo)),
  createHash: (algo: string) => {
    const h = createHash(algo);
    return { update: (d: Uint8Array) => void h.update(d), digest: () => new Uint8Array(h.digest()) };
  },
  createAesIge: (key: Uint8Array, iv: Uint8Array) => {
    const make = () => new IGE(Buffer.from(key), Buffer.from(iv));
    return {
      encrypt: (d: Uint8Array) => new Uint8Array(make().encryptIge(Buffer.from(d))),
      decrypt: (d: Uint8Array) => new Uint8Array(make().decryptIge(Buffer.from(d))),
    };
  },
  randomFill: (b: Uint8Array) => void randomFillSync(b),
  randomBytes: (size: number) => new Uint8Array(randomBytes(size)),
};

/** node:fs/promises as mtcute's INodeFsLike wants it: stat of a missing file is null, not a throw. */
const fs = {
  readFile: (p: string) => readFile(p),
  writeFile: (p: string, d: Uint8Array) => writeFile(p, d),
  mkdir: async (p: string, o?: { recursive?: boolean }) => void (await mkdir(p, o)),
  stat: async (p: string) => {
    try {
      const s = await stat(p);
      return { size: s.size, lastModified: s.mtimeMs };
    } catch {
      return null as unknown as { size: number; lastModified: number };
    }
  },
};

const options = (path: string, passcode?: string): TdataOptions => ({ path, fs, crypto: crypto as unknown as TdataOptions['crypto'], ...(passcode ? { passcode } : {}) });


const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const keysOf = (s: Session) => s.dcs.map((d) => [d.id, hex(d.authKey!)]);

describe('AES-IGE', () => {
  it('ours equals GramJS\'s (@cryptography/aes) both ways', () => {
    for (const len of [16, 32, 272, 1024]) {
      const key = randomBytes(32);
      const iv = randomBytes(32);
      const data = randomBytes(len);
      const theirs = new IGE(key, iv).encryptIge(data);
      expect(hex(aesIge(data, key, iv, true))).toBe(hex(theirs));
      expect(hex(aesIge(theirs, key, iv, false))).toBe(hex(data));
    }
  });
});

describe('tdata mtcute writes, we read', () => {
  it.each([
    ['one account, no passcode', 1, ''],
    ['two accounts, no passcode', 2, ''],
    ['three accounts, a passcode', 3, 'mt pass'],
  ])('convertToTdata: %s', async (_name, count, passcode) => {
    const ours = [session(1787945512n, 1, [1]), session(5_774_619_658n, 2, [2]), session(123n, 4, [4])].slice(0, count);
    const mt = ours.map((s) => ({
      version: 3,
      primaryDcs: { main: { id: s.homeDc, ipAddress: '149.154.167.51', port: 443 }, media: { id: s.homeDc, ipAddress: '149.154.167.51', port: 443 } },
      authKey: s.dcs[0]!.authKey!,
      self: { userId: Number(s.user!.id), isBot: false, isPremium: false, usernames: [] },
    }));
    const dir = fresh();
    await convertToTdata(mt, options(dir, passcode));
    const t = readTdata(dir, { passcode });
    // mtcute writes the empty map Desktop needs, so nothing is missing.
    expect(t.warnings).toEqual([]);
    expect(t.appVersion).toBe(5008003);
    expect(t.active).toBe(1);
    expect(t.accounts.map((a) => a.dataName)).toEqual(ours.map((_, i) => dataNameOf(i)));
    t.accounts.forEach((a, i) => {
      expect(a.index).toBe(i + 1);
      expect(a.session.user).toEqual({ id: ours[i]!.user!.id });
      expect(a.session.homeDc).toBe(ours[i]!.homeDc);
      expect(keysOf(a.session)).toEqual(keysOf(ours[i]!));
    });
    expect(codeOf(() => readTdata(dir))).toBe(passcode ? 'needs-passcode' : 'no error');
  });

  it('Tdata\'s writing API: every DC key, keys to destroy, another active account, a 64-bit user id', async () => {
    const dir = fresh();
    const tdata = await Tdata.create({ ...options(dir), keyData: { count: 2, order: [1, 0], active: 0 } });
    await tdata.writeMtpAuthorization(
      { userId: Long.fromString('9007199254740993'), mainDcId: 4, authKeys: [1, 2, 4, 5].map((dcId) => ({ dcId, key: fakeKey(dcId) })), authKeysToDestroy: [{ dcId: 3, key: fakeKey(3) }] },
      0,
    );
    await tdata.writeMtpAuthorization({ userId: Long.fromNumber(42), mainDcId: 2, authKeys: [{ dcId: 2, key: fakeKey(22) }], authKeysToDestroy: [] }, 1);
    await tdata.writeEmptyMapFile(0);
    await tdata.writeEmptyMapFile(1);
    const t = readTdata(dir);
    // Desktop's order is the stored one: index 1 (data#2) first, index 0 (data) active.
    expect(t.accounts.map((a) => [a.index, a.dataName, a.session.user!.id])).toEqual([[1, 'data#2', 42n], [2, 'data', 9_007_199_254_740_993n]]);
    expect(t.active).toBe(2);
    const main = t.accounts[1]!.session;
    expect(main.homeDc).toBe(4);
    expect(main.dcs.map((d) => [d.id, authKeyId(d.authKey)])).toEqual([1, 2, 4, 5].map((id) => [id, authKeyId(fakeKey(id))]));
    // The line is that account's own, not the folder's.
    expect([t.warnings, t.accounts[0]!.warnings, t.accounts[1]!.warnings]).toEqual([[], [], ['account data: 1 old key(s) Desktop is logging out not read']]);
  });
});

describe('tdata we write, mtcute reads', () => {
  it.each([
    ['one account, no passcode', 1, ''],
    ['one account, a passcode', 1, '123123'],
    ['three accounts, no passcode', 3, ''],
    ['three accounts, a non-ASCII passcode', 3, 'пароль🔒'],
  ])('%s: the same user ids and every key', async (_name, count, passcode) => {
    const ours = [session(1787945512n, 1, [1, 2, 4, 5]), session(5_774_619_658n, 2, [1, 2, 5]), session(777_000n, 4, [4])].slice(0, count);
    const dir = fresh();
    writeTdata(dir, ours, { passcode });
    const tdata = await Tdata.open(options(dir, passcode));
    expect(tdata.keyData.count).toBe(count);
    expect(tdata.keyData.order).toEqual(ours.map((_, i) => i));
    expect(tdata.keyData.active).toBe(0);
    expect(tdata.keyData.version).toBe(5008003);
    for (const [i, s] of ours.entries()) {
      const auth = await tdata.readMtpAuthorization(i);
      expect(auth.userId.toString()).toBe(s.user!.id.toString());
      expect(auth.mainDcId).toBe(s.homeDc);
      expect(auth.authKeys.map((k) => [k.dcId, hex(k.key)])).toEqual(keysOf(s));
      expect(auth.authKeysToDestroy).toEqual([]);
      // convertFromTdata keeps the main DC key only.
      const converted = await convertFromTdata(tdata, i);
      expect(converted.self!.userId).toBe(Number(s.user!.id));
      expect(converted.primaryDcs!.main.id).toBe(s.homeDc);
      expect(hex(converted.authKey)).toBe(hex(s.dcs.find((d) => d.id === s.homeDc)!.authKey!));
    }
    await expect(Tdata.open(options(dir, `${passcode}!`))).rejects.toThrow(/invalid password/);
  });
});
