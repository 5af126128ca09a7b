/**
 * manifest.json, the last entry of every backup: where each session came from and the SHA-256
 * of every file, so a restore (or a person with `age -d | tar x` and `sha256sum`) can check
 * that what comes out is what went in. Paths inside the archive are validated here, once.
 */
import { z } from 'zod';
import { SessionError } from '../errors.js';
import { sidecarName } from './names.js';

export const MANIFEST_NAME = 'manifest.json';
/** Sessions live under this folder in the tar: `sessions/<name>` (a file or a folder). */
export const SESSIONS_DIR = 'sessions';
const MANIFEST_TYPE = 'session-deck-backup';
/** 2 added sidecars and labels, both optional, so a version-1 manifest reads as it is. */
const MANIFEST_VERSION = 2;
/** An auth key fingerprint (see model/fingerprint.ts): what labels are kept by. */
export const AUTH_KEY_ID = /^[0-9a-f]{16}$/;

const fileSchema = z.object({
  path: z.string(),
  originalPath: z.string(),
  format: z.string().nullable(),
  size: z.number().int().nonnegative(),
  mtime: z.iso.datetime(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * 'copy': the bytes as they were on disk, so `sha256sum` of the original agrees. 'sqlite-backup':
   * a consistent snapshot taken with SQLite's online-backup API (a writer may have been active,
   * or the file is in WAL mode): the same data, not the same bytes.
   */
  captured: z.enum(['copy', 'sqlite-backup']),
});

const sessionSchema = z.object({
  name: z.string(),
  kind: z.enum(['file', 'folder']),
  originalPath: z.string(),
  format: z.string().nullable(),
  /** Decimal string: JSON has no 64-bit integers. */
  userId: z.string().regex(/^\d{1,20}$/).nullable(),
  files: z.array(fileSchema),
  /** `sessions/<stem>.json`, the `.json` sidecar that lay beside the session (see names.ts). */
  sidecar: fileSchema.optional(),
  /** The home DC key's fingerprint: the login the session holds. */
  authKeyId: z.string().regex(AUTH_KEY_ID).nullable().optional(),
  /**
   * A session taken from a shared store: where (its URL without a password), its layout, its
   * session id. The archive holds it as a file of its own library's format (`format`).
   */
  store: z.object({ location: z.string(), format: z.string(), layout: z.string(), id: z.string() }).optional(),
});

/** What the app kept under a login of the backup (labels, note), so a restore can bring it back. */
const labelsSchema = z.object({
  authKeyId: z.string().regex(AUTH_KEY_ID),
  labels: z.array(z.string()),
  note: z.string().nullable(),
});

const manifestSchema = z.object({
  type: z.literal(MANIFEST_TYPE),
  version: z.union([z.literal(1), z.literal(MANIFEST_VERSION)]),
  appVersion: z.string(),
  createdAt: z.iso.datetime(),
  automatic: z.boolean(),
  /** Labels and notes of the logins in the backup, sessions inside backed-up folders included. */
  labels: z.array(labelsSchema).optional(),
  sessions: z.array(sessionSchema),
});

export type ManifestFile = z.infer<typeof fileSchema>;
export type ManifestStore = NonNullable<z.infer<typeof sessionSchema>['store']>;
export type ManifestLabels = z.infer<typeof labelsSchema>;
export type ManifestSession = Omit<z.infer<typeof sessionSchema>, 'userId'> & { userId: bigint | null };
export interface Manifest extends Omit<z.infer<typeof manifestSchema>, 'sessions'> {
  sessions: ManifestSession[];
}

export function newManifest(appVersion: string, createdAt: Date, automatic: boolean): Manifest {
  return {
    type: MANIFEST_TYPE,
    version: MANIFEST_VERSION,
    appVersion,
    createdAt: createdAt.toISOString(),
    automatic,
    sessions: [],
  };
}

/** Every file of a session in the archive: its own, then its sidecar. */
export function archivedFiles(s: ManifestSession): ManifestFile[] {
  return s.sidecar === undefined ? s.files : [...s.files, s.sidecar];
}

export function encodeManifest(m: Manifest): Uint8Array {
  const json = {
    ...m,
    sessions: m.sessions.map((s) => ({ ...s, userId: s.userId === null ? null : s.userId.toString() })),
  };
  return new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`);
}

export function parseManifest(bytes: Uint8Array): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new SessionError('malformed', 'the backup manifest is not valid JSON');
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown field';
    throw new SessionError('malformed', `the backup manifest is invalid (${where})`);
  }
  const m: Manifest = {
    ...parsed.data,
    sessions: parsed.data.sessions.map((s) => ({ ...s, userId: s.userId === null ? null : BigInt(s.userId) })),
  };
  checkConsistent(m);
  return m;
}

/**
 * Every session name is one safe path segment, its files lie inside it, and its sidecar is
 * named after it; no two sessions or sidecars share a name.
 */
function checkConsistent(m: Manifest): void {
  const names = new Set<string>();
  const paths = new Set<string>();
  const claim = (name: string, what: string) => {
    if (names.has(name)) throw badManifest(what);
    names.add(name);
  };
  for (const s of m.sessions) {
    const top = checkArchivePath(`${SESSIONS_DIR}/${s.name}`);
    if (top.length !== 2) throw badManifest(`session name "${s.name}"`);
    claim(s.name, `session name "${s.name}"`);
    const root = `${SESSIONS_DIR}/${s.name}`;
    for (const f of s.files) {
      checkArchivePath(f.path);
      const inside = s.kind === 'file' ? f.path === root : f.path.startsWith(`${root}/`);
      if (!inside || paths.has(f.path)) throw badManifest(`file path "${f.path}"`);
      paths.add(f.path);
    }
    if (s.kind === 'file' && s.files.length !== 1) throw badManifest(`file session "${s.name}"`);
    if (s.sidecar !== undefined) {
      const what = `sidecar path "${s.sidecar.path}"`;
      if (s.sidecar.path !== `${SESSIONS_DIR}/${sidecarName(s.name)}`) throw badManifest(what);
      checkArchivePath(s.sidecar.path);
      claim(sidecarName(s.name), what);
    }
  }
}

function badManifest(what: string): SessionError {
  return new SessionError('malformed', `the backup manifest has an invalid ${what}`);
}

/**
 * Splits a path found in an archive into segments, refusing anything that could land outside
 * the destination: absolute paths, drive letters, backslashes, `.`/`..` and empty segments.
 */
export function checkArchivePath(path: string): string[] {
  const segs = path.split('/');
  const bad =
    path.length === 0 ||
    path.length > 4096 ||
    path.includes('\\') ||
    path.includes('\0') ||
    /^[A-Za-z]:/.test(path) ||
    segs.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new SessionError('malformed', `the archive holds an unsafe path "${printablePath(path)}"`);
  return segs;
}

function printablePath(p: string): string {
  const clean = p.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
