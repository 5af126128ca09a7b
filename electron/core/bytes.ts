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
    return this.view.getUint8(this.need(1, field));
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
  take(n: number, field: string): Uint8Array {
    const at = this.need(n, field);
    return this.bytes.slice(at, at + n);
  }
}

export class ByteWriter {
  // Every session string fits the default, so string encoders never grow the buffer.
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 512) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private grow(n: number): number {
    if (this.length + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  u8(v: number): this {
    const at = this.grow(1);
    this.view.setUint8(at, v);
    return this;
  }
  u16(v: number, le: boolean): this {
    const at = this.grow(2);
    this.view.setUint16(at, v, le);
    return this;
  }
  i16(v: number, le: boolean): this {
    const at = this.grow(2);
    this.view.setInt16(at, v, le);
    return this;
  }
  u32(v: number, le: boolean): this {
    const at = this.grow(4);
    this.view.setUint32(at, v, le);
    return this;
  }
  i32(v: number, le: boolean): this {
    const at = this.grow(4);
    this.view.setInt32(at, v, le);
    return this;
  }
  i64(v: bigint, le: boolean): this {
    const at = this.grow(8);
    this.view.setBigInt64(at, BigInt.asIntN(64, v), le);
    return this;
  }
  u64(v: bigint, le: boolean): this {
    const at = this.grow(8);
    this.view.setBigUint64(at, BigInt.asUintN(64, v), le);
    return this;
  }
  bytes(b: Uint8Array): this {
    // grow() may swap the buffer, so it must run before this.buf is read.
    const at = this.grow(b.length);
    this.buf.set(b, at);
    return this;
  }
  /** The bytes written, as a view (no copy): the writer is done once this is called. */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const B64STD = /^[A-Za-z0-9+/]*$/;
const EQUALS = 61;

// Session strings are decoded in bulk (library scans, the bench): no regex scan for the padding
// and no copy of Buffer's output (a view on it; ByteReader honours byteOffset), just as strict.

/** The text without its trailing '=' padding. */
export function stripPadding(text: string): string {
  let n = text.length;
  while (n > 0 && text.charCodeAt(n - 1) === EQUALS) n--;
  return n === text.length ? text : text.slice(0, n);
}

function decodeDigits(body: string, encoding: 'base64' | 'base64url'): Uint8Array {
  const b = Buffer.from(body, encoding);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** A Buffer over the same memory, for Buffer's encoders. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Strict b64url decode (padding optional); throws 'malformed' on foreign characters. */
export function fromBase64Url(text: string, what: string): Uint8Array {
  const body = stripPadding(text);
  if (body.length % 4 === 1 || !B64URL.test(body)) {
    throw new SessionError('malformed', `${what} is not valid base64url`);
  }
  return decodeDigits(body, 'base64url');
}

/** Strict standard base64: its alphabet, then at most two '='. */
export function fromBase64Std(text: string, what: string): Uint8Array {
  const body = stripPadding(text);
  if (text.length - body.length > 2 || body.length % 4 === 1 || !B64STD.test(body)) {
    throw new SessionError('malformed', `${what} is not valid base64`);
  }
  return decodeDigits(body, 'base64');
}

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
