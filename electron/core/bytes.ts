/**
 * Bounds-checked byte cursor and builder shared by the binary codecs. Reading past the end
 * throws a SessionError('truncated') naming the field, so every cut point is a typed error.
 */
import { SessionError } from './errors.js';

export class ByteReader {
  private readonly view: DataView;
  offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    private readonly what = 'data',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number, field: string): number {
    if (this.offset + n > this.bytes.length) {
      throw new SessionError(
        'truncated',
        `${this.what} is truncated: ${field} needs ${n} byte(s) at offset ${this.offset}, ${this.remaining} left`,
      );
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(field: string): number {
    return this.bytes[this.need(1, field)]!;
  }
  u16(field: string, le: boolean): number {
    return this.view.getUint16(this.need(2, field), le);
  }
  i16(field: string, le: boolean): number {
    return this.view.getInt16(this.need(2, field), le);
  }
  u32(field: string, le: boolean): number {
    return this.view.getUint32(this.need(4, field), le);
  }
  i32(field: string, le: boolean): number {
    return this.view.getInt32(this.need(4, field), le);
  }
  i64(field: string, le: boolean): bigint {
    return this.view.getBigInt64(this.need(8, field), le);
  }
  u64(field: string, le: boolean): bigint {
    return this.view.getBigUint64(this.need(8, field), le);
  }
  /** n bytes as a copy the caller may keep (see copyBytes). */
  take(n: number, field: string): Uint8Array {
    const at = this.need(n, field);
    return copyBytes(this.bytes, at, at + n);
  }
  /** n bytes as a view on the input, for fields read and dropped (no copy). */
  peek(n: number, field: string): Uint8Array {
    const at = this.need(n, field);
    return this.bytes.subarray(at, at + n);
  }
}

// 64-bit values go through one shared DataView: a writer over a small on-heap array has no
// cheap DataView of its own (asking for .buffer would move the array off the heap).
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
    this.buf[this.grow(1)] = v;
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

// Copies that are kept (auth keys above all) come from a shared zeroed slab: a typed array of
// its own costs an off-heap allocation, several times a whole string decode. A copy never
// aliases its source, and nothing else is ever written into its range of the slab.
const SLAB_SIZE = 16 * 1024;
const SLAB_MAX_COPY = 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabAt = 0;

/** A copy of src[start, end) that nothing else aliases. */
export function copyBytes(src: Uint8Array, start = 0, end = src.length): Uint8Array {
  const n = end - start;
  if (n > SLAB_MAX_COPY) return src.slice(start, end);
  if (slabAt + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabAt = 0;
  }
  const out = new Uint8Array(slab, slabAt, n);
  slabAt += (n + 7) & ~7;
  out.set(start === 0 && end === src.length ? src : src.subarray(start, end));
  return out;
}

export type Base64Alphabet = 'base64' | 'base64url';

const EQUALS = 61;

/** The text without its trailing '=' padding. */
export function stripPadding(text: string): string {
  let n = text.length;
  while (n > 0 && text.charCodeAt(n - 1) === EQUALS) n--;
  return n === text.length ? text : text.slice(0, n);
}

/** Digit values of both alphabets by char code (-1: not a digit), for the checks below. */
const DIGIT = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'].entries()) DIGIT[c.charCodeAt(0)] = i;
DIGIT['+'.charCodeAt(0)] = DIGIT['-'.charCodeAt(0)] = 62;
DIGIT['/'.charCodeAt(0)] = DIGIT['_'.charCodeAt(0)] = 63;

/**
 * Unpadded base64 digits of one alphabet → bytes, or undefined when `digits` is anything else
 * (a foreign character, padding, whitespace, a length of 4k+1). Node decodes natively but
 * forgivingly: it skips characters outside both alphabets, stops at '=', and reads a character
 * above U+00FF as its low byte. So: non-ASCII text is refused first, the other alphabet's two
 * digits are looked for, and a skipped or stopping character shows as a short output (each
 * one costs at least one byte when the length is not 4k+1). The result is a view on Buffer's
 * pool that is not shared: read it, and copyBytes what is kept.
 */
export function decodeBase64Digits(digits: string, alphabet: Base64Alphabet): Uint8Array | undefined {
  const n = digits.length;
  if (n % 4 === 1 || utf8Length(digits) !== n) return undefined;
  const url = alphabet === 'base64url';
  if (digits.indexOf(url ? '+' : '-') >= 0 || digits.indexOf(url ? '/' : '_') >= 0) return undefined;
  const b = Buffer.from(digits, alphabet);
  if (b.length !== (n * 3) >> 2) return undefined;
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** Whether the last digit's unused low bits are zero, as an encoder writes them (valid digits only). */
export function canonicalTail(digits: string): boolean {
  const unused = (digits.length % 4) * 2; // 2 digits: 4 unused bits, 3 digits: 2
  if (unused === 0) return true;
  const last = DIGIT[digits.charCodeAt(digits.length - 1) & 0x7f]!;
  return (last & ((1 << (8 - unused)) - 1)) === 0;
}

/** Strict b64url decode (padding optional); throws 'malformed' on foreign characters. */
export function fromBase64Url(text: string, what: string): Uint8Array {
  const bytes = decodeBase64Digits(stripPadding(text), 'base64url');
  if (bytes === undefined) throw new SessionError('malformed', `${what} is not valid base64url`);
  return bytes;
}

/** Strict standard base64: its alphabet, then at most two '='. */
export function fromBase64Std(text: string, what: string): Uint8Array {
  const body = stripPadding(text);
  const bytes = text.length - body.length > 2 ? undefined : decodeBase64Digits(body, 'base64');
  if (bytes === undefined) throw new SessionError('malformed', `${what} is not valid base64`);
  return bytes;
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

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text that must be valid: a bad sequence is a malformed field, not a TypeError. */
export function utf8Strict(bytes: Uint8Array, what: string): string {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    throw new SessionError('malformed', `${what} is not valid UTF-8`);
  }
}
