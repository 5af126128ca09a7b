/**
 * Typed access to SQLite cell values read with `safeIntegers(true)` (integers arrive as
 * bigint, so ids and access hashes never pass through a lossy JS number). Every mismatch is
 * a SessionError naming the table and column, never the value itself.
 */
import { SessionError } from '../errors.js';

export type SqlValue = bigint | number | string | Uint8Array | null;
export type SqlRow = Record<string, SqlValue>;

function wrongType(what: string, v: SqlValue, want: string): SessionError {
  const got = v === null ? 'NULL' : v instanceof Uint8Array ? 'a BLOB' : typeof v === 'string' ? 'TEXT' : 'a number';
  return new SessionError('malformed', `${what} holds ${got}, expected ${want}`);
}

/** An INTEGER (a REAL with no fraction is accepted: Python writes floats into integer columns). */
export function sqlBigInt(v: SqlValue, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw wrongType(what, v, 'an integer');
}

export function sqlBigIntOrNull(v: SqlValue, what: string): bigint | null {
  return v === null ? null : sqlBigInt(v, what);
}

/** A 32-bit-range integer as a JS number. */
export function sqlInt(v: SqlValue, what: string): number {
  const b = sqlBigInt(v, what);
  if (b < -0x80000000n || b > 0xffffffffn) {
    throw new SessionError('malformed', `${what} is out of the 32-bit range`);
  }
  return Number(b);
}

/** Unix seconds that may be stored as REAL (Python's datetime.timestamp()): whole seconds. */
export function sqlSeconds(v: SqlValue, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.floor(v);
  return sqlInt(v, what);
}

export function sqlTextOrNull(v: SqlValue, what: string): string | null {
  if (v === null || typeof v === 'string') return v;
  throw wrongType(what, v, 'TEXT');
}

export function sqlBlobOrNull(v: SqlValue, what: string): Uint8Array | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) return new Uint8Array(v);
  throw wrongType(what, v, 'a BLOB');
}
