/**
 * Moving a session out of the way, never deleting it: into the web mode's trash folder or the
 * user's archive folder. SQLite side files travel with their database and a `.json` sidecar
 * with its session (renamed with it when the name is taken); an existing name in the
 * destination is never overwritten; across file systems the move is a copy, then the removal
 * of the original.
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { ioError } from '../core/fs/atomic.js';
import { SessionError } from '../core/errors.js';
import { findSidecar, sidecarPathFor } from '../core/sidecar/files.js';

const COMPANIONS = ['', '-wal', '-shm', '-journal'];

/** Moves `path` (and its side files) into `dir`; returns where it now is. */
export function moveInto(path: string, dir: string): string {
  const from = resolve(path);
  const into = resolve(dir);
  if (!existsSync(from)) throw new SessionError('not-found', `${from}: no such file or folder`);
  if (into === from || into.startsWith(`${from}/`)) throw new SessionError('usage', `${from}: cannot be moved into itself`);
  try {
    mkdirSync(into, { recursive: true });
  } catch (e) {
    throw ioError(e, into);
  }
  const sidecar = findSidecar(from);
  const target = freeTarget(into, basename(from), sidecar !== undefined);
  for (const suffix of COMPANIONS) {
    if (existsSync(from + suffix)) moveOne(from + suffix, target + suffix);
  }
  if (sidecar) moveOne(sidecar, sidecarPathFor(target));
  return target;
}

/** `name`, or `stem-2.ext`, `stem-3.ext` …: the first whose file, side files and sidecar are all free. */
function freeTarget(dir: string, name: string, withSidecar: boolean): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    if (COMPANIONS.every((s) => !existsSync(candidate + s)) && !(withSidecar && existsSync(sidecarPathFor(candidate)))) return candidate;
  }
}

function moveOne(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw ioError(e, from);
    try {
      cpSync(from, to, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
      rmSync(from, { recursive: true });
    } catch (e2) {
      throw ioError(e2, from);
    }
  }
}
