/**
 * The Telegram Desktop channel: unlocking a tdata behind a local passcode. The core keeps the
 * folder's local key in memory for this run (never the passcode, never on disk), so the
 * library, the session view, conversion and backup all read it from then on.
 */
import { resolve, sep } from 'node:path';
import { SessionError } from '../core/errors.js';
import { containerOf, tdata } from '../core/formats/tdata-format.js';
import { unlockTdata } from '../core/formats/tdata/index.js';
import type { Library, Root } from '../core/library/library.js';
import type { Handlers } from './handlers.js';

export interface TdataDeps {
  library: Library;
  /** Scans these roots again as a job; its id. */
  rescan: (label: string, roots: readonly Root[]) => string;
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

export function tdataHandlers({ library, rescan }: TdataDeps): Pick<Handlers, 'tdata.unlock'> {
  return {
    'tdata.unlock': ({ path, passcode }) => {
      const folder = containerOf(resolve(path));
      if (!tdata.matches(folder)) throw new SessionError('usage', `${folder} is not a Telegram Desktop tdata folder`);
      unlockTdata(folder, passcode);
      // The roots holding it: the folder itself, a folder above it, or one of its account files.
      const roots = library.rootList.filter((r) => inside(folder, r.path) || inside(r.path, folder));
      return { folder, jobId: roots.length === 0 ? null : rescan('Reading the unlocked tdata', roots) };
    },
  };
}
