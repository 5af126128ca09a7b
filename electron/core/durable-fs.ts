/**
 * File-system helpers for all-or-nothing writes: fsync of a folder after a rename, and one
 * mapping from Node's errno codes to a one-line SessionError naming the path.
 */
import { open } from 'node:fs/promises';
import { SessionError } from './errors.js';

/** Makes a rename or unlink in `dir` durable (no-op where folders cannot be opened, e.g. Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself has happened.
  } finally {
    await fh.close();
  }
}

/** A thrown fs error as a SessionError; SessionErrors pass through untouched. */
export function fsError(e: unknown, path: string): SessionError {
  if (e instanceof SessionError) return e;
  const code = (e as { code?: string }).code ?? '';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new SessionError('io', `${path}: the disk is full`, { cause: e });
    case 'ENOENT':
      return new SessionError('not-found', `${path}: no such file or folder`, { cause: e });
    case 'EEXIST':
      return new SessionError('exists', `${path}: already exists`, { cause: e });
    case 'EACCES':
    case 'EPERM':
      return new SessionError('io', `${path}: permission denied`, { cause: e });
    case 'EROFS':
      return new SessionError('io', `${path}: the file system is read-only`, { cause: e });
    default: {
      const msg = e instanceof Error ? (e.message.split('\n')[0] ?? code) : String(e);
      return new SessionError('io', `${path}: ${msg}`, { cause: e });
    }
  }
}
