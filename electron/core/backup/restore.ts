/**
 * Restoring a backup into a folder. Everything is first staged in a hidden folder inside the
 * destination (same file system, so the final moves are renames) and checked against the
 * manifest; only then is each session moved into place according to the conflict mode. Any
 * failure before that point removes the staging folder: nothing is written.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, rename, rm, rmdir, utimes, type FileHandle } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { SessionError } from '../errors.js';
import { fsyncDir, ioError } from '../fs/atomic.js';
import { checkAborted, type JobOptions } from './job.js';
import { SESSIONS_DIR, type Manifest, type ManifestSession } from './manifest.js';
import { readArchive, type EntrySink } from './read.js';
import { fileStamp } from './stamp.js';
import type { TarHeader } from './tar.js';

export type ConflictMode = 'skip' | 'keep-both' | 'overwrite';

export interface RestoreOptions extends JobOptions {
  onConflict: ConflictMode;
  now?: Date;
}

export interface RestoreItem {
  /** The session's name in the archive (file or folder name). */
  session: string;
  kind: ManifestSession['kind'];
  /**
   * create: target did not exist. unchanged: it exists with identical content. skip: it exists,
   * differs, and is left alone. keep-both: restored beside it under `target`. overwrite: the old
   * one moved to `movedAside`, the restored one put at `target`.
   */
  action: 'create' | 'unchanged' | 'skip' | 'keep-both' | 'overwrite';
  target: string;
  movedAside?: string;
}

export interface RestoreResult {
  manifest: Manifest;
  items: RestoreItem[];
}

/** What restore would do, after a full verification of the archive. Writes nothing. */
export async function planRestore(
  file: string,
  passphrase: string,
  destDir: string,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  const { manifest } = await readArchive(file, passphrase, {}, opts);
  return { manifest, items: await plan(manifest, resolve(destDir), opts) };
}

export async function restore(file: string, passphrase: string, destDir: string, opts: RestoreOptions): Promise<RestoreResult> {
  const dest = resolve(destDir);
  const createdDest = await mkdir(dest, { recursive: true }).catch((e: unknown) => {
    throw ioError(e, dest);
  });
  const staging = join(dest, `.sessiondeck-restore-${randomBytes(6).toString('hex')}`);
  const stage = new Stage(staging);
  let committed = false;
  try {
    await mkdir(staging, { mode: 0o700 });
    const { manifest } = await readArchive(file, passphrase, stage, opts);
    await stage.applyMetadata();
    checkAborted(opts.signal);
    const items = await plan(manifest, dest, opts);
    await commit(items, staging);
    committed = true;
    fsyncDir(dest);
    return { manifest, items };
  } catch (e) {
    throw ioError(e, dest);
  } finally {
    await stage.closeAll();
    await rm(staging, { recursive: true, force: true });
    if (!committed && createdDest !== undefined) await removeCreated(dest, createdDest);
  }
}

/** The (empty) folders mkdir made for a restore that then wrote nothing, deepest first. */
async function removeCreated(dest: string, firstCreated: string): Promise<void> {
  for (let d = dest; ; d = dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false)) || d === firstCreated || d === dirname(d)) return;
  }
}

/** Writes entries under the staging folder (`sessions/x/y` → `<staging>/x/y`), modes applied last. */
class Stage implements EntrySink {
  private readonly meta: { path: string; h: TarHeader }[] = [];
  /** Handles still open when the read fails half-way through a file. */
  private readonly open = new Set<FileHandle>();
  constructor(private readonly root: string) {}

  private local(archivePath: string): string {
    return join(this.root, ...archivePath.split('/').slice(1));
  }

  async directory(h: TarHeader): Promise<void> {
    const path = this.local(h.path);
    await mkdir(path, { recursive: true, mode: 0o700 });
    this.meta.push({ path, h });
  }

  async file(h: TarHeader) {
    const path = this.local(h.path);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const fh = await open(path, 'wx', 0o600);
    this.open.add(fh);
    this.meta.push({ path, h });
    return {
      write: async (chunk: Uint8Array) => {
        await fh.write(chunk);
      },
      end: async () => {
        await fh.sync();
        this.open.delete(fh);
        await fh.close();
      },
    };
  }

  async closeAll(): Promise<void> {
    for (const fh of this.open) await fh.close().catch(() => undefined);
    this.open.clear();
  }

