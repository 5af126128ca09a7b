/**
 * Writing a backup: the selected session files and folders, as they are on disk, each with the
 * `.json` sidecar beside it, streamed one file at a time into a tar (an SQLite file a process
 * may be writing as a consistent snapshot, see snapshot.ts), encrypted with an age passphrase
 * into a temp file beside the target, then fsynced and renamed into place.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { loginKeyOf } from '../accounts/login-key.js';
import { SessionError } from '../errors.js';
import { fsyncDir, ioError, renameRetryingAsync, tempPathBeside } from '../fs/atomic.js';
import { isSqliteFile, readInput } from '../formats/detect.js';
import type { ReadResult } from '../formats/types.js';
import { findSidecar } from '../sidecar/files.js';
import { encryptStream } from './age.js';
import { checkAborted, type JobOptions } from './job.js';
import {
  AUTH_KEY_ID,
  encodeManifest,
  MANIFEST_NAME,
  newManifest,
  SESSIONS_DIR,
  type Manifest,
  type ManifestFile,
  type ManifestLabels,
  type ManifestSession,
} from './manifest.js';
import type { BackupSource } from './source.js';
import { takeOutOfStores } from './store-sources.js';
import type { StoreOpener } from '../store/session-refs.js';
import { storeRef } from '../store/store-url.js';
import { sidecarName, withSuffix } from './names.js';
import { captureSqlite } from './snapshot.js';
import { encodeHeader, endOfArchive, padding } from './tar.js';

export interface BackupOptions extends JobOptions {
  /** Written by autoBackup before an edit; retention may remove it later. */
  automatic?: boolean;
  /** Replace an existing file at the target path. */
  overwrite?: boolean;
  /** scrypt log2(N); lower only for tests and benchmarks. */
  workFactor?: number;
  now?: Date;
  /** The labels and notes the caller keeps for the logins in this backup, carried in the manifest. */
  labels?: ManifestLabels[];
  /** How a store named among the sources is opened (its sessions are taken out read-only). */
  openStore?: StoreOpener;
  /** The version of the app writing it, for the manifest (the host knows it; the core does not). */
  appVersion?: string;
}

export interface BackupResult {
  file: string;
  manifest: Manifest;
  /** Size of the encrypted archive. */
  bytes: number;
}

interface PlannedFile {
  abs: string;
  path: string;
  /** The session's sidecar: JSON, archived as it is and listed apart from the session's files. */
  sidecar?: true;
  /** Set on `x-wal`, `x-shm` and `x-journal` beside a file `x` (see leftOut). */
  sideOf?: { db: string; kind: string };
  /** Where it came from, when not `abs` (a session taken out of a store). */
  originalPath?: string;
}

interface PlannedSession {
  session: ManifestSession;
  dirs: { path: string; st: Stats }[];
  /** In archive order; the sidecar, if any, last. */
  files: PlannedFile[];
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
  const fromStores = await takeOutOfStores(sources, opts.openStore);
  try {
    return await writeBackup(await planSources(fromStores.sources), out, passphrase, opts);
  } finally {
    await fromStores.cleanup();
  }
}

async function writeBackup(planned: PlannedSession[], out: string, passphrase: string, opts: BackupOptions): Promise<BackupResult> {
  const manifest = newManifest(opts.appVersion ?? 'unknown', opts.now ?? new Date(), opts.automatic ?? false);
  if (opts.labels && opts.labels.length > 0) manifest.labels = opts.labels;
  const partial = tempPathBeside(out);
  const captures = new SqliteCaptures();
  let fh;
  try {
    const plain = toReadable(tarStream(planned, manifest, captures, opts));
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
    await renameRetryingAsync(() => rename(partial, out));
    fsyncDir(dirname(out));
    return { file: out, manifest, bytes };
  } catch (e) {
    throw ioError(e, out);
  } finally {
    await fh?.close();
    await rm(partial, { force: true });
    await captures.remove();
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

/**
 * Names each source `sessions/<basename>` (made unique) with its sidecar as
 * `sessions/<stem>.json`, and lists folders recursively.
 */
async function planSources(sources: readonly BackupSource[]): Promise<PlannedSession[]> {
  const picked = sources.map((src) => {
    const info = typeof src === 'string' ? { path: src } : src;
    const abs = resolve(info.path);
    return { info, abs, sidecar: findSidecar(abs) };
  });
  // A sidecar picked as a source of its own already travels with its session.
  const sidecars = new Set(picked.map((p) => p.sidecar).filter((p) => p !== undefined));
  const used = new Set<string>();
  const out: PlannedSession[] = [];
  for (const { info, abs, sidecar } of picked) {
    if (sidecars.has(abs)) continue;
    const st = await stat(abs).catch((e: unknown) => {
      throw ioError(e, abs);
    });
    if (!st.isFile() && !st.isDirectory()) throw new SessionError('unsupported', `${abs}: not a file or folder`);
    // Checked here: a manifest that does not read back would make the whole backup unreadable.
    if (typeof info.authKeyId === 'string' && !AUTH_KEY_ID.test(info.authKeyId)) {
      throw new SessionError('usage', `${abs}: the authKeyId given is not an auth key fingerprint (16 hex digits)`);
    }
    const name = claimName(info.name ?? basename(abs), sidecar !== undefined, used);
    const root = `${SESSIONS_DIR}/${name}`;
    const detected = info.format === undefined ? detectQuietly(abs) : undefined;
    const originalPath = info.store ? storeRef(info.store.location, info.store.id) : abs;
    const p: PlannedSession = {
      session: {
        name,
        kind: st.isDirectory() ? 'folder' : 'file',
        originalPath,
        format: info.format ?? detected?.format ?? null,
        userId: info.userId ?? detected?.session.user?.id ?? null,
        authKeyId: info.authKeyId ?? (detected ? loginKeyOf(detected.session) : null),
        files: [],
        ...(info.store ? { store: info.store } : {}),
      },
      dirs: [],
      files: [],
    };
    if (st.isDirectory()) {
      p.dirs.push({ path: root, st });
      await walk(abs, root, p);
    } else {
      p.files.push({ abs, path: root, originalPath });
    }
    if (sidecar !== undefined) p.files.push({ abs: sidecar, path: `${SESSIONS_DIR}/${sidecarName(name)}`, sidecar: true });
    out.push(p);
  }
  return out;
}

/**
 * The first of `name`, `name-2`, … that is free, together with its sidecar's name when it has
 * one. Compared case-insensitively: the archive may be restored onto a case-insensitive disk.
 */
function claimName(name: string, withSidecar: boolean, used: Set<string>): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : withSuffix(name, `-${n}`);
    const names = (withSidecar ? [candidate, sidecarName(candidate)] : [candidate]).map((x) => x.toLowerCase());
    if (names.some((x) => used.has(x))) continue;
    for (const x of names) used.add(x);
    return candidate;
  }
}

