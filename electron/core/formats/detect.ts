/**
 * Which format an input is in: files by content (tables and columns for SQLite, bytes
 * otherwise), folders by their files, strings by trying every string codec (spec §8).
 * Two readings that both fit are reported as ambiguous; the user picks with `from`.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { stripPadding } from '../bytes.js';
import { SessionError } from '../errors.js';
import { homeDcEntry } from '../model/session.js';
import { testModeFromAddress } from '../model/dc-table.js';
import { formatHostPort } from '../model/address.js';
import { openReadOnly, readSchema, sqliteError, type SqliteSchema } from '../sqlite/open.js';
import { FORMATS, formatById } from './registry.js';
import { alchemyPrefixes } from './store-formats.js';
import { readTdataAccount, tdataAccountFile } from './tdata-format.js';
import type { FolderReadOptions, FormatId, ReadResult, SessionFormat, SqliteReadOptions, StringFormat } from './types.js';

const SQLITE_MAGIC = 'SQLite format 3\0';
/** ferogram's own builder tries compact first: a string both parse as is compact (spec §1.3). */
const PRECEDENCE: [winner: FormatId, loser: FormatId][] = [['ferogram-compact', 'ferogram-string']];

export interface ReadOptions extends SqliteReadOptions, FolderReadOptions {
  from?: FormatId;
}

export type InputKind = 'string' | 'file' | 'folder';

export function inputKind(input: string): InputKind {
  try {
    const st = statSync(input);
    return st.isDirectory() ? 'folder' : 'file';
  } catch {
    return 'string';
  }
}

/** Reads any supported input (path or string) into the model. */
export function readInput(input: string, opts: ReadOptions = {}): ReadResult {
  const kind = inputKind(input);
  const result =
    kind === 'folder' ? readFolder(input, opts) : kind === 'file' ? readFile(input, opts) : readStringOrPath(input, opts);
  return withInferences(result);
}

/** A missing file should say so, not "not a session string". */
function readStringOrPath(input: string, opts: ReadOptions): ReadResult {
  try {
    return readString(input, opts);
  } catch (e) {
    const pathLike = /[/\\]/.test(input) || /\.(session|sqlite|db|txt|json)$/i.test(input);
    if (e instanceof SessionError && e.code === 'unknown-format' && pathLike) {
      throw new SessionError('not-found', `${input}: no such file or folder`);
    }
    throw e;
  }
}

function candidates<M extends SessionFormat['medium']>(medium: M, from?: FormatId) {
  const list = FORMATS.filter((f): f is Extract<SessionFormat, { medium: M }> => f.medium === medium);
  if (from === undefined) return list;
  const chosen = list.filter((f) => f.id === from);
  if (chosen.length === 0) {
    const f = formatById(from);
    throw new SessionError(
      'usage',
      f ? `--from ${from} is a ${f.medium} format, but this input is a ${medium}` : `unknown format "${from}"`,
    );
  }
  return chosen;
}

interface Attempt {
  format: SessionFormat;
  error: unknown;
}

function pickOne(ok: ReadResult[], failed: Attempt[], what: string, closest: () => string | undefined): ReadResult {
  let winners = ok;
  for (const [win, lose] of PRECEDENCE) {
    if (winners.some((r) => r.format === win)) winners = winners.filter((r) => r.format !== lose);
  }
  if (winners.length === 1) return winners[0]!;
  if (winners.length > 1) {
    const ids = winners.map((r) => r.format);
    throw new SessionError(
      'ambiguous',
      `this ${what} fits ${ids.length} formats: ${winners.map(describeReading).join('; ')}; choose one with --from ${ids.join('|')}`,
    );
  }
  const hint = closest();
  const near = hint ? failed.find((a) => a.format.id === hint) : failed[0];
  const why = near ? `; closest: ${near.format.id} (${errorLine(near.error)})` : '';
  throw new SessionError('unknown-format', `not a session ${what} we know${why}`);
}

