/**
 * Bounds-checked byte cursor and builder shared by the binary codecs, and the strict base64
 * the string codecs read and write. Reading past the end throws a SessionError('truncated')
 * naming the field, so every cut point is a typed error. Strings are decoded in bulk (library
 * scans, detection), so the paths they take avoid typed-array allocations, copies and scans
 * in JS: see decodeInto below.
 */
import { SessionError } from './errors.js';

export class ByteReader {
  /** Position within the data read (0 at its start). */
  offset = 0;
  /**
   * Reads bytes[start, end). `owned`: those bytes are the caller's alone (see base64Reader),
   * so take() hands out views instead of copies.
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what = 'data',
    private readonly owned = false,
    private readonly start = 0,
    private readonly end = bytes.length,
  ) {}

  get remaining(): number {
    return this.end - this.start - this.offset;
  }

  /** The index in `bytes` of the next n bytes, which are then consumed. */
  private need(n: number, field: string): number {
    const at = this.start + this.offset;
    if (at + n > this.end) this.truncated(n, field);
    this.offset += n;
    return at;
  }

  // Apart from need(), so that need() stays small enough for V8 to inline into every read.
  private truncated(n: number, field: string): never {
    throw new SessionError(
      'truncated',
      `${this.what} is truncated: ${field} needs ${n} byte(s) at offset ${this.offset}, ${this.remaining} left`,
    );
  }

  // Integers are put together from bytes: a DataView per reader costs more than a string's
  // whole header, and 64-bit values need one only beyond 2^53 (see int64).
  u8(field: string): number {
    return this.bytes[this.need(1, field)]!;
  }
  u16(field: string, le: boolean): number {
    const at = this.need(2, field);
    const b = this.bytes;
    return le ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
  }
  i16(field: string, le: boolean): number {
    return (this.u16(field, le) << 16) >> 16;
  }
  u32(field: string, le: boolean): number {
    return this.i32(field, le) >>> 0;
  }
  i32(field: string, le: boolean): number {
    const at = this.need(4, field);
    return int32(this.bytes, at, le);
  }
  i64(field: string, le: boolean): bigint {
    return int64(this.bytes, this.need(8, field), le, true);
  }
  u64(field: string, le: boolean): bigint {
    return int64(this.bytes, this.need(8, field), le, false);
  }
  /** n bytes the caller may keep: a copy (see copyBytes), or a view when the input is owned. */
  take(n: number, field: string): Uint8Array {
    const at = this.need(n, field);
    if (n === 0) return NO_BYTES;
    return this.owned ? viewOf(this.bytes, at, at + n) : copyBytes(this.bytes, at, at + n);
  }
  /**
   * n bytes as Latin-1 text, one character per byte. For ASCII fields (addresses): a caller
   * that then checks for ASCII gets UTF-8's answer. Short texts are interned, since a batch of
   * sessions names the same few DC addresses over and over.
   */
  latin1(n: number, field: string): string {
    return latin1At(this.bytes, this.need(n, field), n);
  }
  /** The next n bytes as a reader of their own (no copy), named `what` in its errors. */
  sub(n: number, field: string, what: string): ByteReader {
    const at = this.need(n, field);
    return new ByteReader(this.bytes, what, this.owned, at, at + n);
  }
  /** n bytes as a view on the input (no copy), for fields read and dropped. */
  peek(n: number, field: string): Uint8Array {
    const at = this.need(n, field);
    return n === 0 ? NO_BYTES : viewOf(this.bytes, at, at + n);
  }
}

const INTERN_MAX = 64;
const INTERN_ENTRIES = 1024;
/** Hash of the bytes → their text (ByteReader.latin1). Strings are immutable, so sharing is safe. */
const INTERNED = new Map<number, string>();

function sameLatin1(text: string, b: Uint8Array, at: number, n: number): boolean {
  if (text.length !== n) return false;
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) !== b[at + i]) return false;
  return true;
}

