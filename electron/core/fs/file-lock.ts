/**
 * An inter-process lock beside a file: `<file>.lock` holding the owner's pid. It is created
 * atomically WITH its content (write a temp file, then link() it: link fails if the lock
 * exists), so no reader ever sees an empty lock. A lock whose pid is no longer alive is
 * stale (its owner crashed) and is broken; otherwise we retry for a bounded time.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionError } from '../errors.js';
import { ioError } from './atomic.js';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
}

export function lockPathOf(path: string): string {
  return `${path}.lock`;
}

export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lock = lockPathOf(path);
  await acquire(lock, opts.timeoutMs ?? 10_000);
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

async function acquire(lock: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const tmp = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await fs.writeFile(tmp, String(process.pid), { flag: 'wx' });
  } catch (e) {
    throw ioError(e, lock);
  }
  try {
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        await fs.link(tmp, lock);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'EEXIST') throw ioError(e, lock);
      }
      await breakIfStale(lock);
      if (Date.now() > deadline) {
        throw new SessionError('locked', `${lock}: the file is locked by another writer (gave up after ${timeoutMs} ms)`);
      }
      await sleep(wait + Math.random() * wait);
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Reads the owner pid; undefined when the lock vanished or is not ours to judge. */
async function ownerOf(file: string): Promise<number | undefined> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

async function breakIfStale(lock: string): Promise<void> {
  const pid = await ownerOf(lock);
  if (pid === undefined || pidAlive(pid)) return;
  // Move it aside atomically, then check we moved the stale one and not a fresh lock that
  // another process took in between; a fresh one is put back (link refuses to clobber).
  const aside = `${lock}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lock, aside);
  } catch {
    return;
  }
  const moved = await ownerOf(aside);
  if (moved !== pid) await fs.link(aside, lock).catch(() => undefined);
  await fs.rm(aside, { force: true });
}