/** "gramjs-string (DC 2 at 149.154.167.51:443)": enough for a person to see which reading is sane. */
function describeReading(r: ReadResult): string {
  const home = homeDcEntry(r.session);
  return home ? `${r.format} (DC ${home.id} at ${formatHostPort(home.address, home.port)})` : r.format;
}

function errorLine(e: unknown): string {
  return e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
}

function attempt<T>(formats: readonly T[], run: (f: T) => ReadResult, ok: ReadResult[], failed: Attempt[]) {
  for (const f of formats) {
    try {
      ok.push(run(f));
    } catch (error) {
      if (!(error instanceof SessionError)) throw error;
      failed.push({ format: f as SessionFormat, error });
    }
  }
}

export function readString(text: string, opts: ReadOptions = {}): ReadResult {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new SessionError('malformed', 'the session string is empty');
  const formats = candidates('string', opts.from);
  const decode = (f: StringFormat) => f.decode(trimmed);
  let ok: ReadResult[] = [];
  let failed: Attempt[] = [];
  attempt(formats.filter((f) => STRING_SHAPES[f.id]?.(trimmed) ?? true), decode, ok, failed);
  if (ok.length === 0) {
    // Nothing fits: try them all after all, so the explanation is the one a full pass gives.
    ok = [];
    failed = [];
    attempt(formats, decode, ok, failed);
  }
  return pickOne(ok, failed, 'string', () => closestStringFormat(trimmed));
}

const ONE = 49;
const A = 65;
const PYROGRAM_CHARS = [351, 356, 362];
/**
 * MTKruto's first bytes are the TL string of its DC name: `01 '1'..'5' 00` in production,
 * `06 '1'..'3' '-'` for test DCs, so its first four digits are one of these.
 */
const MTKRUTO_HEAD = /^(?:AT[EIMQU]A|Bj[EIM]t)/;

/**
 * What a string must look like for a format's decoder to accept it at all (spec §8: prefixes
 * and lengths). A thrown SessionError costs several decodes, so formats a string cannot be
 * are not tried; a format without an entry always is.
 */
const STRING_SHAPES: Partial<Record<FormatId, (t: string) => boolean>> = {
  'telethon-string': (t) => t.charCodeAt(0) === ONE && (t.length === 353 || t.length === 369),
  'gramjs-string': (t) => t.charCodeAt(0) === ONE && (t.length - 1) % 4 === 0 && t.length !== 353,
  'pyrogram-string': (t) => PYROGRAM_CHARS.includes(stripPadding(t).length),
  // A first byte below 4 (mtcute's version 3, compact's 1 or 2) makes the first digit 'A'.
  'mtcute-string': (t) => t.charCodeAt(0) === A,
  'ferogram-compact': (t) => t.charCodeAt(0) === A,
  // Pyrogram's current layout can read a production one of 362 characters too (DC 1, an
  // api_id near 0x3?0002FE): both readings are then reported, as any two are.
  'mtkruto-string': (t) => MTKRUTO_HEAD.test(t),
};

/** Spec §8 as a hint for the error message when nothing decodes. */
function closestStringFormat(text: string): FormatId | undefined {
  if (text.startsWith('1')) return text.length === 353 ? 'telethon-string' : 'gramjs-string';
  const body = text.replace(/=+$/, '');
  if (MTKRUTO_HEAD.test(body)) return 'mtkruto-string';
  if (PYROGRAM_CHARS.includes(body.length)) return 'pyrogram-string';
  const first = Buffer.from(body.slice(0, 4), 'base64url')[0];
  if (first === 1 || first === 2) return body.length >= 360 ? 'ferogram-compact' : 'ferogram-string';
  if (first === 3) return 'mtcute-string';
  if (first !== undefined && first >= 2 && first <= 8) return 'ferogram-string';
  return undefined;
}

function readHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The largest file that is not SQLite that detection reads. */
export const MAX_PLAIN_FILE_BYTES = 64 * 1024 * 1024;

export function isSqliteFile(path: string): boolean {
  return readHead(path, 16).toString('latin1') === SQLITE_MAGIC;
}

