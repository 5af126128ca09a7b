/**
 * Reading a backup end to end: decrypt, walk the tar, hand each file's bytes to a sink while
 * hashing them, then check every entry against the manifest. Nothing read is trusted until
 * readArchive returns: age authenticates chunk by chunk, the manifest comes last.
 */
import { createHash } from 'node:crypto';
import { SessionError, describeError } from '../errors.js';
import { decryptFile } from './age.js';
import { checkAborted, type JobOptions } from './job.js';
import { archivedFiles, checkArchivePath, MANIFEST_NAME, parseManifest, SESSIONS_DIR, type Manifest } from './manifest.js';
import { readTar, type TarHeader } from './tar.js';

const MAX_MANIFEST = 64 * 1024 * 1024;

/** Where the bytes of each entry go while the archive is read (verify: nowhere). */
export interface EntrySink {
  directory?(h: TarHeader): Promise<void>;
  /** Receives the file's chunks in order; `end` is called after the last one. */
  file?(h: TarHeader): Promise<{ write(chunk: Uint8Array): Promise<void>; end(): Promise<void> }>;
}

export interface ArchiveContents {
  manifest: Manifest;
  files: number;
  bytes: number;
}

export async function readArchive(
  file: string,
  passphrase: string,
  sink: EntrySink,
  opts: JobOptions = {},
): Promise<ArchiveContents> {
  const plain = await decryptFile(file, passphrase, {
    signal: opts.signal,
    onBytes: (done, total) => opts.onProgress?.({ done, total, unit: 'bytes' }),
  });
  const seen = new Map<string, { size: number; sha256: string }>();
  const dirs = new Set<string>();
  let manifestBytes: Uint8Array | undefined;
  let bytes = 0;
  for await (const entry of readTar(plain)) {
    checkAborted(opts.signal);
    const segs = checkArchivePath(entry.path);
    if (seen.has(entry.path) || dirs.has(entry.path)) throw badArchive(`holds "${entry.path}" twice`);
    if (entry.path === MANIFEST_NAME && entry.type === 'file') {
      if (entry.size > MAX_MANIFEST) throw new SessionError('too-large', 'the backup manifest is too large');
      manifestBytes = await collect(entry.body, entry.size);
      continue;
    }
    if (segs[0] !== SESSIONS_DIR || segs.length < 2) throw badArchive(`holds an unexpected entry "${segs[0]}"`);
    if (entry.type === 'directory') {
      dirs.add(entry.path);
      await sink.directory?.(entry);
      continue;
    }
    const out = await sink.file?.(entry);
    const hash = createHash('sha256');
    for await (const chunk of entry.body) {
      hash.update(chunk);
      await out?.write(chunk);
    }
    await out?.end();
    seen.set(entry.path, { size: entry.size, sha256: hash.digest('hex') });
    bytes += entry.size;
  }
  if (manifestBytes === undefined) throw badArchive('has no manifest.json');
  const manifest = parseManifest(manifestBytes);
  checkAgainstManifest(manifest, seen, dirs);
  return { manifest, files: seen.size, bytes };
}

async function collect(body: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let at = 0;
  for await (const c of body) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Same set of files (sidecars included), same sizes and hashes; folders only inside folder sessions. */
function checkAgainstManifest(
  m: Manifest,
  seen: Map<string, { size: number; sha256: string }>,
  dirs: Set<string>,
): void {
  const listed = new Set<string>();
  for (const s of m.sessions) {
    for (const f of archivedFiles(s)) {
      listed.add(f.path);
      const got = seen.get(f.path);
      if (!got) throw badArchive(`lacks "${f.path}", listed in its manifest`);
      if (got.size !== f.size || got.sha256 !== f.sha256) {
        throw new SessionError('malformed', `"${f.path}" does not match the SHA-256 in the backup manifest`);
      }
    }
  }
  for (const path of seen.keys()) {
    if (!listed.has(path)) throw badArchive(`holds "${path}", missing from its manifest`);
  }
  const folders = m.sessions.filter((s) => s.kind === 'folder').map((s) => `${SESSIONS_DIR}/${s.name}`);
  for (const d of dirs) {
    if (!folders.some((root) => d === root || d.startsWith(`${root}/`))) throw badArchive(`holds a stray folder "${d}"`);
  }
}

function badArchive(what: string): SessionError {
  return new SessionError('malformed', `the backup ${what}`);
}

export interface VerifyReport {
  ok: boolean;
  /** Present when ok is false: why, in one line, and the error code. */
  problem?: { code: string; message: string };
  manifest?: Manifest;
  files: number;
  bytes: number;
}

/**
 * Checks the passphrase, age authentication and every SHA-256 against the manifest. Writes
 * nothing. Problems with the archive are reported, not thrown; cancelling throws.
 */
export async function verify(file: string, passphrase: string, opts: JobOptions = {}): Promise<VerifyReport> {
  try {
    const c = await readArchive(file, passphrase, {}, opts);
    return { ok: true, manifest: c.manifest, files: c.files, bytes: c.bytes };
  } catch (e) {
    if (e instanceof SessionError && e.code === 'cancelled') throw e;
    const code = e instanceof SessionError ? e.code : 'io';
    return { ok: false, problem: { code, message: describeError(e) }, files: 0, bytes: 0 };
  }
}
