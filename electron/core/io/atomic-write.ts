/**
 * All-or-nothing file replacement (design invariant 3): write a temp file in the SAME folder
 * (so rename stays on one file system), fsync it, rename it over the target, fsync the folder
 * so the rename itself survives a crash. A failed write leaves the old file untouched.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SessionError } from '../errors.js';

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw ioError(e, path);
  }
  await syncFolder(dir);
}

/** fsync a folder; Windows cannot open folders for sync, and there rename is durable enough. */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function ioError(e: unknown, path: string): SessionError {
  if (e instanceof SessionError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new SessionError('not-found', `${path}: no such file or folder`, { cause: e });
  if (code === 'ENOSPC') return new SessionError('io', `${path}: the disk is full`, { cause: e });
  const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new SessionError('io', `${path}: ${msg}`, { cause: e });
}
