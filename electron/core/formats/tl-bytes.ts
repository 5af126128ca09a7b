/**
 * MTProto TL primitives mtcute uses in its strings and key_value blobs: `bytes` (length
 * prefix, 0xFE + 24-bit LE length from 254 on, zero padding to 4), Bool, int53 (LE i64).
 * Strict: padding must be zero and lengths must fit.
 */
import { utf8Length, type ByteReader, type ByteWriter } from '../bytes.js';
import { SessionError } from '../errors.js';

export const BOOL_TRUE = 0x997275b5;
export const BOOL_FALSE = 0xbc799737;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A TL bytes field's length, its header read: one byte below 254, else 0xFE + 24-bit LE. */
export function readTlLength(r: ByteReader, field: string): number {
  const first = r.u8(field);
  if (first < 254) return first;
  if (first === 255) throw new SessionError('malformed', `${field}: TL length byte 255 is invalid`);
  const len = r.u8(field) | (r.u8(field) << 8) | (r.u8(field) << 16);
  if (len < 254) throw new SessionError('malformed', `${field}: long TL length ${len} should use the short form`);
  return len;
}

/** The zero padding after a TL bytes field of len bytes, checked a byte at a time (no view). */
export function readTlPadding(r: ByteReader, field: string, len: number): void {
  const pad = (4 - (((len < 254 ? 1 : 4) + len) % 4)) % 4;
  let bits = 0;
  for (let i = 0; i < pad; i++) bits |= r.u8(field);
  if (bits !== 0) throw new SessionError('malformed', `${field}: TL padding is not zero`);
}

export function readTlBytes(r: ByteReader, field: string): Uint8Array {
  const len = readTlLength(r, field);
  const data = r.take(len, field);
  readTlPadding(r, field, len);
  return data;
}

/** The header of a TL bytes field of n bytes (the inverse of readTlLength). */
export function writeTlLength(w: ByteWriter, n: number): void {
  if (n >= 1 << 24) throw new SessionError('too-large', `TL bytes of ${n} bytes do not fit`);
  if (n <= 253) w.u8(n);
  else w.u8(254).u8(n & 0xff).u8((n >> 8) & 0xff).u8((n >> 16) & 0xff);
}

/** The zero padding after a TL bytes field of n bytes. */
export function writeTlPadding(w: ByteWriter, n: number): void {
  const pad = (4 - (((n <= 253 ? 1 : 4) + n) % 4)) % 4;
  for (let i = 0; i < pad; i++) w.u8(0);
}

/** Bytes a TL bytes field of n bytes takes, header and padding included. */
export function tlBytesSize(n: number): number {
  const head = n <= 253 ? 1 : 4;
  return head + n + ((4 - ((head + n) % 4)) % 4);
}

export function writeTlBytes(w: ByteWriter, data: Uint8Array): void {
  writeTlLength(w, data.length);
  w.bytes(data);
  writeTlPadding(w, data.length);
}

/** Text as TL bytes (UTF-8), written straight from the string. */
export function writeTlString(w: ByteWriter, text: string): void {
  const n = utf8Length(text);
  writeTlLength(w, n);
  w.utf8(text);
  writeTlPadding(w, n);
}

export function readTlBool(r: ByteReader, field: string): boolean {
  const v = r.u32(field, true);
  if (v === BOOL_TRUE) return true;
  if (v === BOOL_FALSE) return false;
  throw new SessionError('malformed', `${field} is 0x${v.toString(16)}, not a TL Bool`);
}

export function writeTlBool(w: ByteWriter, v: boolean): void {
  w.u32(v ? BOOL_TRUE : BOOL_FALSE, true);
}

/** mtcute's int53: a LE i64 whose value must be a safe JS integer. */
export function readInt53(r: ByteReader, field: string): bigint {
  const v = r.i64(field, true);
  if (v > MAX_SAFE || v < -MAX_SAFE) throw new SessionError('malformed', `${field} ${v} is beyond 2^53`);
  return v;
}

export function writeInt53(w: ByteWriter, v: bigint, field: string): void {
  if (v > MAX_SAFE || v < -MAX_SAFE) throw new SessionError('too-large', `${field} ${v} does not fit mtcute's int53`);
  w.i64(v, true);
}