async function walk(dir: string, archDir: string, p: PlannedSession): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: unknown) => {
    throw ioError(e, dir);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
  for (const e of entries) {
    const abs = join(dir, e.name);
    const arch = `${archDir}/${e.name}`;
    if (e.isDirectory()) {
      p.dirs.push({ path: arch, st: await stat(abs) });
      await walk(abs, arch, p);
    } else if (e.isFile()) {
      const side = /^(.+)-(wal|shm|journal)$/.exec(e.name);
      const sideOf = side && files.has(side[1]!) ? { db: join(dir, side[1]!), kind: side[2]! } : undefined;
      p.files.push({ abs, path: arch, sideOf });
    } else {
      throw new SessionError('unsupported', `${abs}: links and special files cannot be backed up`);
    }
  }
}

/**
 * Side files of an SQLite file that would be wrong in the archive. A snapshot already holds
 * what the -wal and -journal held, and -shm only indexes a -wal. A byte copy was taken with no
 * -wal or -journal beside it, so one there now belongs to a later write; -shm stays as found.
 * Sorted by name, a file comes before its side files, so it has been taken by then.
 */
function leftOut(f: PlannedFile, captures: SqliteCaptures): boolean {
  if (f.sideOf === undefined) return false;
  const how = captures.capturedAs(f.sideOf.db);
  return how === 'sqlite-backup' || (how === 'copy' && f.sideOf.kind !== 'shm');
}

/**
 * Private copies of the SQLite files, in a temp folder of os.tmpdir() created on first use,
 * and how each one was taken (its side files follow that).
 */
class SqliteCaptures {
  private dir: string | undefined;
  private count = 0;
  private readonly how = new Map<string, ManifestFile['captured']>();

  async take(src: string): Promise<{ path: string; captured: ManifestFile['captured'] }> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'sessiondeck-backup-'));
    const path = join(this.dir, `${++this.count}.sqlite`);
    const captured = await captureSqlite(src, path);
    this.how.set(src, captured);
    return { path, captured };
  }

  /** How the SQLite file at `src` was taken; undefined for any other file. */
  capturedAs(src: string): ManifestFile['captured'] | undefined {
    return this.how.get(src);
  }

  async remove(): Promise<void> {
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }
}

async function* tarStream(
  planned: PlannedSession[],
  manifest: Manifest,
  captures: SqliteCaptures,
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
      if (!leftOut(f, captures)) {
        const entry = yield* captureFile(f, captures);
        if (f.sidecar) p.session.sidecar = entry;
        else p.session.files.push(entry);
      }
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

/** One tar entry: header, bytes, padding; returns the file's manifest entry once it is complete. */
async function* captureFile(f: PlannedFile, captures: SqliteCaptures): AsyncGenerator<Uint8Array, ManifestFile> {
  const { abs, path } = f;
  const before = await stat(abs).catch((e: unknown) => {
    throw ioError(e, abs);
  });
  let taken: Awaited<ReturnType<SqliteCaptures['take']>> | undefined;
  try {
    // A sidecar is JSON: archived byte for byte, never taken for an SQLite file.
    if (!f.sidecar && isSqliteFile(abs)) taken = await captures.take(abs);
    const fh = await open(taken?.path ?? abs, 'r');
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
      // A private copy was checked as it was taken; the user's file is checked here.
      if (taken === undefined) {
        const after = await fh.stat();
        if (after.size !== size || after.mtimeMs !== before.mtimeMs) throw changedWhileReading(abs);
      }
      return {
        path,
        originalPath: f.originalPath ?? abs,
        format: null,
        size,
        mtime: before.mtime.toISOString(),
        sha256: hash.digest('hex'),
        captured: taken?.captured ?? 'copy',
      };
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw ioError(e, abs);
  } finally {
    if (taken !== undefined) await rm(taken.path, { force: true });
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
