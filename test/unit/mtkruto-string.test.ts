/**
 * MTKruto auth strings: known answers for the three layouts and the RLE (runs split at 255;
 * the readings MTKruto and mtcute disagree on refused), every cut point, strictness against
 * other payloads and other formats' strings, the writer's refusals, and what a conversion to
 * it keeps (capabilities, the loss report, the fields it asks for).
 */
import { describe, expect, it } from 'vitest';
import { ByteWriter, fromBase64Url, toBase64Url } from '../../electron/core/bytes.js';
import { SessionError } from '../../electron/core/errors.js';
import { givenText, lossSummary, missingFields, prepareConversion } from '../../electron/core/convert/convert.js';
import { projectSession } from '../../electron/core/convert/project.js';
import { encodeCompactString } from '../../electron/core/formats/ferogram-strings.js';
import { encodeGramjsString } from '../../electron/core/formats/gramjs-string.js';
import { encodeMtcuteString } from '../../electron/core/formats/mtcute-string.js';
import { decodeMtkrutoString, encodeMtkrutoString, mtkrutoString } from '../../electron/core/formats/mtkruto-string.js';
import { encodePyrogramString } from '../../electron/core/formats/pyrogram-string.js';
import { formatById } from '../../electron/core/formats/registry.js';
import { telethonString } from '../../electron/core/formats/telethon-string.js';
import { writeTlBytes, writeTlString } from '../../electron/core/formats/tl-bytes.js';
import { normalizeSession } from '../../electron/core/model/normalize.js';
import type { Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { codeOf } from '../helpers/errors.js';
import { fakeKey, fullSession, peerOf } from '../helpers/sessions.js';
import { mtkrutoRleEncode } from '../helpers/mtkruto-rle.js';

const KEY7 = new Uint8Array(256).fill(7);

function session(o: { dc?: number; test?: boolean; key?: Uint8Array | null; user?: { id: bigint; isBot?: boolean }; apiId?: number } = {}): Session {
  const s = emptySession();
  const id = o.dc ?? 2;
  s.homeDc = id;
  const address = o.test ? '149.154.167.40' : '149.154.167.51';
  s.dcs = [makeDc({ id, address, port: o.test ? 80 : 443, ...(o.key === null ? {} : { authKey: o.key ?? KEY7 }) })];
  if (o.test !== undefined) s.testMode = o.test;
  if (o.user) s.user = o.user;
  if (o.apiId !== undefined) s.apiId = o.apiId;
  return s;
}


/** A string of any payload: TL string dc | TL bytes key | tail, RLE, base64url. */
function payload(dc: string, key: Uint8Array, tail: number[] = []): string {
  const w = new ByteWriter();
  writeTlString(w, dc);
  writeTlBytes(w, key);
  for (const b of tail) w.u8(b);
  return toBase64Url(mtkrutoRleEncode(w.finish()));
}

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const le64 = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));

/** TL "2" + 2 padding zeros (RLE 00 02), TL bytes header FE 00 01 00 (the zeros as 00 01), before a key of 7s. */
const PROD2_HEAD = [0x01, 0x32, 0x00, 0x02, 0xfe, 0x00, 0x01, 0x01, 0x00, 0x01];