/** b[at, at + n) as Latin-1 text (see ByteReader.latin1), short texts interned. */
export function latin1At(b: Uint8Array, at: number, n: number): string {
  if (n > INTERN_MAX) return (b instanceof Buffer ? b : asBuffer(b)).toString('latin1', at, at + n);
  let h = n;
  for (let i = at; i < at + n; i++) h = (Math.imul(h, 31) + b[i]!) | 0;
  const known = INTERNED.get(h);
  if (known !== undefined && sameLatin1(known, b, at, n)) return known;
  const text = (b instanceof Buffer ? b : asBuffer(b)).toString('latin1', at, at + n);
  if (INTERNED.size >= INTERN_ENTRIES) INTERNED.clear();
  INTERNED.set(h, text);
  return text;
}

/** What an empty field reads as (TL padding mostly): one shared array, as it holds nothing. */
const NO_BYTES = new Uint8Array(0);

function int32(b: Uint8Array, at: number, le: boolean): number {
  return le
    ? b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)
    : (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

/** Big-endian i16 at b[at] (the caller has checked the length: fixed layouts read this way). */
export const i16be = (b: Uint8Array, at: number): number => (((b[at]! << 8) | b[at + 1]!) << 16) >> 16;
/** Big-endian u32 at b[at]. */
export const u32be = (b: Uint8Array, at: number): number => int32(b, at, false) >>> 0;
/** Big-endian u64 at b[at], as ByteReader.u64 reads it. */
export const u64be = (b: Uint8Array, at: number): bigint => int64(b, at, false, false);

const TWO_32 = 2 ** 32;
/** The high word below which hi·2^32 + lo is an exact double (every real id). */
const EXACT_HI = 2 ** 21;

function int64(b: Uint8Array, at: number, le: boolean, signed: boolean): bigint {
  const lo = int32(b, le ? at : at + 4, le) >>> 0;
  const hi = signed ? int32(b, le ? at + 4 : at, le) : int32(b, le ? at + 4 : at, le) >>> 0;
  if (hi < EXACT_HI && hi >= -EXACT_HI) return BigInt(hi * TWO_32 + lo);
  const v = new DataView(b.buffer, b.byteOffset + at, 8);
  return signed ? v.getBigInt64(0, le) : v.getBigUint64(0, le);
}

// 64-bit values go through one shared DataView: a writer keeps none of its own (making one
// per writer costs more than writing a string's header).
const I64 = new DataView(new ArrayBuffer(8));
const I64_BYTES = new Uint8Array(I64.buffer);

export class ByteWriter {
  // Every session string fits the default, so string encoders never grow the buffer.
  private buf: Uint8Array;
  /** The same memory as a Buffer, for Buffer's native base64 encoder (made on first use). */
  private node: Buffer | undefined;
  length = 0;

  constructor(capacity = 512) {
    this.buf = new Uint8Array(capacity);
  }

  private grow(n: number): number {
    if (this.length + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
      this.node = undefined;
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  /** Starts over on the same memory. */
  reset(): this {
    this.length = 0;
    return this;
  }

  u8(v: number): this {
    // grow() may swap the buffer, so it must run before this.buf is read.
    const at = this.grow(1);
    this.buf[at] = v;
    return this;
  }
  u16(v: number, le: boolean): this {
    const at = this.grow(2);
    const b = this.buf;
    b[at + (le ? 0 : 1)] = v;
    b[at + (le ? 1 : 0)] = v >>> 8;
    return this;
  }
  i16(v: number, le: boolean): this {
    return this.u16(v & 0xffff, le);
  }
  u32(v: number, le: boolean): this {
    const at = this.grow(4);
    const b = this.buf;
    for (let i = 0; i < 4; i++) b[at + (le ? i : 3 - i)] = v >>> (8 * i);
    return this;
  }
  i32(v: number, le: boolean): this {
    return this.u32(v >>> 0, le);
  }
  i64(v: bigint, le: boolean): this {
    I64.setBigInt64(0, BigInt.asIntN(64, v), le);
    return this.bytes(I64_BYTES);
  }
  u64(v: bigint, le: boolean): this {
    I64.setBigUint64(0, BigInt.asUintN(64, v), le);
    return this.bytes(I64_BYTES);
  }
  bytes(b: Uint8Array): this {
    // grow() may swap the buffer, so it must run before this.buf is read.
    const at = this.grow(b.length);
    this.buf.set(b, at);
    return this;
  }
  /** Text as UTF-8; ASCII (every address) is written directly, without a TextEncoder. */
  utf8(text: string): this {
    const n = utf8Length(text);
    const at = this.grow(n);
    if (n === text.length) {
      for (let i = 0; i < n; i++) this.buf[at + i] = text.charCodeAt(i);
    } else {
      UTF8_ENCODER.encodeInto(text, this.buf.subarray(at, at + n));
    }
    return this;
  }
  /** The bytes written, as a view (no copy): the writer is done once this is called. */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
  /** The bytes written as base64 text, encoded natively straight from this writer's memory. */
  base64(alphabet: Base64Alphabet): string {
    this.node ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.node.toString(alphabet, 0, this.length);
  }
}

/** Byte length of text as UTF-8 (equal to its length when it is ASCII). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

const UTF8_ENCODER = new TextEncoder();

const STRING_WRITER = new ByteWriter();
let stringWriterBusy = false;

/**
 * `build`'s bytes as base64 text. String encoders write into one reused writer, so encoding a
 * string allocates nothing but the string; a nested call (none today) gets a writer of its own.
 */
export function writeBase64(alphabet: Base64Alphabet, build: (w: ByteWriter) => void): string {
  if (stringWriterBusy) {
    const w = new ByteWriter();
    build(w);
    return w.base64(alphabet);
  }
  stringWriterBusy = true;
  try {
    build(STRING_WRITER.reset());
    return STRING_WRITER.base64(alphabet);
  } finally {
    stringWriterBusy = false;
  }
}

// Bytes that are kept (auth keys above all) get an ArrayBuffer of their own, never a range of
// a shared one (Node's Buffer pool, or a slab of ours): one session's key then never shows
// another's bytes, through .buffer or structuredClone, and can be wiped alone. A shared slab
// decoded 100,000 strings ~30% faster (`npm run bench`, strings); not a loss anyone sees.

/** n bytes in an ArrayBuffer of their own (not zeroed: the caller fills them all). */
const ownBuffer = (n: number): Buffer => Buffer.allocUnsafeSlow(n);

/** A copy of src[start, end) that nothing else aliases. */
function copyBytes(src: Uint8Array, start = 0, end = src.length): Uint8Array {
  // Uint8Array's slice copies; a Buffer's own slice would be a view.
  return Uint8Array.prototype.slice.call(src, start, end);
}

/** A view of bytes[start, end) without a copy (a typed array's subarray is slower to make). */
export function viewOf(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

export type Base64Alphabet = 'base64' | 'base64url';

const EQUALS = 61;

/** Where the text's trailing '=' padding starts. */
function paddingAt(text: string): number {
  let n = text.length;
  while (n > 0 && text.charCodeAt(n - 1) === EQUALS) n--;
  return n;
}

/** The text without its trailing '=' padding. */
export function stripPadding(text: string): string {
  const n = paddingAt(text);
  return n === text.length ? text : text.slice(0, n);
}

/** Digit values of both alphabets by char code (-1: not a digit), for the checks below. */
const DIGIT = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'].entries()) DIGIT[c.charCodeAt(0)] = i;
DIGIT['+'.charCodeAt(0)] = DIGIT['-'.charCodeAt(0)] = 62;
DIGIT['/'.charCodeAt(0)] = DIGIT['_'.charCodeAt(0)] = 63;

/** Instant on V8's one-byte strings, which cannot hold such a character (unlike a length or charCode scan). */
const BEYOND_LATIN1 = /[^\0-\xff]/;

// Where decodeInto put its bytes: module state rather than a result object, since the
// callers run it once per string in bulk and read these at once.
let decoded: Uint8Array = new Uint8Array(0);
let decodedAt = 0;

/**
 * Unpadded base64 digits of one alphabet → bytes, or -1 when `digits` is anything else (a
 * foreign character, padding, whitespace, a length of 4k+1); the bytes are at `decoded`
 * from `decodedAt`. Node decodes natively but forgivingly: it skips characters outside both
 * alphabets (U+0080–U+00FF too), stops at '=', and reads a character above U+00FF as its low
 * byte. So those are refused first, the other alphabet's two digits are looked for, and a
 * skipped or stopping character shows as a short output (each costs at least one byte when
 * the length is not 4k+1). The bytes are the caller's alone, in a buffer of their own.
 */
function decodeInto(digits: string, alphabet: Base64Alphabet): number {
  const n = digits.length;
  if (n % 4 === 1 || BEYOND_LATIN1.test(digits)) return -1;
  const url = alphabet === 'base64url';
  if (digits.indexOf(url ? '+' : '-') >= 0 || digits.indexOf(url ? '/' : '_') >= 0) return -1;
  const size = (n * 3) >> 2;
  const out = ownBuffer(size);
  decoded = out;
  decodedAt = 0;
  return out.write(digits, 0, size, alphabet) === size ? size : -1;
}

/** decodeInto's bytes as a view that may be kept (nothing else refers to them). */
export function decodeBase64Digits(digits: string, alphabet: Base64Alphabet): Uint8Array | undefined {
  const size = decodeInto(digits, alphabet);
  return size < 0 ? undefined : viewOf(decoded, decodedAt, decodedAt + size);
}

/** Whether the last digit's unused low bits are zero, as an encoder writes them (valid digits only). */
export function canonicalTail(digits: string): boolean {
  const tail = digits.length % 4; // a last group of 2 digits leaves 4 bits unused, of 3 digits 2
  if (tail === 0) return true;
  const last = DIGIT[digits.charCodeAt(digits.length - 1) & 0x7f]!;
  return (last & (tail === 2 ? 0xf : 0x3)) === 0;
}

/** The digits of text from `from` on, without its padding: any '=' for url, at most two for std. */
function digitsOf(text: string, alphabet: Base64Alphabet, from = 0): string | undefined {
  const end = paddingAt(text);
  if (alphabet === 'base64' && text.length - end > 2) return undefined;
  return from === 0 && end === text.length ? text : text.slice(from, end);
}

function notBase64(alphabet: Base64Alphabet, what: string): SessionError {
  return new SessionError('malformed', `${what} is not valid ${alphabet}`);
}

function fromBase64(text: string, alphabet: Base64Alphabet, what: string): Uint8Array {
  const digits = digitsOf(text, alphabet);
  const bytes = digits === undefined ? undefined : decodeBase64Digits(digits, alphabet);
  if (bytes === undefined) throw notBase64(alphabet, what);
  return bytes;
}

/** Strict b64url decode (padding optional); throws 'malformed' on foreign characters. */
export const fromBase64Url = (text: string, what: string): Uint8Array => fromBase64(text, 'base64url', what);

/** Strict standard base64: its alphabet, then at most two '='. */
export const fromBase64Std = (text: string, what: string): Uint8Array => fromBase64(text, 'base64', what);

/**
 * fromBase64Url / fromBase64Std of text from `from` on, as a reader over the decoded bytes,
 * which are the reader's alone: no view is made of the whole, and take() hands out views (an
 * auth key is not copied).
 */
export function base64Reader(text: string, alphabet: Base64Alphabet, what: string, from = 0): ByteReader {
  const digits = digitsOf(text, alphabet, from);
  const size = digits === undefined ? -1 : decodeInto(digits, alphabet);
  if (size < 0) throw notBase64(alphabet, what);
  return new ByteReader(decoded, what, true, decodedAt, decodedAt + size);
}

/** A Buffer over the same memory, for Buffer's encoders. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function toBase64Url(bytes: Uint8Array, pad = false): string {
  const s = asBuffer(bytes).toString('base64url');
  return pad ? s + '='.repeat((4 - (s.length % 4)) % 4) : s;
}

export function toBase64Std(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('base64');
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

const UTF8_LOSSY = new TextDecoder('utf-8');

/** UTF-8 text where a bad sequence becomes U+FFFD instead of an error. */
export function utf8Lossy(bytes: Uint8Array): string {
  return UTF8_LOSSY.decode(bytes);
}
