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
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

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
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const B64STD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict b64url decode (padding optional); throws 'malformed' on foreign characters. */
export function fromBase64Url(text: string, what: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  if (!B64URL.test(body) || body.length % 4 === 1) {
    throw new SessionError('malformed', `${what} is not valid base64url`);
  }
  return new Uint8Array(Buffer.from(body, 'base64url'));
}

export function fromBase64Std(text: string, what: string): Uint8Array {
  if (!B64STD.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new SessionError('malformed', `${what} is not valid base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function toBase64Url(bytes: Uint8Array, pad = false): string {
  const s = Buffer.from(bytes).toString('base64url');
  return pad ? s + '='.repeat((4 - (s.length % 4)) % 4) : s;
}

export function toBase64Std(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