describe('MTKruto auth string: known answers', () => {
  it('dc-key (what @mtcute/convert writes): TL "2", TL bytes of the key, zero runs as 00 n', () => {
    const text = encodeMtkrutoString(session({ test: false }), { legacy: true });
    expect(text).toBe(toBase64Url(new Uint8Array([...PROD2_HEAD, ...KEY7])));
    expect(text.startsWith('ATIA')).toBe(true);
    const r = decodeMtkrutoString(text);
    expect(r.format).toBe('mtkruto-string');
    expect(r.formatVersion).toBe('dc-key');
    expect(normalizeSession(r.session)).toEqual(normalizeSession(session({ test: false })));
    expect(r.inferences).toEqual(["DC 2 address 149.154.167.51:443: from Telegram's DC table (an MTKruto auth string stores only the DC id)"]);
    expect(r.warnings).toEqual([expect.stringContaining("today's MTKruto does not import this layout")]);
  });

  it('current (what MTKruto writes today): then i32 LE api_id, u8 is_bot, i64 LE user id', () => {
    const s = session({ test: false, user: { id: 123456789n, isBot: true }, apiId: 611335 });
    const text = encodeMtkrutoString(s);
    // 611335 = 07 54 09 00; is_bot 01; 123456789 = 15 cd 5b 07 00 00 00 00
    const tail = [0x07, 0x54, 0x09, 0x00, 0x01, 0x01, 0x15, 0xcd, 0x5b, 0x07, 0x00, 0x04];
    expect(text).toBe(toBase64Url(new Uint8Array([...PROD2_HEAD, ...KEY7, ...tail])));
    const r = decodeMtkrutoString(text);
    expect(r.formatVersion).toBe('current');
    expect(r.warnings).toEqual([]);
    expect(normalizeSession(r.session)).toEqual(normalizeSession(s));
  });

  it('api-id (MTKruto while api_id was optional) reads with the api_id and no user', () => {
    const r = decodeMtkrutoString(payload('4', fakeKey(4), le32(2040)));
    expect(r.formatVersion).toBe('api-id');
    expect(r.session.apiId).toBe(2040);
    expect(r.session.user).toBeUndefined();
    expect(r.session.homeDc).toBe(4);
    expect(r.session.dcs[0]).toMatchObject({ address: '149.154.167.91', port: 443 });
    expect(Buffer.compare(r.session.dcs[0]!.authKey!, fakeKey(4))).toBe(0);
  });

  it('test DCs are "<id>-test", as in the string of MTKruto\'s that @mtcute/convert keeps as a fixture', () => {
    const text = encodeMtkrutoString(session({ test: true }), { legacy: true });
    expect(text.startsWith('BjItdGVzdAAB_gABAQAB')).toBe(true);
    const r = decodeMtkrutoString(text);
    expect(r.session.testMode).toBe(true);
    expect(r.session.dcs[0]).toMatchObject({ id: 2, address: '149.154.167.40', port: 80 });
    expect(r.inferences?.[0]).toMatch(/^DC 2 \(test\) address 149\.154\.167\.40:80: /);
  });

  it('every DC MTKruto names, and only those', () => {
    for (const [dc, test] of [[1, false], [2, false], [3, false], [4, false], [5, false], [1, true], [2, true], [3, true]] as const) {
      const r = decodeMtkrutoString(encodeMtkrutoString(session({ dc, test }), { legacy: true }));
      expect([r.session.homeDc, r.session.testMode]).toEqual([dc, test]);
    }
    for (const name of ['0', '6', '203', '4-test', '02', ' 2', '2 ', '2-TEST', '2-test ', '', '2\0']) {
      const e = codeOf(() => decodeMtkrutoString(payload(name, KEY7)));
      expect([name, e]).toEqual([name, 'malformed']);
    }
  });
});

describe('MTKruto auth string: the RLE', () => {
  it('splits runs at 255 as MTKruto does (mtcute would write 00 00 for 256)', () => {
    const key = new Uint8Array(256);
    key[255] = 1;
    const text = encodeMtkrutoString(session({ key, test: false }), { legacy: true });
    // The header's last zero and the key's 255 make a run of 256: 00 ff 00 01.
    expect([...fromBase64Url(text, 'x')]).toEqual([0x01, 0x32, 0x00, 0x02, 0xfe, 0x00, 0x01, 0x01, 0x00, 0xff, 0x00, 0x01, 0x01]);
    expect(Buffer.compare(decodeMtkrutoString(text).session.dcs[0]!.authKey!, key)).toBe(0);
  });

  it('reads a run split anywhere (both libraries agree), refuses 00 00 and a final 00 (they do not)', () => {
    const split = new Uint8Array([...PROD2_HEAD.slice(0, 2), 0x00, 0x01, 0x00, 0x01, ...PROD2_HEAD.slice(4), ...KEY7]);
    expect(decodeMtkrutoString(toBase64Url(split)).session.homeDc).toBe(2);
    const zeroRun = new Uint8Array([...PROD2_HEAD, ...KEY7.subarray(1), 0x00, 0x00, 0x07]);
    expect(codeOf(() => decodeMtkrutoString(toBase64Url(zeroRun)))).toBe('malformed');
    const lone = new Uint8Array([...PROD2_HEAD, ...KEY7, 0x00]);
    expect(codeOf(() => decodeMtkrutoString(toBase64Url(lone)))).toBe('truncated');
  });

  it('refuses a payload longer than the longest layout, however few characters it takes', () => {
    const bomb = new Uint8Array([...PROD2_HEAD, ...KEY7, ...Array.from({ length: 20 }, () => [0x00, 0xff]).flat()]);
    expect(codeOf(() => decodeMtkrutoString(toBase64Url(bomb)))).toBe('malformed');
    expect(codeOf(() => decodeMtkrutoString('A'.repeat(800)))).toBe('malformed');
  });
});

