/**
 * A consistent copy of an SQLite session file: byte for byte when no process is writing it, so
 * the backup's SHA-256 is the original's and a restore gives the same bytes back; otherwise a
 * snapshot through SQLite's online-backup API on a read-only handle, so a bot writing
 * meanwhile is never seen half-way through a transaction.
 */
import { existsSync } from 'node:fs';
import { constants, copyFile, open, rm } from 'node:fs/promises';
import { openReadOnly, sqliteError } from '../sqlite/open.js';

/** Pages per backup step after the first: everything, so the copy is one read transaction. */
const ALL_PAGES = 0x7fffffff;
/** The database header: page size, journal mode (bytes 18-19), change counter (24-27) … */
const HEADER_BYTES = 100;
const WAL = 2;

/**
 * Writes a copy of `src` to `dest`, which must not exist and must not be beside the user's
 * file, and says how it was taken.
 */
export async function captureSqlite(src: string, dest: string): Promise<'copy' | 'sqlite-backup'> {
  if (await copyIfQuiet(src, dest)) return 'copy';
  await rm(dest, { force: true });
  await snapshotSqlite(src, dest);
  return 'sqlite-backup';
}

/**
 * Copies the file when nothing is writing it, and says whether it did. A WAL-mode file is
 * never copied: its newest pages may live only in the -wal. A rollback-mode writer always
 * creates -journal before it touches the database file and deletes it only afterwards, and
 * every commit bumps the change counter in the header. So no -journal (nor -wal) before and
 * after the copy, with the header read before the first check and after the last one and
 * the size and mtime all unchanged, means no write overlapped the copy.
 */
async function copyIfQuiet(src: string, dest: string): Promise<boolean> {
  const before = await fileState(src);
  if (before.wal || hasWriterFiles(src)) return false;
  await copyFile(src, dest, constants.COPYFILE_EXCL);
  return !hasWriterFiles(src) && (await fileState(src)).key === before.key;
}

function hasWriterFiles(path: string): boolean {
  return existsSync(`${path}-wal`) || existsSync(`${path}-journal`);
}

/** Size, mtime and header in one comparable string, and whether the header says WAL. */
async function fileState(path: string): Promise<{ key: string; wal: boolean }> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(header, 0, HEADER_BYTES, 0);
    // Bytes 18 and 19 are the write and read format versions: 2 in either means WAL.
    const wal = header[18] === WAL || header[19] === WAL;
    return { key: `${st.size}:${st.mtimeMs}:${header.subarray(0, bytesRead).toString('hex')}`, wal };
  } finally {
    await fh.close();
  }
}

async function snapshotSqlite(src: string, dest: string): Promise<void> {
  const db = openReadOnly(src);
  try {
    await db.backup(dest, { progress: () => ALL_PAGES });
  } catch (e) {
    throw sqliteError(e, src);
  } finally {
    db.close();
  }
}