  /** Files first, then folders deepest first, so a read-only folder does not block its contents. */
  async applyMetadata(): Promise<void> {
    const ordered = [...this.meta].sort(
      (a, b) => Number(a.h.type === 'directory') - Number(b.h.type === 'directory') || b.path.length - a.path.length,
    );
    for (const { path, h } of ordered) {
      await chmod(path, h.mode & 0o777);
      await utimes(path, h.mtime, h.mtime);
    }
  }
}

async function plan(manifest: Manifest, dest: string, opts: RestoreOptions): Promise<RestoreItem[]> {
  const stamp = fileStamp(opts.now ?? new Date());
  const taken = new Set(manifest.sessions.map((s) => s.name));
  const items: RestoreItem[] = [];
  for (const s of manifest.sessions) {
    checkAborted(opts.signal);
    const target = join(dest, s.name);
    const base = { session: s.name, kind: s.kind };
    const state = await compareExisting(target, s);
    if (state === 'absent') items.push({ ...base, action: 'create', target });
    else if (state === 'same') items.push({ ...base, action: 'unchanged', target });
    else if (opts.onConflict === 'skip') items.push({ ...base, action: 'skip', target });
    else if (opts.onConflict === 'keep-both') {
      const ext = s.kind === 'file' ? extname(s.name) : '';
      const stem = s.name.slice(0, s.name.length - ext.length);
      const name = await freeName(dest, (n) => `${stem}-restored-${n}${ext}`, taken);
      items.push({ ...base, action: 'keep-both', target: join(dest, name) });
    } else {
      const aside = await freeName(dest, (n) => `${s.name}.before-restore-${stamp}${n > 1 ? `-${n}` : ''}`, taken);
      items.push({ ...base, action: 'overwrite', target, movedAside: join(dest, aside) });
    }
  }
  return items;
}

async function freeName(dest: string, name: (n: number) => string, taken: Set<string>): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = name(n);
    if (!taken.has(candidate) && !(await existsNoFollow(join(dest, candidate)))) {
      taken.add(candidate);
      return candidate;
    }
  }
}

async function existsNoFollow(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Whether what is at `target` already holds exactly this session's files (folders: nothing more). */
async function compareExisting(target: string, s: ManifestSession): Promise<'absent' | 'same' | 'different'> {
  const st = await lstat(target).catch(() => undefined);
  if (st === undefined) return 'absent';
  const root = `${SESSIONS_DIR}/${s.name}`;
  if (s.kind === 'file') {
    const f = s.files[0]!;
    return st.isFile() && st.size === f.size && (await sha256Of(target)) === f.sha256 ? 'same' : 'different';
  }
  if (!st.isDirectory()) return 'different';
  const existing = await listFiles(target);
  if (existing === undefined || existing.length !== s.files.length) return 'different';
  for (const f of s.files) {
    const rel = f.path.slice(root.length + 1);
    if (!existing.includes(rel)) return 'different';
    const path = join(target, ...rel.split('/'));
    if ((await lstat(path)).size !== f.size || (await sha256Of(path)) !== f.sha256) return 'different';
  }
  return 'same';
}

/** Regular files below `dir`, as relative '/' paths; undefined if anything else is there. */
async function listFiles(dir: string, prefix = ''): Promise<string[] | undefined> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isFile()) out.push(rel);
    else if (e.isDirectory()) {
      const sub = await listFiles(join(dir, e.name), rel);
      if (sub === undefined) return undefined;
      out.push(...sub);
    } else return undefined;
  }
  return out;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The renames, in order; if one fails, the ones done are undone before the error is thrown. */
async function commit(items: RestoreItem[], staging: string): Promise<void> {
  const done: [from: string, to: string][] = [];
  try {
    for (const it of items) {
      if (it.action === 'unchanged' || it.action === 'skip') continue;
      if (it.movedAside !== undefined) {
        await rename(it.target, it.movedAside);
        done.push([it.target, it.movedAside]);
      }
      if (it.action === 'create' && (await existsNoFollow(it.target))) {
        throw new SessionError('exists', `${it.target}: appeared during the restore; nothing was restored`);
      }
      await rename(join(staging, it.session), it.target);
      done.push([join(staging, it.session), it.target]);
    }
  } catch (e) {
    for (const [from, to] of done.reverse()) await rename(to, from).catch(() => undefined);
    throw e;
  }
}
