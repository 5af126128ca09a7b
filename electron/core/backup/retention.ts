/**
 * Automatic backups, taken before every edit into the app's backup folder, and the retention
 * policy that prunes them. Only files named like automatic backups are ever deleted: a manual
 * backup in the same folder is never touched.
 */
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SessionError } from '../errors.js';
import { fsyncDir, ioError } from '../fs/atomic.js';
import { createBackup, type BackupOptions, type BackupResult } from './create.js';
import type { BackupSource } from './source.js';
import { autoBackupName, parseAutoBackupName } from './stamp.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function autoBackup(
  sources: readonly BackupSource[],
  dir: string,
  passphrase: string,
  opts: Omit<BackupOptions, 'automatic' | 'overwrite'> = {},
): Promise<BackupResult> {
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
    throw ioError(e, folder);
  });
  const now = opts.now ?? new Date();
  // Two backups in the same millisecond get -2, -3 … rather than overwriting each other.
  for (let n = 1; ; n++) {
    try {
      return await createBackup(sources, join(folder, autoBackupName(now, n)), passphrase, { ...opts, now, automatic: true });
    } catch (e) {
      if (!(e instanceof SessionError && e.code === 'exists')) throw e;
    }
  }
}

export interface RetentionPolicy {
  /** Keep at most this many automatic backups (the newest). */
  keepLast?: number;
  /** Remove automatic backups older than this. */
  maxAgeDays?: number;
}

/**
 * Removes the automatic backups in `dir` that break any limit of the policy (counted and aged
 * by the time in their names). Returns the names removed and kept.
 */
export async function applyRetention(
  dir: string,
  policy: RetentionPolicy,
  now: Date = new Date(),
): Promise<{ removed: string[]; kept: string[] }> {
  const folder = resolve(dir);
  const names = await readdir(folder).catch((e: unknown) => {
    throw ioError(e, folder);
  });
  const autos = names
    .map((name) => ({ name, parsed: parseAutoBackupName(name) }))
    .filter((a): a is { name: string; parsed: { at: Date; n: number } } => a.parsed !== undefined)
    .sort((a, b) => b.parsed.at.getTime() - a.parsed.at.getTime() || b.parsed.n - a.parsed.n);
  const removed: string[] = [];
  const kept: string[] = [];
  autos.forEach((a, i) => {
    const tooMany = policy.keepLast !== undefined && i >= policy.keepLast;
    const tooOld = policy.maxAgeDays !== undefined && now.getTime() - a.parsed.at.getTime() > policy.maxAgeDays * DAY_MS;
    (tooMany || tooOld ? removed : kept).push(a.name);
  });
  for (const name of removed) {
    await unlink(join(folder, name)).catch((e: unknown) => {
      throw ioError(e, join(folder, name));
    });
  }
  if (removed.length > 0) fsyncDir(folder);
  return { removed, kept };
}
