/**
 * MTProto TL primitives mtcute uses in its strings and key_value blobs: `bytes` (length
 * prefix, 0xFE + 24-bit LE length from 254 on, zero padding to 4), Bool, int53 (LE i64).
 * Strict: padding must be zero and lengths must fit.
 */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { SessionError } from '../errors.js';

export const BOOL_TRUE = 0x997275b5;
export const BOOL_FALSE = 0xbc799737;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function readTlBytes(r: ByteReader, field: string): Uint8Array {
  const first = r.u8(`${field} length`);
  let len: number;
  let head: number;
  if (first === 254) {
    len = r.u8(field) | (r.u8(field) << 8) | (r.u8(field) << 16);
    head = 4;
    if (len < 254) throw new SessionError('malformed', `${field}: long TL length ${len} should use the short form`);
  } else if (first === 255) {
    throw new SessionError('malformed', `${field}: TL length byte 255 is invalid`);
  } else {
    len = first;
    head = 1;
  }
  const data = r.take(len, field);
  const pad = (4 - ((head + len) % 4)) % 4;
  if (r.take(pad, `${field} padding`).some((b) => b !== 0)) {
    throw new SessionError('malformed', `${field}: TL padding is not zero`);
  }
  return data;
}

export function writeTlBytes(w: ByteWriter, data: Uint8Array): void {
  if (data.length >= 1 << 24) throw new SessionError('too-large', `TL bytes of ${data.length} bytes do not fit`);
  const head = data.length <= 253 ? 1 : 4;
  if (head === 1) w.u8(data.length);
  else w.u8(254).u8(data.length & 0xff).u8((data.length >> 8) & 0xff).u8((data.length >> 16) & 0xff);
  w.bytes(data);
  w.bytes(new Uint8Array((4 - ((head + data.length) % 4)) % 4));
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
