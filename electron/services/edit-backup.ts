/**
 * The copy of a session taken before an edit, in <appData>/backups/<timestamp>/: SQLite files
 * through the online-backup API (consistent even while a bot writes), others copied as they
 * are. A plain copy, not an encrypted archive: it exists so an edit can be undone at once.
 */
import { cpSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileStamp } from '../core/backup/stamp.js';
import { snapshotSqlite } from '../core/backup/snapshot.js';
import { isSqliteFile } from '../core/formats/detect.js';
import { ioError } from '../core/fs/atomic.js';

export async function backupBeforeEdit(path: string, appDataDir: string, now = new Date()): Promise<string> {
  const dir = join(appDataDir, 'backups', fileStamp(now));
  const dest = join(dir, basename(path));
  try {
    mkdirSync(dir, { recursive: true });
    if (statSync(path).isFile() && isSqliteFile(path)) await snapshotSqlite(path, dest);
    else cpSync(path, dest, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
  } catch (e) {
    throw ioError(e, path);
  }
  return dest;
}
