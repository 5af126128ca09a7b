/**
 * All-or-nothing writes: build the new content in a temp file in the target's own folder
 * (same filesystem, so rename is atomic), fsync it, rename it over the target, fsync the folder.
 * On any failure the temp file is removed and the target is untouched.
 */
import { closeSync, fsyncSync, openSync, promises as fsp, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SessionError } from '../errors.js';

/** A fresh temp path beside `target`; every atomic write names its temp here, so stale ones of the target are swept here too. */
export function tempPathBeside(target: string): string {
  sweepStaleTemps(target);
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** No write takes this long: a temp file older than this was left by a killed writer. */
const STALE_MS = 10 * 60_000;
/** Targets already swept by this process (a folder listing per save would cost too much). */
const swept = new Set<string>();

/**
 * Removes the temp files a killed writer left beside `target` (they hold a whole session),
 * once per target and process. Fresh ones may belong to a live writer and are kept.
 */
export function sweepStaleTemps(target: string, now = Date.now()): string[] {
  if (swept.has(target)) return [];
  swept.add(target);
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed; // the write itself reports a missing or unreadable folder
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp(-wal|-shm|-journal)?$/.test(name.slice(prefix.length))) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs < STALE_MS) continue;
      rmSync(path, { force: true, recursive: true });
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove: the write goes on either way.
    }
  }
  return removed;
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems (and Windows) cannot fsync a folder; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function ioError(e: unknown, path: string): SessionError {
  if (e instanceof SessionError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SessionError('not-found', `${path}: no such file or folder`, { cause: e });
  const why =
    code === 'ENOSPC' ? 'the disk is full'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EROFS' ? 'the filesystem is read-only'
    : e instanceof Error ? (e.message.split('\n')[0] ?? e.name) : String(e);
  return new SessionError('io', `${path}: ${why}`, { cause: e });
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** How long a rename Windows refused for a moment is retried: an antivirus or indexer holding the new file. */
const RENAME_WAITS_MS = [20, 50, 100, 200, 400];
const TRANSIENT_ON_WINDOWS = new Set(['EPERM', 'EBUSY', 'EACCES']);

const transient = (e: unknown, platform: string) => platform === 'win32' && TRANSIENT_ON_WINDOWS.has((e as NodeJS.ErrnoException).code ?? '');

/** `rename` tried again after a short wait while Windows calls the file busy; anywhere else, once. */
export function renameRetrying(rename: () => void, platform: string = process.platform, sleep = sleepSync): void {
  for (let i = 0; ; i++) {
    try {
      return rename();
    } catch (e) {
      if (i >= RENAME_WAITS_MS.length || !transient(e, platform)) throw e;
      sleep(RENAME_WAITS_MS[i]!);
    }
  }
}

/** The same for an async rename. */
export async function renameRetryingAsync(rename: () => Promise<void>, platform: string = process.platform): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await rename();
    } catch (e) {
      if (i >= RENAME_WAITS_MS.length || !transient(e, platform)) throw e;
      await new Promise((r) => setTimeout(r, RENAME_WAITS_MS[i]));
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `build(tempPath)` to create the new file, then moves it over `target` atomically. */
export function replaceAtomically(target: string, build: (tempPath: string) => void): void {
  const tmp = tempPathBeside(target);
  try {
    build(tmp);
    fsyncFile(tmp);
    renameRetrying(() => renameSync(tmp, target));
  } catch (e) {
    rmSync(tmp, { force: true, recursive: true });
    throw ioError(e, target);
  }
  fsyncDir(dirname(target));
}

export function writeFileAtomic(target: string, data: Uint8Array | string): void {
  replaceAtomically(target, (tmp) => {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    } finally {
      closeSync(fd);
    }
  });
}

/** The same as writeFileAtomic without blocking the event loop (backends are async). */
export async function writeFileAtomicAsync(target: string, data: Uint8Array): Promise<void> {
  const tmp = tempPathBeside(target);
  try {
    const fh = await fsp.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await renameRetryingAsync(() => fsp.rename(tmp, target));
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw ioError(e, target);
  }
  fsyncDir(dirname(target));
}
