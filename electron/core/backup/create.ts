/**
 * Writing a backup: the selected session files and folders, as they are on disk, streamed one
 * file at a time into a tar (SQLite files as consistent snapshots), encrypted with an age
 * passphrase into a temp file beside the target, then fsynced and renamed into place.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import { SessionError } from '../errors.js';
import { fsyncDir, ioError, tempPathBeside } from '../fs/atomic.js';
import { isSqliteFile, readInput } from '../formats/detect.js';
import type { ReadResult } from '../formats/types.js';
import { encryptStream } from './age.js';
import { checkAborted, type JobOptions } from './job.js';
import { encodeManifest, MANIFEST_NAME, newManifest, SESSIONS_DIR, type Manifest, type ManifestSession } from './manifest.js';
import { snapshotSqlite } from './snapshot.js';
import { encodeHeader, endOfArchive, padding } from './tar.js';

/** A path, or a path with what the caller already knows about the session in it. */
export type BackupSource = string | { path: string; format?: string | null; userId?: bigint | null };

export interface BackupOptions extends JobOptions {
  /** Written by autoBackup before an edit; retention may remove it later. */
  automatic?: boolean;
  /** Replace an existing file at the target path. */
  overwrite?: boolean;
  /** scrypt log2(N); lower only for tests and benchmarks. */
  workFactor?: number;
  now?: Date;
}

export interface BackupResult {
  file: string;
  manifest: Manifest;
  /** Size of the encrypted archive. */
  bytes: number;
}

interface PlannedSession {
  session: ManifestSession;
  dirs: { path: string; st: Stats }[];
  files: { abs: string; path: string }[];
}

const CHUNK = 64 * 1024;

export async function createBackup(
  sources: readonly BackupSource[],
  outFile: string,
  passphrase: string,
  opts: BackupOptions = {},
): Promise<BackupResult> {
  const out = resolve(outFile);
  if (!opts.overwrite && (await exists(out))) throw new SessionError('exists', `${out}: already exists`);
  const planned = await planSources(sources);
  const manifest = newManifest(pkg.version, opts.now ?? new Date(), opts.automatic ?? false);
  const partial = tempPathBeside(out);
  const snapshots = new SnapshotDir();
  let fh;
  try {
    const plain = toReadable(tarStream(planned, manifest, snapshots, opts));
    const cipher = await encryptStream(plain, passphrase, opts.workFactor);
    fh = await open(partial, 'wx', 0o600).catch((e: unknown) => {
      throw ioError(e, out);
    });
    let bytes = 0;
    for await (const chunk of cipher) {
      await fh.write(chunk);
      bytes += chunk.length;
    }
    await fh.sync();
    await fh.close();
    fh = undefined;
    if (!opts.overwrite && (await exists(out))) throw new SessionError('exists', `${out}: already exists`);
    await rename(partial, out);
    fsyncDir(dirname(out));
    return { file: out, manifest, bytes };
  } catch (e) {
    throw ioError(e, out);
  } finally {
    await fh?.close();
    await rm(partial, { force: true });
    await snapshots.remove();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The manifest names each session's format and account where we can tell; a file we cannot read is still backed up. */
function detectQuietly(path: string): ReadResult | undefined {
  try {
    return readInput(path);
  } catch {
    return undefined;
  }
}

/** Names each source `sessions/<basename>` (made unique) and lists folders recursively. */
async function planSources(sources: readonly BackupSource[]): Promise<PlannedSession[]> {
  const used = new Set<string>();
  const out: PlannedSession[] = [];
  for (const src of sources) {
    const info = typeof src === 'string' ? { path: src } : src;
    const abs = resolve(info.path);
    const st = await stat(abs).catch((e: unknown) => {
      throw ioError(e, abs);
    });
    if (!st.isFile() && !st.isDirectory()) throw new SessionError('unsupported', `${abs}: not a file or folder`);
    const name = uniqueName(basename(abs), used);
    const root = `${SESSIONS_DIR}/${name}`;
    const detected = info.format === undefined ? detectQuietly(abs) : undefined;
    const p: PlannedSession = {
      session: {
        name,
        kind: st.isDirectory() ? 'folder' : 'file',
        originalPath: abs,
        format: info.format ?? detected?.format ?? null,
        userId: info.userId ?? detected?.session.user?.id ?? null,
        files: [],
      },
      dirs: [],
      files: [],
    };
    if (st.isDirectory()) {
      p.dirs.push({ path: root, st });
      await walk(abs, root, p);
    } else {
      p.files.push({ abs, path: root });
    }
    out.push(p);
  }
  return out;
}

/** Compared case-insensitively: the archive may be restored onto a case-insensitive disk. */
function uniqueName(name: string, used: Set<string>): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

async function walk(dir: string, archDir: string, p: PlannedSession): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: unknown) => {
    throw ioError(e, dir);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set(entries.map((e) => e.name));
  for (const e of entries) {
    const abs = join(dir, e.name);
    const arch = `${archDir}/${e.name}`;
    if (e.isDirectory()) {
      p.dirs.push({ path: arch, st: await stat(abs) });
      await walk(abs, arch, p);
    } else if (e.isFile()) {
      if (!isSqliteCompanion(dir, e.name, names)) p.files.push({ abs, path: arch });
    } else {
      throw new SessionError('unsupported', `${abs}: links and special files cannot be backed up`);
    }
  }
}

/** `x-wal`, `x-shm`, `x-journal` of an SQLite file `x`: its snapshot already holds their content. */
function isSqliteCompanion(dir: string, name: string, names: Set<string>): boolean {
  const m = /^(.+)-(wal|shm|journal)$/.exec(name);
  return m !== null && names.has(m[1]!) && isSqliteFile(join(dir, m[1]!));
}

/** A private temp folder in os.tmpdir() for SQLite snapshots, created on first use. */
class SnapshotDir {
  private dir: string | undefined;
  private count = 0;
  async next(): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'sessiondeck-backup-'));
    return join(this.dir, `${++this.count}.sqlite`);
  }
  async remove(): Promise<void> {
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }
}

