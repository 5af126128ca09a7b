/**
 * The QDataStream (Qt 5.1) pieces tdata files are made of: big-endian integers, and byte
 * arrays and strings as a uint32 byte length (0xFFFFFFFF for a null one) and their bytes.
 */
import type { ByteReader, ByteWriter } from '../../bytes.js';

const NULL_LENGTH = 0xffffffff;

/** A QByteArray; a null one (length 0xFFFFFFFF) reads as empty, as Qt and every reader do. */
export function readQBytes(r: ByteReader, field: string): Uint8Array {
  const n = r.u32(`${field} length`, false);
  return n === NULL_LENGTH ? new Uint8Array(0) : r.take(n, field);
}

/** Skips a QByteArray or QString (same length prefix; a QString's bytes are UTF-16BE). */
export function skipQBytes(r: ByteReader, field: string): void {
  const n = r.u32(`${field} length`, false);
  if (n !== NULL_LENGTH) r.peek(n, field);
}

/** A QByteArray; null (as Desktop writes its empty legacy fields) when `bytes` is null. */
export function writeQBytes(w: ByteWriter, bytes: Uint8Array | null): void {
  if (bytes === null) w.u32(NULL_LENGTH, false);
  else w.u32(bytes.length, false).bytes(bytes);
}
