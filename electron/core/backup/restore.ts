/**
 * Restoring a backup into a folder. Everything is first staged in a hidden folder inside the
 * destination (same file system, so the final moves are renames) and checked against the
 * manifest; only then is each session, with its sidecar beside it, moved into place according
 * to the conflict mode. Any failure before that point removes the staging folder: nothing is
 * written.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, rename, rm, rmdir, utimes, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SessionError } from '../errors.js';
import { fsyncDir, ioError, renameRetryingAsync } from '../fs/atomic.js';
import { checkAborted, type JobOptions } from './job.js';
import { SESSIONS_DIR, type Manifest, type ManifestFile, type ManifestSession } from './manifest.js';
import { sidecarName, withSuffix } from './names.js';
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
   * Session and sidecar count as one: create: the session was not there (its sidecar was not
   * either, or was identical). unchanged: it is there with identical content, and so is its sidecar, or
   * none (then the sidecar is put beside it). skip: the session or its sidecar differs, and both
   * are left alone. keep-both: both restored beside them under a new name, `target`.
   * overwrite: what differs is moved aside (the session to `movedAside`, the sidecar to
   * `<name>.json.before-restore-…`), the restored one put in its place.
   */
  action: 'create' | 'unchanged' | 'skip' | 'keep-both' | 'overwrite';
  target: string;
  movedAside?: string;
  /** Where the session's sidecar ends up, beside `target`; absent when the backup holds none or the session is skipped. */
  sidecar?: string;
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
  return { manifest, items: (await plan(manifest, resolve(destDir), opts)).map((p) => p.item) };
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
    const planned = await plan(manifest, dest, opts);
    await commit(planned, staging);
    committed = true;
    fsyncDir(dest);
    return { manifest, items: planned.map((p) => p.item) };
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

type State = 'absent' | 'same' | 'different';

/** One rename of the commit: something already there moved aside, or a staged entry put in place. */
type Move = { from: string; aside: string } | { staged: string; to: string };

interface Planned {
  item: RestoreItem;
  /** In order: what is there moved aside before the restored one is put in its place. */
  moves: Move[];
}

async function plan(manifest: Manifest, dest: string, opts: RestoreOptions): Promise<Planned[]> {
  const stamp = fileStamp(opts.now ?? new Date());
  const taken = new Set(manifest.sessions.flatMap((s) => restoredNames(s, s.name)));
  const out: Planned[] = [];
  for (const s of manifest.sessions) {
    checkAborted(opts.signal);
    out.push(await planSession(s, dest, opts.onConflict, stamp, taken));
  }
  return out;
}

/** A session restored as `name`, and its sidecar named after it when the backup holds one. */
function restoredNames(s: ManifestSession, name: string): string[] {
  return s.sidecar === undefined ? [name] : [name, sidecarName(name)];
}

async function planSession(s: ManifestSession, dest: string, mode: ConflictMode, stamp: string, taken: Set<string>): Promise<Planned> {
  const names = restoredNames(s, s.name);
  const states = [await compareExisting(join(dest, s.name), s)];
  if (s.sidecar !== undefined) states.push(await compareFile(join(dest, names[1]!), s.sidecar));
  const action = states.includes('different') ? mode : states[0] === 'absent' ? 'create' : 'unchanged';
  const targets =
    action === 'keep-both' ? await freeNames(dest, (n) => restoredNames(s, withSuffix(s.name, `-restored-${n}`)), taken) : names;
  const item: RestoreItem = { session: s.name, kind: s.kind, action, target: join(dest, targets[0]!) };
  if (action === 'skip') return { item, moves: [] };
  if (s.sidecar !== undefined) item.sidecar = join(dest, targets[1]!);
  const moves: Move[] = [];
  for (const [i, name] of names.entries()) {
    // What is there already, identical, stays, unless both are kept.
    if (action !== 'keep-both' && states[i] === 'same') continue;
    if (action === 'overwrite' && states[i] === 'different') {
      const [aside] = await freeNames(dest, (n) => [`${name}.before-restore-${stamp}${n > 1 ? `-${n}` : ''}`], taken);
      moves.push({ from: join(dest, name), aside: join(dest, aside!) });
      if (i === 0) item.movedAside = join(dest, aside!);
    }
    moves.push({ staged: name, to: join(dest, targets[i]!) });
  }
  return { item, moves };
}

/** The first set of names, for n = 1, 2, …, that are all free in `dest` and in this restore. */
async function freeNames(dest: string, names: (n: number) => string[], taken: Set<string>): Promise<string[]> {
  for (let n = 1; ; n++) {
    const candidates = names(n);
    const free = await Promise.all(candidates.map(async (c) => !taken.has(c) && !(await existsNoFollow(join(dest, c)))));
    if (free.every(Boolean)) {
      for (const c of candidates) taken.add(c);
      return candidates;
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
async function compareExisting(target: string, s: ManifestSession): Promise<State> {
  if (s.kind === 'file') return compareFile(target, s.files[0]!);
  const st = await lstat(target).catch(() => undefined);
  if (st === undefined) return 'absent';
  if (!st.isDirectory()) return 'different';
  const existing = await listFiles(target);
  if (existing === undefined || existing.length !== s.files.length) return 'different';
  const root = `${SESSIONS_DIR}/${s.name}`;
  for (const f of s.files) {
    const rel = f.path.slice(root.length + 1);
    if (!existing.includes(rel) || (await compareFile(join(target, ...rel.split('/')), f)) !== 'same') return 'different';
  }
  return 'same';
}

async function compareFile(path: string, f: ManifestFile): Promise<State> {
  const st = await lstat(path).catch(() => undefined);
  if (st === undefined) return 'absent';
  return st.isFile() && st.size === f.size && (await sha256Of(path)) === f.sha256 ? 'same' : 'different';
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
async function commit(planned: Planned[], staging: string): Promise<void> {
  const done: [from: string, to: string][] = [];
  try {
    for (const m of planned.flatMap((p) => p.moves)) {
      const [from, to] = 'aside' in m ? [m.from, m.aside] : [join(staging, m.staged), m.to];
      if (!('aside' in m) && (await existsNoFollow(to))) {
        throw new SessionError('exists', `${to}: appeared during the restore; nothing was restored`);
      }
      await renameRetryingAsync(() => rename(from, to));
      done.push([from, to]);
    }
  } catch (e) {
    for (const [from, to] of done.reverse()) await rename(to, from).catch(() => undefined);
    throw e;
  }
}
