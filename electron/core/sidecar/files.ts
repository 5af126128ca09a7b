/**
 * Where a session's sidecar lives (`<stem>.json` beside it: `acct.session` → `acct.json`, a
 * `tdata` folder → `tdata.json`), reading it read-only, and writing a copy beside another
 * session atomically.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { SessionError } from '../errors.js';
import { containerOf } from '../formats/tdata-format.js';
import { ioError, writeFileAtomic } from '../fs/atomic.js';
import { encodeSidecar, parseSidecar, SIDECAR_MAX_BYTES, type NamedSidecar, type Sidecar } from './codec.js';

export const SIDECAR_EXT = '.json';

/** `<dir>/<stem>.json` for a session file or folder. */
export function sidecarPathFor(sessionPath: string): string {
  const name = basename(sessionPath);
  const ext = extname(name);
  return join(dirname(sessionPath), `${ext ? name.slice(0, -ext.length) : name}${SIDECAR_EXT}`);
}

export function isJsonName(path: string): boolean {
  return extname(path).toLowerCase() === SIDECAR_EXT;
}

/**
 * Where a session's sidecar would be: beside it, or beside its tdata folder for an account of
 * one; undefined for a session that is itself `.json`.
 */
export function sidecarPathOf(sessionPath: string): string | undefined {
  return isJsonName(sessionPath) ? undefined : sidecarPathFor(containerOf(sessionPath));
}

/** The sidecar path of a session (sidecarPathOf), when that file exists. */
export function findSidecar(sessionPath: string): string | undefined {
  const p = sidecarPathOf(sessionPath);
  if (p === undefined) return undefined;
  try {
    return statSync(p).isFile() ? p : undefined;
  } catch {
    return undefined;
  }
}

export function readSidecarFile(path: string): Sidecar {
  let text: string;
  try {
    if (statSync(path).size > SIDECAR_MAX_BYTES) throw new SessionError('too-large', `${basename(path)}: too large to be a sidecar`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw e instanceof SessionError ? e : ioError(e, path);
  }
  return parseSidecar(text, basename(path));
}

/** A sidecar found beside a session: parsed, or why it does not read. */
export interface LoadedSidecar {
  path: string;
  sidecar: Sidecar | null;
  warning: string | null;
}

/** The sidecar of a session, when it has one that reads; a broken one is a warning, not a failure. */
export function loadSidecar(sessionPath: string): LoadedSidecar | null {
  const path = findSidecar(sessionPath);
  if (!path) return null;
  try {
    return { path, sidecar: readSidecarFile(path), warning: null };
  } catch (e) {
    return { path, sidecar: null, warning: `${(e as Error).message.split('\n')[0]}; not read as this session's sidecar` };
  }
}

/** The sidecar a conversion of `sessionPath` carries along, when it has one that reads. */
export function namedSidecarOf(sessionPath: string): NamedSidecar | undefined {
  const found = loadSidecar(sessionPath);
  return found?.sidecar ? { name: basename(found.path), sidecar: found.sidecar } : undefined;
}

/**
 * Refuses early when the sidecar a write would add is already there: checked before the
 * session is written, so a refused write leaves nothing behind.
 */
export function checkSidecarTarget(sessionOut: string, force: boolean): string {
  const out = sidecarPathFor(sessionOut);
  if (!force && existsSync(out)) throw new SessionError('exists', `${out} already exists (use --force to overwrite it)`);
  return out;
}

/** Writes a copy of `sidecar` beside `sessionOut`, its session_file naming it. */
export function writeSidecarBeside(sessionOut: string, sidecar: Sidecar, force: boolean): string {
  const out = checkSidecarTarget(sessionOut, force);
  writeFileAtomic(out, encodeSidecar(sidecar, basename(sessionOut)));
  return out;
}