function readFile(path: string, opts: ReadOptions): ReadResult {
  if (isSqliteFile(path)) return readSqlite(path, opts);
  // One account of a tdata is its settings file beside key_datas (see tdata-format.ts).
  if (tdataAccountFile(path)) {
    if (opts.from !== undefined && opts.from !== 'tdata') throw new SessionError('usage', `--from ${opts.from}: ${path} is an account of a Telegram Desktop tdata`);
    return readTdataAccount(path, opts);
  }
  // Detection reads only what it needs: SQLite by its header, anything else whole, and no
  // session of ours outside SQLite comes near this size (a million ferogram peers are ~30 MB).
  if (statSync(path).size > MAX_PLAIN_FILE_BYTES) {
    throw new SessionError('unknown-format', `${path}: too large to be a session file (over ${MAX_PLAIN_FILE_BYTES / 2 ** 20} MiB and not SQLite)`);
  }
  const bytes = new Uint8Array(readFileSync(path));
  if (looksLikeText(bytes)) {
    // A .txt holding a session string is read as that string.
    return readString(Buffer.from(bytes).toString('utf8'), opts);
  }
  const ok: ReadResult[] = [];
  const failed: Attempt[] = [];
  attempt(candidates('bytes', opts.from), (f) => f.decode(bytes), ok, failed);
  return pickOne(ok, failed, 'file', () => FORMATS.find((f) => f.medium === 'bytes' && f.sniff(bytes))?.id);
}

function looksLikeText(b: Uint8Array): boolean {
  if (b.length === 0 || b.length > 64 * 1024) return false;
  for (const c of b) if (c < 0x09 || (c > 0x0d && c < 0x20) || c > 0x7e) return false;
  return true;
}

export function readSqlite(path: string, opts: ReadOptions = {}): ReadResult {
  const db = openReadOnly(path);
  try {
    // One read transaction: a bot writing meanwhile cannot give us half of each state.
    return db.transaction(() => {
      const schema = readSchema(db);
      const fits = candidates('sqlite', opts.from).filter((f) => f.matches(schema));
      if (fits.length === 0) {
        throw new SessionError('unknown-format', `${path}: not a session file we know; ${closestSqlite(schema)}`);
      }
      if (fits.length > 1) {
        const ids = fits.map((f) => f.id);
        throw new SessionError('ambiguous', `${path}: fits ${ids.join(', ')}; choose one with --from ${ids.join('|')}`);
      }
      return fits[0]!.read(db, schema, { skipPeers: opts.skipPeers });
    })();
  } catch (e) {
    throw e instanceof SessionError ? e : sqliteError(e, path);
  } finally {
    db.close();
  }
}

function closestSqlite(schema: SqliteSchema): string {
  const tables = [...schema.tables.keys()];
  if (alchemyPrefixes(schema.tables).length > 0) {
    return 'it is a telethon-alchemy store of many sessions: name one as <file>#<session id>, or add the file as a store';
  }
  return tables.length === 0
    ? 'the SQLite database has no tables'
    : `an SQLite database with tables ${tables.slice(0, 8).join(', ')}`;
}

function readFolder(dir: string, opts: ReadOptions): ReadResult {
  const fits = candidates('folder', opts.from).filter((f) => f.matches(dir));
  if (fits.length === 0) throw new SessionError('unknown-format', `${dir}: not a session folder we know`);
  if (fits.length > 1) {
    throw new SessionError('ambiguous', `${dir}: fits ${fits.map((f) => f.id).join(', ')}; choose with --from`);
  }
  return fits[0]!.read(dir, opts);
}

/** Test mode for formats that do not store it, inferred from the home DC address and said so. */
function withInferences(r: ReadResult): ReadResult {
  if (r.session.testMode !== undefined) return r;
  const home = homeDcEntry(r.session);
  const inferred = home ? testModeFromAddress(home.address) : undefined;
  if (inferred === undefined) return r;
  r.session.testMode = inferred;
  const line = `test mode ${inferred ? 'on' : 'off'}: inferred from the home DC address ${home!.address}`;
  return { ...r, inferences: [...(r.inferences ?? []), line] };
}