describe('MTKruto auth string: cut points and strictness', () => {
  it('dc-key: every truncation is a typed error', () => {
    for (const key of [KEY7, fakeKey(9)]) {
      const b = fromBase64Url(encodeMtkrutoString(session({ key, test: true }), { legacy: true }), 'x');
      for (let n = 0; n < b.length; n++) {
        expect([n, codeOf(() => decodeMtkrutoString(toBase64Url(b.subarray(0, n))))]).toEqual([n, expect.stringMatching(/^(truncated|malformed)$/)]);
      }
    }
  });

  it('current: every truncation is a typed error but at the ends of the shorter layouts, which read as those', () => {
    const s = session({ test: false, user: { id: 123456789n, isBot: true }, apiId: 611335 });
    const b = fromBase64Url(encodeMtkrutoString(s), 'x');
    const outcome = (n: number): [number, unknown, boolean] => {
      try {
        const r = decodeMtkrutoString(toBase64Url(b.subarray(0, n)));
        return [n, r.formatVersion, Buffer.compare(r.session.dcs[0]!.authKey!, KEY7) === 0];
      } catch (e) {
        return [n, e instanceof SessionError ? 'SessionError' : e, false];
      }
    };
    const read = Array.from({ length: b.length }, (_, n) => outcome(n)).filter(([, what]) => what !== 'SessionError');
    // 10 header bytes + 256 key bytes; then 07 54 09 00 01 is the api_id.
    expect(read).toEqual([[266, 'dc-key', true], [271, 'api-id', true]]);
  });

  it('refuses trailing bytes, a key of the wrong size, non-zero padding, bad booleans, ids and api_ids', () => {
    const good = [...le32(611335), 0, ...le64(123456789n)];
    expect(decodeMtkrutoString(payload('2', KEY7, good)).formatVersion).toBe('current');
    const cases: [string, string][] = [
      [payload('2', KEY7, [...good, 1]), 'malformed'],
      [payload('2', KEY7, [1, 2, 3]), 'truncated'],
      [payload('2', KEY7, [...good.slice(0, 12)]), 'truncated'],
      [payload('2', KEY7.subarray(1)), 'malformed'],
      [payload('2', new Uint8Array(257).fill(7)), 'malformed'],
      [payload('2', new Uint8Array(5).fill(7)), 'malformed'],
      [toBase64Url(mtkrutoRleEncode(new Uint8Array([0x01, 0x32, 0x00, 0x01, 0xfe, 0x00, 0x01, 0x00, ...KEY7]))), 'malformed'],
      [payload('2', KEY7, [...le32(611335), 2, ...le64(5n)]), 'malformed'],
      [payload('2', KEY7, [...le32(611335), 0, ...le64(0n)]), 'malformed'],
      [payload('2', KEY7, [...le32(611335), 0, ...le64(-5n)]), 'malformed'],
      [payload('2', KEY7, [...le32(611335), 0, ...le64(1n << 53n)]), 'malformed'],
      [payload('2', KEY7, [...le32(0), 0, ...le64(5n)]), 'malformed'],
      [payload('2', KEY7, le32(-1)), 'malformed'],
    ];
    for (const [text, code] of cases) expect(codeOf(() => decodeMtkrutoString(text))).toBe(code);
  });

  it("refuses other formats' strings and non-base64url text", () => {
    const s = session({ test: false, user: { id: 5n, isBot: false }, apiId: 6 });
    const foreign = [
      encodeMtcuteString(s),
      encodePyrogramString(s),
      encodeGramjsString(s),
      telethonString.encode(s),
      encodeCompactString(s),
      encodeMtkrutoString(s).replace(/^A/, '+'),
      'not a session',
    ];
    for (const text of foreign) expect(codeOf(() => decodeMtkrutoString(text))).not.toMatch(/^(no error|not a SessionError)$/);
  });
});

describe('MTKruto auth string: writing', () => {
  it('needs a home DC key, an MTKruto DC, and for the current layout the user, bot flag and api_id', () => {
    expect(codeOf(() => encodeMtkrutoString(session({ key: null }), { legacy: true }))).toBe('missing-field');
    expect(codeOf(() => encodeMtkrutoString(session({ dc: 4, test: true }), { legacy: true }))).toBe('unsupported');
    expect(codeOf(() => encodeMtkrutoString(session({ dc: 203, test: false }), { legacy: true }))).toBe('unsupported');
    const bare = session({ test: false });
    expect(() => encodeMtkrutoString(bare)).toThrow(/needs the user id, whether the account is a bot, the api_id \(give --user-id \/ --bot or --user \/ --api-id\)$/);
    expect(decodeMtkrutoString(encodeMtkrutoString(bare, { legacy: true })).session.user).toBeUndefined();
    expect(codeOf(() => encodeMtkrutoString(session({ user: { id: 1n << 53n, isBot: false }, apiId: 6 })))).toBe('too-large');
    expect(codeOf(() => encodeMtkrutoString(session({ user: { id: 0n, isBot: false }, apiId: 6 })))).toBe('malformed');
    expect(codeOf(() => encodeMtkrutoString(session({ user: { id: 5n, isBot: false }, apiId: 0 })))).toBe('malformed');
    expect(codeOf(() => encodeMtkrutoString(session({ user: { id: 5n, isBot: false }, apiId: 2 ** 31 })))).toBe('malformed');
  });

  it('takes the bot flag from the own peer row, and test mode from the address when the session does not say', () => {
    const s = session({ user: { id: peerOf('bot', 1).id }, apiId: 6 });
    s.peers = [peerOf('bot', 1)];
    expect(decodeMtkrutoString(encodeMtkrutoString(s)).session.user).toEqual({ id: peerOf('bot', 1).id, isBot: true });
    const test = session({ dc: 2, user: { id: 5n, isBot: false }, apiId: 6 });
    test.dcs[0]!.address = '149.154.167.40';
    expect(decodeMtkrutoString(encodeMtkrutoString(test)).session.testMode).toBe(true);
  });
});

