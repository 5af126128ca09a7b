/**
 * The TDF$ container every tdata file is wrapped in (storage_file_utilities.cpp, ReadFile and
 * FileWriteDescriptor): "TDF$", the app version (int32, little-endian), the payload, and
 * MD5(payload ‖ payload length (int32 LE) ‖ version (LE) ‖ "TDF$").
 *
 * A logical file `name` is stored as `name` + 's' (written through a temp file and a rename),
 * or by older Desktops as `name0`/`name1` (two copies written in turn). Of the variants present,
 * the valid one with the newest app version is read, `s` first on a tie, then the newer file.
 * Desktop itself reads only `s` when it exists, else 0 and 1 newest first, and skips a file
 * whose version is newer than its own. A file that fails the container's checks (its MD5 above
 * all) may be in the middle of a rewrite by a running Desktop (0/1 files are rewritten in
 * place), so it is read again, a little later, before it counts as damaged. Reading never
 * writes, renames or locks anything.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SessionError } from '../../errors.js';
import { ioError } from '../../fs/atomic.js';

export const TDF_MAGIC = new Uint8Array([0x54, 0x44, 0x46, 0x24]); // "TDF$"
const HEADER = 8;
const MD5_SIZE = 16;

export interface TdfFile {
  version: number;
  payload: Uint8Array;
}

function checksum(payload: Uint8Array, versionBytes: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32LE(payload.length);
  return createHash('md5').update(payload).update(len).update(versionBytes).update(TDF_MAGIC).digest();
}

/** True when bytes start with the TDF$ magic. */
export function hasTdfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && TDF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Unwraps one container; `what` names the file in errors. A wrong MD5 is 'malformed'. */
export function decodeTdf(bytes: Uint8Array, what: string): TdfFile {
  if (bytes.length < 4) throw new SessionError('truncated', `${what} is truncated: ${bytes.length} byte(s), the TDF$ header needs 8`);
  if (!hasTdfMagic(bytes)) throw new SessionError('malformed', `${what} is not a Telegram Desktop file (no TDF$ magic)`);
  if (bytes.length < HEADER + MD5_SIZE) {
    throw new SessionError('truncated', `${what} is truncated: ${bytes.length} byte(s), a TDF$ file has at least ${HEADER + MD5_SIZE}`);
  }
  const versionBytes = bytes.subarray(4, 8);
  const version = Buffer.from(versionBytes).readInt32LE(0);
  const payload = bytes.subarray(HEADER, bytes.length - MD5_SIZE);
  if (!checksum(payload, versionBytes).equals(bytes.subarray(bytes.length - MD5_SIZE))) {
    throw new SessionError('malformed', `${what}: MD5 does not match (the file is damaged or cut short)`);
  }
  return { version, payload };
}

export function encodeTdf(payload: Uint8Array, version: number): Uint8Array {
  const out = new Uint8Array(HEADER + payload.length + MD5_SIZE);
  out.set(TDF_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setInt32(4, version, true);
  out.set(payload, HEADER);
  out.set(checksum(payload, out.subarray(4, 8)), HEADER + payload.length);
  return out;
}

export const VARIANTS = ['s', '0', '1'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface ReadOptions {
  /** Reads again after a wrong MD5 this many times (default 2), `retryDelayMs` apart (default 100). */
  retries?: number;
  retryDelayMs?: number;
}

export interface ReadTdf extends TdfFile {
  variant: Variant;
  warnings: string[];
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => {
  if (ms > 0) Atomics.wait(SLEEPER, 0, 0, ms);
};

/** The variants of `base` in `dir` that exist as files, with their modification times. */
export function presentVariants(dir: string, base: string): { variant: Variant; path: string; mtimeMs: number }[] {
  const out: { variant: Variant; path: string; mtimeMs: number }[] = [];
  for (const variant of VARIANTS) {
    const path = join(dir, base + variant);
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      throw ioError(e, path);
    }
    if (st.isFile()) out.push({ variant, path, mtimeMs: st.mtimeMs });
  }
  return out;
}

/** The file unwrapped; one that fails the container's checks (a wrong MD5 above all) is read again first. */
function readWithRetry(path: string, opts: ReadOptions): TdfFile {
  const retries = opts.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw ioError(e, path);
    }
    try {
      return decodeTdf(bytes, path);
    } catch (e) {
      if (!(e instanceof SessionError) || attempt >= retries) throw e;
      sleep(opts.retryDelayMs ?? 100);
    }
  }
}

/**
 * The logical file `base` in `dir` (its variants are named `base` + s/0/1 in messages), or
 * undefined when no variant exists. Throws the first variant's error when none is valid.
 */
export function readTdfFile(dir: string, base: string, opts: ReadOptions = {}): ReadTdf | undefined {
  const present = presentVariants(dir, base);
  if (present.length === 0) return undefined;
  const valid: (ReadTdf & { mtimeMs: number })[] = [];
  const failures: { variant: Variant; error: SessionError }[] = [];
  for (const p of present) {
    try {
      valid.push({ ...readWithRetry(p.path, opts), variant: p.variant, mtimeMs: p.mtimeMs, warnings: [] });
    } catch (e) {
      if (!(e instanceof SessionError)) throw e;
      failures.push({ variant: p.variant, error: e });
    }
  }
  if (valid.length === 0) throw failures[0]!.error;
  valid.sort((a, b) => b.version - a.version || Number(b.variant === 's') - Number(a.variant === 's') || b.mtimeMs - a.mtimeMs);
  const best = valid[0]!;
  const warnings = failures.map((f) => `${base}${f.variant} is unreadable (${f.error.code}): read ${base}${best.variant} instead`);
  return { version: best.version, payload: best.payload, variant: best.variant, warnings };
}
