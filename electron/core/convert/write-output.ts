/**
 * Writes a converted session to its destination: a file (string, bytes, SQLite) or a folder.
 * Never overwrites unless asked; always via a temp file or folder beside the target.
 */
import { closeSync, existsSync, mkdtempSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SessionError } from '../errors.js';
import type { Session } from '../model/session.js';
import type { SessionFormat, WriteOptions } from '../formats/types.js';
import { openDatabase, sqliteError } from '../sqlite/open.js';
import { fsyncDir, ioError, replaceAtomically, writeFileAtomic } from '../fs/atomic.js';
import { writeTdata } from '../formats/tdata/index.js';
import type { NamedSidecar } from '../sidecar/codec.js';
import { checkSidecarTarget, writeSidecarBeside } from '../sidecar/files.js';

export interface OutputOptions extends WriteOptions {
  force?: boolean;
}

/**
 * Writes a converted session and, when its source had a sidecar, a copy of it beside the
 * output (its session_file naming the new file). Both targets are checked before anything is
 * written, so a refusal leaves nothing behind. Returns the sidecar written, if any.
 */
export function writeConverted(format: SessionFormat, session: Session, out: string, opts: OutputOptions & { sidecar?: NamedSidecar }): string | null {
  if (!opts.sidecar) {
    writeOutput(format, session, out, opts);
    return null;
  }
  checkSidecarTarget(out, opts.force ?? false);
  const existed = existsSync(out);
  writeOutput(format, session, out, opts);
  try {
    return writeSidecarBeside(out, opts.sidecar.sidecar, opts.force ?? false);
  } catch (e) {
    // A new session without the sidecar it came with is half a write: take it back.
    if (!existed) rmSync(out, { recursive: true, force: true });
    throw e;
  }
}

export function encodeToString(format: SessionFormat, session: Session, opts: WriteOptions = {}): string {
  if (format.medium !== 'string') throw new SessionError('usage', `${format.id} is not a string format`);
  return format.encode(session, opts);
}

export function writeOutput(format: SessionFormat, session: Session, out: string, opts: OutputOptions = {}): void {
  if (format.medium === 'store') throw new SessionError('usage', `${format.id} lives in a store: write it with -o <store URL>#<session id>`);
  if (existsSync(out) && !opts.force) {
    throw new SessionError('exists', `${out} already exists (use --force to overwrite it)`);
  }
  switch (format.medium) {
    case 'string':
      writeFileAtomic(out, `${format.encode(session, opts)}\n`);
      return;
    case 'bytes':
      writeFileAtomic(out, format.encode(session, opts));
      return;
    case 'sqlite':
      replaceAtomically(out, (tmp) => {
        // Owner-only like every other session file we write: it holds auth keys.
        closeSync(openSync(tmp, 'wx', 0o600));
        const db = openDatabase(tmp);
        try {
          format.write(db, session, opts);
          // Fold any WAL back into the main file so the renamed file stands alone.
          db.pragma('wal_checkpoint(TRUNCATE)');
        } catch (e) {
          throw e instanceof SessionError ? e : sqliteError(e, out);
        } finally {
          db.close();
        }
        rmSync(`${tmp}-wal`, { force: true });
        rmSync(`${tmp}-shm`, { force: true });
      });
      return;
    case 'folder':
      writeFolder(format, session, out, opts);
  }
}

/** Many sessions into one new tdata (the accounts in this order), as atomically as any folder output. */
export function writeTdataOutput(out: string, sessions: readonly Session[], opts: OutputOptions = {}): string[] {
  if (existsSync(out) && !opts.force) throw new SessionError('exists', `${out} already exists (use --force to overwrite it)`);
  let warnings: string[] = [];
  stageFolder(out, (dir) => {
    warnings = writeTdata(dir, sessions, { passcode: opts.passcode }).warnings;
  });
  return warnings;
}

function writeFolder(format: Extract<SessionFormat, { medium: 'folder' }>, session: Session, out: string, opts: OutputOptions): void {
  stageFolder(out, (dir) => format.write(dir, session, opts));
}

/** Builds a folder beside `out` and renames it into place; the old one stays until the new one is there. */
function stageFolder(out: string, build: (dir: string) => void): void {
  const parent = dirname(out);
  const stage = mkdtempSync(join(parent, `.${basename(out)}.`));
  const aside = `${stage}.old`;
  try {
    build(join(stage, 'new'));
    // Keep the old folder until the new one is in place: nothing is lost if we stop midway.
    if (existsSync(out)) renameSync(out, aside);
    renameSync(join(stage, 'new'), out);
    fsyncDir(parent);
  } catch (e) {
    if (existsSync(aside) && !existsSync(out)) renameSync(aside, out);
    throw ioError(e, out);
  } finally {
    rmSync(stage, { recursive: true, force: true });
    rmSync(aside, { recursive: true, force: true });
  }
}
