/**
 * A small POSIX ustar writer and streaming reader: regular files and folders only. Names that
 * do not fit the 100-byte ASCII name field travel in a pax extended header, so `tar -x` of any
 * POSIX tar restores them. The reader also accepts GNU tar's long names, for archives repacked
 * by hand, and refuses links and devices.
 */
import { SessionError } from '../errors.js';

export const BLOCK = 512;
/** 11 octal digits: the largest size or mtime the ustar numeric fields hold. */
const OCTAL_MAX = 8 ** 11 - 1;
const MAX_META = 1024 * 1024;

export interface TarHeader {
  /** Relative path with '/' separators; folders without the trailing slash. */
  path: string;
  type: 'file' | 'directory';
  size: number;
  /** Permission bits. */
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export interface TarEntry extends TarHeader {
  /** The file's bytes; unread bytes are skipped when the next entry is requested. */
  body: AsyncIterable<Uint8Array>;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------------------------------------
// Writing

/** The header block(s) for one entry: a pax header first when the name or size needs one. */
export function encodeHeader(h: TarHeader): Uint8Array {
  const name = h.type === 'directory' ? `${h.path}/` : h.path;
  const size = h.type === 'directory' ? 0 : h.size;
  const pax: [string, string][] = [];
  if (!/^[\x20-\x7e]*$/.test(name) || name.length > 100) pax.push(['path', name]);
  if (size > OCTAL_MAX) pax.push(['size', String(size)]);
  const main = ustarBlock(pax.length > 0 ? asciiFallback(name) : name, h.type === 'directory' ? '5' : '0', {
    size: Math.min(size, OCTAL_MAX),
    mode: h.mode & 0o7777,
    mtime: Math.max(0, Math.min(Math.floor(h.mtime), OCTAL_MAX)),
  });
  if (pax.length === 0) return main;
  const body = enc.encode(pax.map(([k, v]) => paxRecord(k, v)).join(''));
  const paxHeader = ustarBlock(asciiFallback(`PaxHeaders/${name}`), 'x', {
    size: body.length,
    mode: 0o644,
    mtime: Math.max(0, Math.min(Math.floor(h.mtime), OCTAL_MAX)),
  });
  return concat([paxHeader, body, padding(body.length), main]);
}

/** Zero bytes that round an entry's body up to a whole block. */
export function padding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two zero blocks end a tar archive. */
export function endOfArchive(): Uint8Array {
  return new Uint8Array(2 * BLOCK);
}

function ustarBlock(name: string, type: string, n: { size: number; mode: number; mtime: number }): Uint8Array {
  const b = new Uint8Array(BLOCK);
  putString(b, 0, 100, name);
  putOctal(b, 100, 8, n.mode);
  putOctal(b, 108, 8, 0); // uid
  putOctal(b, 116, 8, 0); // gid
  putOctal(b, 124, 12, n.size);
  putOctal(b, 136, 12, n.mtime);
  b[156] = type.charCodeAt(0);
  putString(b, 257, 6, 'ustar\0');
  putString(b, 263, 2, '00');
  // The checksum is computed with its own field read as eight spaces.
  b.fill(0x20, 148, 156);
  putString(b, 148, 8, `${checksum(b).toString(8).padStart(6, '0')}\0 `);
  return b;
}

function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restLen = enc.encode(rest).length;
  // The length prefix counts its own digits.
  let len = restLen + 1;
  while (String(len).length + restLen !== len) len = String(len).length + restLen;
  return `${len}${rest}`;
}

/** A printable ASCII stand-in for readers that ignore pax headers (the pax path wins otherwise). */
function asciiFallback(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= 100 ? ascii : ascii.slice(0, 100);
}

function putString(b: Uint8Array, at: number, len: number, s: string): void {
  const bytes = enc.encode(s);
  b.set(bytes.subarray(0, len), at);
}

function putOctal(b: Uint8Array, at: number, len: number, v: number): void {
  putString(b, at, len, `${v.toString(8).padStart(len - 1, '0')}\0`);
}

function checksum(b: Uint8Array): number {
  let sum = 0;
  for (const x of b) sum += x;
  return sum;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Entries of a tar stream, in order. The whole source is consumed, including what follows the
 * end-of-archive marker (it must be zeros), so an authenticated stream is always read to its end.
 */
export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const src = new Pull(source[Symbol.asyncIterator]());
  let pax = new Map<string, string>();
  let longName: string | undefined;
  for (;;) {
    const block = await src.take(BLOCK, 'an entry header');
    if (isZero(block)) {
      if (!isZero(await src.take(BLOCK, 'the end-of-archive marker'))) {
        throw malformed('a lone zero block in the middle of the archive');
      }
      await src.expectZerosToEnd();
      return;
    }
    const h = parseBlock(block);
    if (h.type === 'x' || h.type === 'g' || h.type === 'L') {
      if (h.size > MAX_META) throw new SessionError('too-large', `tar: a ${h.size}-byte extended header is too large`);
      const body = await src.take(h.size, 'an extended header');
      await src.take(padding(h.size).length, 'padding');
      if (h.type === 'x') pax = parsePax(body);
      if (h.type === 'L') longName = cString(body);
      continue;
    }
    const paxSize = pax.get('size');
    const size = paxSize !== undefined ? parseDecimal(paxSize) : h.size;
    const rawName = pax.get('path') ?? longName ?? (h.prefix ? `${h.prefix}/${h.name}` : h.name);
    pax = new Map();
    longName = undefined;
    let type: TarHeader['type'];
    if (h.type === '0' || h.type === '\0' || h.type === '7') type = 'file';
    else if (h.type === '5') type = 'directory';
    else throw new SessionError('unsupported', `tar: entry type "${printable(h.type)}" (links, devices) is not supported`);
    if (type === 'directory' && size !== 0) throw malformed('a folder entry with a size');
    const path = type === 'directory' ? rawName.replace(/\/+$/, '') : rawName;
    let remaining = size;
    const body: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        while (remaining > 0) {
          const chunk = await src.some(remaining, path);
          remaining -= chunk.length;
          yield chunk;
        }
      },
    };
    yield { path, type, size, mode: h.mode, mtime: h.mtime, body };
    while (remaining > 0) remaining -= (await src.some(remaining, path)).length;
    await src.take(padding(size).length, 'padding');
  }
}

