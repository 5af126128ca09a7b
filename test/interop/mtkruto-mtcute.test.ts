/**
 * MTKruto auth strings against @mtcute/convert (parseMtkrutoSession, serializeMtkrutoSession,
 * convertFromMtkrutoSession, convertToMtkrutoSession) and the string of MTKruto's it keeps as
 * a fixture, both directions, field by field. mtcute's converter holds only the DC, test mode
 * and key; the api_id, bot flag and user id of MTKruto's current layout are checked against
 * MTKruto's own exportAuthString / importAuthString field order, run here with mtcute's TL
 * reader and writer over MTKruto's RLE (MTKruto itself is not installed).
 */
import {
  convertFromMtkrutoSession,
  convertToMtkrutoSession,
  parseMtkrutoSession,
  serializeMtkrutoSession,
} from '@mtcute/convert';
import { TlBinaryReader, TlBinaryWriter, writeStringSession } from '@mtcute/core/utils.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMtkrutoString, encodeMtkrutoString } from '../../electron/core/formats/mtkruto-string.js';
import type { Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { codeOf } from '../helpers/errors.js';
import { mtkrutoRleDecode, mtkrutoRleEncode } from '../helpers/mtkruto-rle.js';

/** MTKRUTO_SESSION from @mtcute/convert's fixtures: a string made by MTKruto itself. */
function mtkrutoFixture(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('@mtcute/convert'));
  const m = /"([A-Za-z0-9_-]+)"/.exec(readFileSync(join(pkg, 'mtkruto', '__fixtures__', 'session.d.ts'), 'utf8'));
  if (!m?.[1]) throw new Error('no MTKruto fixture string');
  return m[1];
}



interface MtkrutoAuth {
  dc: string;
  authKey: Uint8Array;
  apiId: number;
  isBot: boolean;
  userId: number;
}

/** MTKruto's exportAuthString today: writeString(dc), writeBytes(key), writeInt32(apiId), [isBot], writeInt64(userId). */
function mtkrutoExport(a: MtkrutoAuth, layout: 'current' | 'api-id' = 'current'): string {
  const w = TlBinaryWriter.manual(512);
  w.string(a.dc);
  w.bytes(a.authKey);
  w.int(a.apiId);
  if (layout === 'current') {
    w.raw(new Uint8Array([a.isBot ? 1 : 0]));
    w.int53(a.userId);
  }
  return Buffer.from(mtkrutoRleEncode(w.result())).toString('base64url');
}

/** MTKruto's importAuthString today: the same five fields in order; it fails when one is missing. */
function mtkrutoImport(text: string): MtkrutoAuth {
  const r = TlBinaryReader.manual(mtkrutoRleDecode(Buffer.from(text, 'base64url')));
  const dc = r.string();
  const authKey = r.bytes();
  const apiId = r.int();
  const isBot = !!r.raw(1)[0];
  const userId = r.int53();
  if (r.pos !== r.uint8View.length) throw new Error('trailing bytes');
  return { dc, authKey, apiId, isBot, userId };
}

const sameKey = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));

const DCS = [[1, false], [2, false], [3, false], [4, false], [5, false], [1, true], [2, true], [3, true]] as const;

/** Random keys, one with a zero run of every length up to 255 somewhere, one with lone zeros. */
function keys(): Uint8Array[] {
  const runs = new Uint8Array(randomBytes(256));
  runs.fill(0, 3, 3 + 200);
  const lone = new Uint8Array(randomBytes(256)).map((b, i) => (i % 7 === 0 ? 0 : b || 1));
  return [new Uint8Array(randomBytes(256)), runs, lone];
}

function session(dc: number, test: boolean, key: Uint8Array, user?: { id: bigint; isBot: boolean }, apiId?: number): Session {
  const s = emptySession();
  s.homeDc = dc;
  s.testMode = test;
  s.dcs = [makeDc({ id: dc, address: '', port: 0, authKey: key })];
  if (user) s.user = user;
  if (apiId !== undefined) s.apiId = apiId;
  return s;
}

