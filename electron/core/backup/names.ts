/**
 * Names of sessions and their sidecars, the same inside an archive and in a restore folder: a
 * session named `acct.session` has its sidecar as `acct.json` beside it, by the sidecar
 * module's own rule, so whatever finds sidecars on disk finds the restored ones too.
 */
import { basename, extname } from 'node:path';
import { sidecarPathFor } from '../sidecar/files.js';

/** The sidecar's name for a session named `name` (`acct.session` → `acct.json`, `tdata` → `tdata.json`). */
export function sidecarName(name: string): string {
  return basename(sidecarPathFor(name));
}

/**
 * `name` with `suffix` before its extension (`acct.session` → `acct-2.session`). The sidecar
 * rule drops the same extension, so the sidecar's name changes with the suffix too.
 */
export function withSuffix(name: string, suffix: string): string {
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}${suffix}${ext}`;
}