interface RawHeader {
  name: string;
  prefix: string;
  type: string;
  size: number;
  mode: number;
  mtime: number;
}

function parseBlock(b: Uint8Array): RawHeader {
  const magic = latin1(b, 257, 8);
  if (!magic.startsWith('ustar\x0000') && magic !== 'ustar  \0') throw malformed('an entry header without the ustar magic');
  const stored = parseOctal(b, 148, 8, 'checksum');
  const copy = b.slice();
  copy.fill(0x20, 148, 156);
  if (checksum(copy) !== stored) throw malformed('an entry header with a bad checksum');
  return {
    name: cString(b.subarray(0, 100)),
    prefix: magic === 'ustar  \0' ? '' : cString(b.subarray(345, 500)),
    type: String.fromCharCode(b[156] ?? 0),
    size: parseOctal(b, 124, 12, 'size'),
    mode: parseOctal(b, 100, 8, 'mode'),
    mtime: parseOctal(b, 136, 12, 'mtime'),
  };
}

function parseOctal(b: Uint8Array, at: number, len: number, field: string): number {
  if (((b[at] ?? 0) & 0x80) !== 0) throw malformed(`a base-256 ${field} field (not supported)`);
  const text = latin1(b, at, len).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw malformed(`an entry header with a bad ${field} field`);
  return parseInt(text, 8);
}

function parseDecimal(s: string): number {
  if (!/^\d{1,15}$/.test(s)) throw malformed('a pax size that is not a number');
  return Number(s);
}

function parsePax(body: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < body.length) {
    let sp = at;
    while (sp < body.length && body[sp] !== 0x20) sp++;
    const len = Number(latin1(body, at, sp - at));
    if (!Number.isInteger(len) || len <= sp - at || at + len > body.length || body[at + len - 1] !== 0x0a) {
      throw malformed('a bad pax record');
    }
    const record = utf8(body.subarray(sp + 1, at + len - 1));
    const eq = record.indexOf('=');
    if (eq <= 0) throw malformed('a bad pax record');
    out.set(record.slice(0, eq), record.slice(eq + 1));
    at += len;
  }
  return out;
}

function cString(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return utf8(nul < 0 ? b : b.subarray(0, nul));
}

function utf8(b: Uint8Array): string {
  try {
    return dec.decode(b);
  } catch {
    throw malformed('a name that is not UTF-8');
  }
}

function latin1(b: Uint8Array, at: number, len: number): string {
  return String.fromCharCode(...b.subarray(at, at + len));
}

function printable(c: string): string {
  return /^[\x21-\x7e]$/.test(c) ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

function malformed(what: string): SessionError {
  return new SessionError('malformed', `tar: ${what}`);
}

/** Pulls exact byte counts out of a chunked stream without copying more than needed. */
class Pull {
  private head: Uint8Array = new Uint8Array(0);
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    while (this.head.length === 0) {
      const r = await this.it.next();
      if (r.done) return false;
      this.head = r.value;
    }
    return true;
  }

  /** Up to `max` bytes (at least one); the stream must not end first. */
  async some(max: number, what: string): Promise<Uint8Array> {
    if (!(await this.fill())) throw new SessionError('truncated', `tar: the archive ends inside ${what}`);
    const n = Math.min(max, this.head.length);
    const out = this.head.subarray(0, n);
    this.head = this.head.subarray(n);
    return out;
  }

  async take(n: number, what: string): Promise<Uint8Array> {
    if (n === 0) return new Uint8Array(0);
    const first = await this.some(n, what);
    if (first.length === n) return first;
    const out = new Uint8Array(n);
    out.set(first);
    let at = first.length;
    while (at < n) {
      const c = await this.some(n - at, what);
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  async expectZerosToEnd(): Promise<void> {
    while (await this.fill()) {
      if (!isZero(this.head)) throw malformed('data after the end of the archive');
      this.head = new Uint8Array(0);
    }
  }
}