describe('MTKruto auth strings against @mtcute/convert', () => {
  it("reads the string of MTKruto's that mtcute keeps, as mtcute does, and writes it back byte for byte", () => {
    const text = mtkrutoFixture();
    const theirs = parseMtkrutoSession(text);
    const r = decodeMtkrutoString(text);
    expect(r.formatVersion).toBe('dc-key');
    expect([r.session.homeDc, r.session.testMode]).toEqual([theirs.dcId, theirs.isTest]);
    expect(sameKey(r.session.dcs[0]!.authKey, theirs.authKey)).toBe(true);
    expect(r.session.user).toBeUndefined();
    expect(encodeMtkrutoString(r.session, { legacy: true })).toBe(text);
  });

  for (const [dc, test] of DCS) {
    it(`mtcute writes, we read and write back the same text: DC ${dc}${test ? ' test' : ''}`, () => {
      for (const authKey of keys()) {
        const text = serializeMtkrutoSession({ dcId: dc, isTest: test, authKey });
        const r = decodeMtkrutoString(text);
        expect([r.formatVersion, r.session.homeDc, r.session.testMode]).toEqual(['dc-key', dc, test]);
        expect(sameKey(r.session.dcs[0]!.authKey, authKey)).toBe(true);
        expect(encodeMtkrutoString(r.session, { legacy: true })).toBe(text);
      }
    });

    it(`we write, mtcute reads the same DC, test mode and key, both layouts: DC ${dc}${test ? ' test' : ''}`, () => {
      for (const authKey of keys()) {
        const s = session(dc, test, authKey, { id: 7_000_000_001n, isBot: false }, 2040);
        for (const legacy of [false, true]) {
          const text = encodeMtkrutoString(s, { legacy });
          const theirs = parseMtkrutoSession(text);
          expect([theirs.dcId, theirs.isTest]).toEqual([dc, test]);
          expect(sameKey(theirs.authKey, authKey)).toBe(true);
          const converted = convertFromMtkrutoSession(text);
          expect(converted.primaryDcs?.main.id).toBe(dc);
          expect(converted.primaryDcs?.main.testMode ?? false).toBe(test);
          expect(sameKey(converted.authKey, authKey)).toBe(true);
        }
      }
    });
  }

  it("convertToMtkrutoSession of an mtcute v3 string reads as that string's DC, test mode and key", () => {
    for (const [dc, test] of [[4, false], [1, true]] as const) {
      const authKey = new Uint8Array(randomBytes(256));
      const main = { id: dc, ipAddress: '149.154.167.91', port: 443, ipv6: false, mediaOnly: false, testMode: test };
      const v3 = writeStringSession({ version: 3, primaryDcs: { main, media: main }, self: { userId: 42, isBot: true, isPremium: false, usernames: [] }, authKey });
      const r = decodeMtkrutoString(convertToMtkrutoSession(v3));
      expect([r.formatVersion, r.session.homeDc, r.session.testMode]).toEqual(['dc-key', dc, test]);
      expect(sameKey(r.session.dcs[0]!.authKey, authKey)).toBe(true);
      // mtcute's converter drops the self user: the dc-key layout has no place for it.
      expect(r.session.user).toBeUndefined();
    }
  });

  it("a zero run of 256 or more: mtcute's encoder wraps its length to 00 00, which we refuse; ours splits it and mtcute reads that right", () => {
    const authKey = new Uint8Array(256);
    authKey[255] = 9;
    const theirs = serializeMtkrutoSession({ dcId: 2, isTest: false, authKey });
    expect(codeOf(() => decodeMtkrutoString(theirs))).toBe('malformed');
    expect(sameKey(parseMtkrutoSession(theirs).authKey, authKey)).toBe(false);
    const ours = encodeMtkrutoString(session(2, false, authKey), { legacy: true });
    expect(sameKey(parseMtkrutoSession(ours).authKey, authKey)).toBe(true);
  });
});

describe("MTKruto auth strings against MTKruto's own field order (current layout)", () => {
  const cases = [
    { dc: 2, test: false, userId: 123_456_789n, isBot: false, apiId: 611335 },
    { dc: 5, test: false, userId: 2n ** 53n - 1n, isBot: true, apiId: 0x7fffffff },
    { dc: 3, test: true, userId: 7_000_000_000n, isBot: false, apiId: 1 },
  ];

  for (const c of cases) {
    const dcName = `${c.dc}${c.test ? '-test' : ''}`;
    it(`we write, MTKruto's importAuthString reads the same DC, key, api_id, bot flag and user id: DC ${dcName}`, () => {
      for (const authKey of keys()) {
        const text = encodeMtkrutoString(session(c.dc, c.test, authKey, { id: c.userId, isBot: c.isBot }, c.apiId));
        const theirs = mtkrutoImport(text);
        expect({ ...theirs, authKey: undefined }).toEqual({ dc: dcName, authKey: undefined, apiId: c.apiId, isBot: c.isBot, userId: Number(c.userId) });
        expect(sameKey(theirs.authKey, authKey)).toBe(true);
        // And the text is exactly what MTKruto's exportAuthString makes of those fields.
        expect(mtkrutoExport(theirs)).toBe(text);
      }
    });

    it(`MTKruto's exportAuthString writes, we read every field: DC ${dcName}`, () => {
      const authKey = new Uint8Array(randomBytes(256));
      const r = decodeMtkrutoString(mtkrutoExport({ dc: dcName, authKey, apiId: c.apiId, isBot: c.isBot, userId: Number(c.userId) }));
      expect(r.formatVersion).toBe('current');
      expect([r.session.homeDc, r.session.testMode, r.session.apiId]).toEqual([c.dc, c.test, c.apiId]);
      expect(r.session.user).toEqual({ id: c.userId, isBot: c.isBot });
      expect(sameKey(r.session.dcs[0]!.authKey, authKey)).toBe(true);
      // The api-id layout of the MTKruto versions between.
      const mid = decodeMtkrutoString(mtkrutoExport({ dc: dcName, authKey, apiId: c.apiId, isBot: c.isBot, userId: 1 }, 'api-id'));
      expect([mid.formatVersion, mid.session.apiId, mid.session.user]).toEqual(['api-id', c.apiId, undefined]);
    });
  }

  it("today's importAuthString cannot read the dc-key layout (@mtcute/convert's): hence it is not our default", () => {
    const s = session(2, false, new Uint8Array(randomBytes(256)), { id: 5n, isBot: false }, 6);
    // MTKruto's TLReader runs out of data at the api_id; mtcute's reader, run here, throws a RangeError.
    expect(() => mtkrutoImport(encodeMtkrutoString(s, { legacy: true }))).toThrow(RangeError);
    expect(() => mtkrutoImport(encodeMtkrutoString(s))).not.toThrow();
  });
});