async function* tarStream(
  planned: PlannedSession[],
  manifest: Manifest,
  snapshots: SnapshotDir,
  opts: BackupOptions,
): AsyncGenerator<Uint8Array> {
  const total = planned.reduce((n, p) => n + p.files.length, 0);
  let done = 0;
  opts.onProgress?.({ done, total, unit: 'files' });
  for (const p of planned) {
    manifest.sessions.push(p.session);
    for (const d of p.dirs) {
      yield encodeHeader({ path: d.path, type: 'directory', size: 0, mode: d.st.mode, mtime: d.st.mtimeMs / 1000 });
    }
    for (const f of p.files) {
      checkAborted(opts.signal);
      yield* captureFile(f.abs, f.path, p.session, snapshots);
      opts.onProgress?.({ done: ++done, total, unit: 'files' });
    }
  }
  const body = encodeManifest(manifest);
  const mtime = Date.parse(manifest.createdAt) / 1000;
  yield encodeHeader({ path: MANIFEST_NAME, type: 'file', size: body.length, mode: 0o644, mtime });
  yield body;
  yield padding(body.length);
  yield endOfArchive();
}

/** One tar entry: header, bytes, padding; records the file in the manifest once it is complete. */
async function* captureFile(
  abs: string,
  path: string,
  session: ManifestSession,
  snapshots: SnapshotDir,
): AsyncGenerator<Uint8Array> {
  const before = await stat(abs).catch((e: unknown) => {
    throw ioError(e, abs);
  });
  const sqlite = isSqliteFile(abs);
  const snapshot = sqlite ? await snapshots.next() : undefined;
  try {
    if (snapshot !== undefined) await snapshotSqlite(abs, snapshot);
    const fh = await open(snapshot ?? abs, 'r');
    try {
      const size = (await fh.stat()).size;
      yield encodeHeader({ path, type: 'file', size, mode: before.mode, mtime: before.mtimeMs / 1000 });
      const hash = createHash('sha256');
      for (let pos = 0; pos < size; ) {
        const buf = new Uint8Array(Math.min(CHUNK, size - pos));
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) throw changedWhileReading(abs);
        const chunk = buf.subarray(0, bytesRead);
        hash.update(chunk);
        pos += bytesRead;
        yield chunk;
      }
      yield padding(size);
      if (snapshot === undefined) {
        const after = await fh.stat();
        if (after.size !== size || after.mtimeMs !== before.mtimeMs) throw changedWhileReading(abs);
      }
      session.files.push({
        path,
        originalPath: abs,
        format: null,
        size,
        mtime: before.mtime.toISOString(),
        sha256: hash.digest('hex'),
        captured: sqlite ? 'sqlite-backup' : 'copy',
      });
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw ioError(e, abs);
  } finally {
    if (snapshot !== undefined) await rm(snapshot, { force: true });
  }
}

function changedWhileReading(abs: string): SessionError {
  return new SessionError('io', `${abs}: the file changed while it was being backed up; try again`);
}

function toReadable(it: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      for (;;) {
        const r = await it.next();
        if (r.done) return controller.close();
        if (r.value.length > 0) return controller.enqueue(r.value);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
