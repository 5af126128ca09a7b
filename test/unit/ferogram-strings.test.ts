import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../electron/core/bytes.js';
import { codeOf } from '../helpers/errors.js';
import { encodeFerogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import {
  compactLength,
  decodeCompactBytes,
  decodeCompactString,
  decodeFerogramAny,
  decodeNativeString,
  encodeCompactString,
  ferogramString,
} from '../../electron/core/formats/ferogram-strings.js';
import { sameSession } from '../../electron/core/model/normalize.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { bytes, i32le, i64be, testKey, u16be, u16le, u32be, u8 } from '../helpers/le-bytes.js';
import { fullSession } from '../helpers/ferogram-sessions.js';

const KEY = testKey(3);
const V4 = [149, 154, 167, 51];
const V6 = [0x20, 0x01, 0x06, 0x7c, 0x04, 0xe8, 0xf0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x0a];

/** Compact layout from spec §1.3, all integers BE. */
function compact(version: 1 | 2, ip: number[], opts: { dc?: number; port?: number; user?: bigint; salt?: bigint; seqNo?: number; layer?: number } = {}): Uint8Array {
  return bytes(
    u8(version), u8(opts.dc ?? 2), u8(ip.length === 4 ? 4 : 6), ip, u16be(opts.port ?? 443), i64be(opts.user ?? 123_456_789n),
    ...(version === 1 ? [i64be(opts.salt ?? -2n), u32be(opts.seqNo ?? 4_000_000_000), u32be(opts.layer ?? 201)] : []),
    [...KEY],
  );
}


describe('compact V1 / V2 strings', () => {
  const cases: [1 | 2, number[], number, number][] = [
    [2, V4, 273, 364],
    [2, V6, 285, 380],
    [1, V4, 289, 386],
    [1, V6, 301, 402],
  ];
  for (const [version, ip, nBytes, nChars] of cases) {
    const family = ip.length === 4 ? 'IPv4' : 'IPv6';
    it(`V${version} ${family}: ${nBytes} bytes / ${nChars} chars, decodes, re-encodes to the same string`, () => {
      const raw = compact(version, ip);
      expect(raw.length).toBe(nBytes);
      expect(compactLength(version, ip.length === 4 ? 4 : 6)).toBe(nBytes);
      const text = toBase64Url(raw);
      expect(text).toHaveLength(nChars);
      expect(text.startsWith(version === 1 ? 'AQ' : 'Ag')).toBe(true);

      const r = decodeCompactString(`  ${text}\n`);
      expect(r.format).toBe('ferogram-compact');
      expect(r.formatVersion).toBe(`V${version}`);
      const s = r.session;
      expect(s.homeDc).toBe(2);
      expect(s.user?.id).toBe(123_456_789n);
      expect(s.dcs).toHaveLength(1);
      const dc = s.dcs[0]!;
      expect(dc.address).toBe(ip.length === 4 ? '149.154.167.51' : '2001:67c:4e8:f002::a');
      expect([dc.port, dc.ipv6, dc.timeOffset]).toEqual([443, ip.length === 16, 0]);
      expect(dc.salt).toBe(version === 1 ? -2n : 0n);
      expect(Buffer.from(dc.authKey!).equals(Buffer.from(KEY))).toBe(true);
      expect(s.seqNo).toBe(version === 1 ? 4_000_000_000 : undefined);
      expect(s.layer).toBe(version === 1 ? 201 : undefined);

      expect(encodeCompactString(s, { legacy: version === 1 })).toBe(text);
    });
  }

  it('trailing bytes are ignored', () => {
    const raw = bytes([...compact(2, V4)], [1, 2, 3]);
    expect(decodeCompactBytes(raw).session.user?.id).toBe(123_456_789n);
  });

  it('every truncation point of V1 and V2 (IPv4 and IPv6) is truncated/malformed', () => {
    for (const [v, ip] of [[1, V4], [1, V6], [2, V4], [2, V6]] as const) {
      const raw = compact(v, [...ip]);
      for (let n = 0; n < raw.length; n++) {
        expect(['truncated', 'malformed']).toContain(codeOf(() => decodeCompactBytes(raw.subarray(0, n))));
        expect(['truncated', 'malformed']).toContain(codeOf(() => decodeCompactString(toBase64Url(raw.subarray(0, n)))));
      }
    }
  });

  it('bad version is unsupported; bad ip_type is malformed; foreign characters are malformed', () => {
    const raw = compact(2, V4);
    expect(codeOf(() => decodeCompactBytes(bytes(u8(3), [...raw.subarray(1)])))).toBe('unsupported');
    expect(codeOf(() => decodeCompactBytes(bytes(u8(2), u8(2), u8(5), [...raw.subarray(3)])))).toBe('malformed');
    expect(codeOf(() => decodeCompactString('Ag+/' + toBase64Url(raw).slice(4)))).toBe('malformed');
  });

  it('the encoder refuses what a compact string cannot carry', () => {
    const s = decodeCompactBytes(compact(2, V4)).session;
    expect(codeOf(() => encodeCompactString({ ...s, user: undefined }))).toBe('missing-field');
    expect(codeOf(() => encodeCompactString({ ...s, dcs: [{ ...s.dcs[0]!, authKey: undefined }] }))).toBe('missing-field');
    expect(codeOf(() => encodeCompactString({ ...s, dcs: [{ ...s.dcs[0]!, address: 'venus.web.telegram.org' }] }))).toBe('unsupported');
  });

  it('encoding uses the home DC entry, preferring IPv4 over IPv6 and over media DCs', () => {
    const s = emptySession();
    s.homeDc = 4;
    s.user = { id: 7n };
    s.dcs = [
      makeDc({ id: 4, address: '2001:b28:f23d:f004::a', port: 443, authKey: KEY }),
      makeDc({ id: 4, address: '149.154.166.120', port: 443, mediaOnly: true, authKey: KEY }),
      makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: KEY }),
      makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: KEY }),
    ];
    const back = decodeCompactString(encodeCompactString(s)).session;
    expect([back.homeDc, back.dcs[0]!.address]).toEqual([4, '149.154.167.91']);
  });

  it('random bytes never throw anything but SessionError', () => {
    const prop = fc.property(fc.uint8Array({ maxLength: 400 }), (b) => codeOf(() => decodeCompactBytes(b)) !== 'not a SessionError');
    expect(() => fc.assert(prop, { numRuns: 2000, seed: 7 })).not.toThrow();
  });
});

