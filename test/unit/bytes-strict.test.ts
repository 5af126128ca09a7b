/**
 * The fast paths in bytes.ts and model/ip.ts against plain references: strict base64 against
 * alphabet regexes (Node's decoder skips foreign characters and truncates ones above U+00FF,
 * which the fast check must still refuse), integer reads against DataView, IPv4 parsing
 * against node:net; and the bytes kept from a decode (auth keys) owning their buffer.
 */
import fc from 'fast-check';
import { isIPv4 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { base64Reader, ByteReader, fromBase64Std, fromBase64Url } from '../../electron/core/bytes.js';
import { decodeTelethonString, encodeTelethonString } from '../../electron/core/formats/telethon-string.js';
import { ipBytesToText, ipTextToBytes } from '../../electron/core/model/ip.js';
import { fakeKey, oneDcSession } from '../helpers/sessions.js';

const URL_DIGITS = /^[A-Za-z0-9_-]*$/;
const STD_DIGITS = /^[A-Za-z0-9+/]*$/;

/** The decoders as they were before the fast path: regex, then Buffer. */
function reference(text: string, alphabet: 'base64' | 'base64url'): number[] | undefined {
  const body = text.replace(/=+$/, '');
  if (alphabet === 'base64' && text.length - body.length > 2) return undefined;
  if (body.length % 4 === 1 || !(alphabet === 'base64' ? STD_DIGITS : URL_DIGITS).test(body)) return undefined;
  return [...Buffer.from(body, alphabet)];
}

function ours(text: string, alphabet: 'base64' | 'base64url'): number[] | undefined {
  try {
    return [...(alphabet === 'base64' ? fromBase64Std(text, 'x') : fromBase64Url(text, 'x'))];
  } catch {
    return undefined;
  }
}

const DIGIT = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
/** Characters Node's decoder treats specially: the other alphabet, padding, spaces, Latin-1, and beyond. */
const ODD = fc.constantFrom('+', '/', '-', '_', '=', ' ', '\n', '*', '\0', '\u00a0', '\u00ff', '\u0100', '\u0141', '\u2028', '\ud83d');

const text = fc
  .tuple(fc.array(DIGIT, { maxLength: 400 }), fc.array(fc.tuple(fc.nat(), ODD), { maxLength: 3 }), fc.nat(3))
  .map(([digits, odd, pad]) => {
    const chars = [...digits];
    for (const [at, c] of odd) chars.splice(at % (chars.length + 1), 0, c);
    return chars.join('') + '='.repeat(pad);
  });

describe('strict base64', () => {
  it('accepts and decodes exactly what the alphabet regexes do', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(ours(t, 'base64url')).toEqual(reference(t, 'base64url'));
        expect(ours(t, 'base64')).toEqual(reference(t, 'base64'));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a character above U+00FF that Node would read as a digit', () => {
    // U+0141 has the low byte 0x41 ('A'): Buffer.from alone decodes it.
    expect(Buffer.from('AAA\u0141', 'base64url').length).toBe(3);
    expect(ours('AAA\u0141', 'base64url')).toBeUndefined();
    expect(() => base64Reader('AAA\u0141', 'base64url', 'x')).toThrow(/not valid base64url/);
  });

  it('a reader over decoded bytes hands out keys that stay put when more is decoded', () => {
    const key = base64Reader(Buffer.from([1, 2, 3, 4, 5, 6]).toString('base64url'), 'base64url', 'x').take(6, 'k');
    for (let i = 0; i < 2000; i++) base64Reader(Buffer.alloc(300, i).toString('base64url'), 'base64url', 'x');
    expect([...key]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('ByteReader integers', () => {
  it('match DataView for every width, sign and byte order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.boolean(), (b, le) => {
        const v = new DataView(b.buffer, b.byteOffset, 8);
        const r = () => new ByteReader(b);
        expect(r().u16('x', le)).toBe(v.getUint16(0, le));
        expect(r().i16('x', le)).toBe(v.getInt16(0, le));
        expect(r().u32('x', le)).toBe(v.getUint32(0, le));
        expect(r().i32('x', le)).toBe(v.getInt32(0, le));
        expect(r().u64('x', le)).toBe(v.getBigUint64(0, le));
        expect(r().i64('x', le)).toBe(v.getBigInt64(0, le));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('IPv4 text', () => {
  it('is what node:net calls IPv4, and prints back the same', () => {
    const part = fc.oneof(fc.nat(300).map(String), fc.constantFrom('00', '01', '010', '1a', '', '-1', ' 1'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const t = parts.join('.');
        const b = ipTextToBytes(t);
        // A dotted text is an IPv4 address (printed back as given) or not an address at all.
        expect(b === undefined ? undefined : ipBytesToText(b)).toBe(isIPv4(t) ? t : undefined);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('kept bytes', () => {
  it('each decoded session’s auth key lives in a buffer of its own string, never beside another’s', () => {
    const keys = [1, 2, 3].map((seed) => decodeTelethonString(encodeTelethonString(oneDcSession(seed))).session.dcs[0]!.authKey!);
    expect(new Set(keys.map((k) => k.buffer)).size).toBe(3);
    // The buffer behind a key holds that one string's bytes (Telethon's: 1 + 4 + 2 + 256 with an IPv4 address).
    for (const [i, k] of keys.entries()) {
      expect(k.buffer.byteLength).toBeLessThanOrEqual(263);
      expect([...k]).toEqual([...fakeKey(i + 1)]);
    }
    // A binary reader's kept bytes are copies, whatever the input is (a Buffer's own slice would be a view).
    const input = Buffer.from([1, 2, 3, 4, 5, 6]);
    const taken = new ByteReader(input, 'x').take(4, 'x');
    input.fill(0);
    expect([...taken]).toEqual([1, 2, 3, 4]);
    expect(taken.buffer).not.toBe(input.buffer);
  });
});
