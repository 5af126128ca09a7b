/**
 * A consistent copy of a live SQLite session file, taken through SQLite's online-backup API on
 * a read-only handle: a bot writing meanwhile is never seen half-way through a transaction,
 * and copying the bytes of the file (plus its -wal) by hand is never needed.
 */
import { openReadOnly, sqliteError } from '../sqlite/open.js';

/** Pages per backup step after the first: everything, so the copy is one read transaction. */
const ALL_PAGES = 0x7fffffff;

/** Writes the snapshot to `dest`, which must not exist and must not be beside the user's file. */
export async function snapshotSqlite(src: string, dest: string): Promise<void> {
  const db = openReadOnly(src);
  try {
    await db.backup(dest, { progress: () => ALL_PAGES });
  } catch (e) {
    throw sqliteError(e, src);
  } finally {
    db.close();
  }
}