describe('MTKruto auth string: capabilities and the loss report', () => {
  it('is registered as a string format holding the home DC key, test mode, user, bot flag and api_id', () => {
    expect(formatById('mtkruto-string')).toBe(mtkrutoString);
    expect(mtkrutoString.medium).toBe('string');
    const c = mtkrutoString.capabilities;
    expect([c.dcs, c.mediaDcs, c.user, c.testMode, c.apiId, c.salt, c.peers, c.updates]).toEqual(['home', false, 'id-and-bot', true, true, false, false, false]);
    expect(c.requires).toEqual(['user', 'isBot', 'apiId', 'authKey']);
  });

  it('a full session keeps the home DC, user, bot flag, api_id and test mode, and the report names the rest', () => {
    const c = prepareConversion(fullSession(), 'telethon', 'mtkruto-string');
    expect(c.given).toEqual([]);
    expect([...new Set(c.losses.map((l) => l.field.split('.')[0]))].sort()).toEqual(
      ['channelPts', 'dcs', 'futureAuthToken', 'minPeers', 'peers', 'salt', 'takeoutId', 'timeOffset', 'updates'],
    );
    expect(lossSummary(c)).toMatch(/^5 DC entries dropped: mtkruto-string keeps /);
    expect(c.session.dcs.map((d) => [d.id, d.address])).toEqual([[2, '149.154.167.51']]);
    const back = decodeMtkrutoString(encodeMtkrutoString(c.session)).session;
    expect(normalizeSession(back)).toEqual(normalizeSession(c.session));
    expect(back.user).toEqual({ id: 777_000_123n, isBot: false });
    expect([back.apiId, back.testMode]).toEqual([611335, false]);
  });

  it('asks for what a GramJS string lacks, and says where each value came from', () => {
    const source = session();
    expect(missingFields(source, 'mtkruto-string')).toEqual(['user', 'isBot', 'apiId']);
    expect(codeOf(() => prepareConversion(source, 'gramjs-string', 'mtkruto-string'))).toBe('missing-field');
    const c = prepareConversion(source, 'gramjs-string', 'mtkruto-string', { userId: 42n, isBot: false, apiId: 2040 });
    expect(c.given).toEqual([
      { what: 'user id 42', source: { by: 'user' } },
      { what: 'account is a user', source: { by: 'user' } },
      { what: 'api_id 2040', source: { by: 'user' } },
      { what: 'production servers', source: { by: 'inference', from: 'the home DC address 149.154.167.51' } },
    ]);
    // Each caller words the user's part its own way; the rest reads the same everywhere.
    expect(c.given.map((g) => givenText(g))).toEqual([
      'user id 42: given on the command line',
      'account is a user: given on the command line',
      'api_id 2040: given on the command line',
      'production servers: inferred from the home DC address 149.154.167.51',
    ]);
    expect(givenText(c.given[0]!, 'given by you')).toBe('user id 42: given by you');
    const back = decodeMtkrutoString(encodeMtkrutoString(c.session)).session;
    expect(normalizeSession(back)).toEqual(normalizeSession(projectSession(c.session, mtkrutoString.capabilities, 'mtkruto-string').session));
  });

  it("what it reads converts on with the report's inference, and the dc-key layout asks for the rest", () => {
    const read = decodeMtkrutoString(encodeMtkrutoString(session({ test: true }), { legacy: true }));
    expect(missingFields(read.session, 'pyrogram-string')).toEqual(['user', 'isBot', 'apiId']);
    const c = prepareConversion(read.session, 'mtkruto-string', 'telethon-string');
    expect(c.session.dcs[0]).toMatchObject({ id: 2, address: '149.154.167.40', port: 80 });
    expect(c.losses.map((l) => l.field)).toEqual(['testMode']);
  });
});
