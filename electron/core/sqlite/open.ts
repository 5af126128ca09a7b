/**
 * Opening SQLite session files. Sources open read-only (never locked by us for long, never
 * repaired); outputs are built in a temp file beside the target and renamed into place.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SessionError } from '../errors.js';

/** Minimal view of an open SQLite database the SQLite formats need (better-sqlite3 shaped). */
export interface SqliteSchema {
  /** table name → column names in declaration order */
  tables: Map<string, string[]>;
  /** every sqlite_master row of type trigger / view / index: [type, name] */
  others: [string, string][];
  userVersion: number;
}

/** Electron loads a separate ABI build of better-sqlite3 through this; plain Node uses the default. */
let nativeBinding: string | undefined;
export function setSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

export function openDatabase(path: string, opts: { readonly?: boolean; mustExist?: boolean } = {}): Database.Database {
  try {
    const db = new Database(path, {
      readonly: opts.readonly ?? false,
      fileMustExist: opts.mustExist ?? opts.readonly ?? false,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    // A bot may hold the file: wait a little for its lock instead of failing at once.
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (e) {
    throw sqliteError(e, path);
  }
}

/**
 * A source opened for reading. A WAL-mode file with no live writer (no -wal/-shm beside it)
 * would get -wal and -shm files created next to it by a plain read-only open, and a
 * read-only connection cannot remove them again: such a file is read from a private
 * in-memory copy instead, so nothing appears beside the user's file.
 */
export function openReadOnly(path: string): Database.Database {
  if (isWalWithoutWriter(path)) {
    try {
      const image = readFileSync(path);
      // Bytes 18-19 say "WAL"; an in-memory image must claim a rollback journal to open.
      image[18] = 1;
      image[19] = 1;
      return new Database(image, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
    } catch (e) {
      throw sqliteError(e, path);
    }
  }
  return openDatabase(path, { readonly: true, mustExist: true });
}

function isWalWithoutWriter(path: string): boolean {
  let header: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      header = Buffer.alloc(20);
      readSync(fd, header, 0, 20, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // openDatabase reports the real problem
  }
  return header[18] === 2 && header[19] === 2 && !existsSync(`${path}-wal`);
}

export function sqliteError(e: unknown, path: string): SessionError {
  const code = (e as { code?: string }).code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new SessionError('locked', `${path}: the database is locked by another process (${msg})`);
  }
  if (code === 'SQLITE_NOTADB') return new SessionError('unknown-format', `${path}: not an SQLite database`);
  if (code === 'SQLITE_CORRUPT') return new SessionError('malformed', `${path}: the SQLite file is corrupt (${msg})`);
  if (code === 'SQLITE_CANTOPEN') return new SessionError('io', `${path}: cannot open (${msg})`);
  if (code === 'SQLITE_FULL') return new SessionError('io', `${path}: the disk is full`);
  return new SessionError('io', `${path}: ${msg}`, { cause: e });
}

export function readSchema(db: Database.Database): SqliteSchema {
  const rows = db
    .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    .all() as { type: string; name: string }[];
  const tables = new Map<string, string[]>();
  const others: [string, string][] = [];
  // One statement for every table: a hostile file may hold thousands of them.
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck(true);
  for (const r of rows) {
    if (r.type === 'table') {
      tables.set(r.name, columns.all(r.name) as string[]);
    } else {
      others.push([r.type, r.name]);
    }
  }
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  return { tables, others, userVersion };
}

export function hasColumns(schema: SqliteSchema, table: string, cols: string[]): boolean {
  const have = schema.tables.get(table);
  return have !== undefined && cols.every((c) => have.includes(c));
}