describe('native strings', () => {
  it('are b64url-nopad of the v8 binary, start with CA, round trip the full session', () => {
    const s = fullSession();
    const text = ferogramString.encode(s);
    expect(text).toBe(toBase64Url(encodeFerogramBinary(s)));
    expect(text).not.toMatch(/[=+/]/);
    expect(text.startsWith('CA')).toBe(true);
    const r = decodeNativeString(`\n ${text} \t`);
    expect(r.format).toBe('ferogram-string');
    expect(r.formatVersion).toBe(8);
    expect(sameSession(r.session, s)).toBe(true);
  });

  it('read older versions too (a v2 body)', () => {
    const v2 = bytes(u8(2), i32le(3), u8(0), i32le(9), i32le(0), i32le(0), i32le(0), u16le(0), u16le(0));
    const r = decodeNativeString(toBase64Url(v2));
    expect([r.formatVersion, r.session.homeDc, r.session.updates.pts]).toEqual([2, 3, 9]);
  });

  it('an empty or blank string is an error, not a session', () => {
    expect(codeOf(() => decodeNativeString(''))).toBe('malformed');
    expect(codeOf(() => decodeNativeString('  \n'))).toBe('malformed');
  });

  it('every truncation point of a native v8 string is truncated/malformed', () => {
    const raw = encodeFerogramBinary(fullSession());
    for (let n = 0; n < raw.length; n++) {
      expect(['truncated', 'malformed']).toContain(codeOf(() => decodeNativeString(toBase64Url(raw.subarray(0, n)) || 'A')));
    }
  });
});

describe('auto-detect: compact first, else native', () => {
  it('a compact string is read as compact', () => {
    for (const v of [1, 2] as const) {
      expect(decodeFerogramAny(toBase64Url(compact(v, V4))).format).toBe('ferogram-compact');
    }
  });

  it('a native string is read as native, including a v2 body whose first byte is 2', () => {
    expect(decodeFerogramAny(ferogramString.encode(fullSession())).format).toBe('ferogram-string');
    // Version byte 2 looks like compact V2, but the byte after the DC id (ip_type) is 0 here.
    const v2 = bytes(u8(2), i32le(2), u8(0), i32le(0), i32le(0), i32le(0), i32le(0), u16le(0), u16le(0));
    const r = decodeFerogramAny(toBase64Url(v2));
    expect([r.format, r.formatVersion, r.session.homeDc]).toEqual(['ferogram-string', 2, 2]);
  });

  it('when both fail, the native error is reported', () => {
    expect(['truncated', 'malformed']).toContain(codeOf(() => decodeFerogramAny('AgAA')));
  });
});
