/**
 * The library's channels: its listing, folders and stores added or removed, rescans, and the
 * files moved out of it (to the trash, or into an archive folder; never deleted).
 */
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileStamp } from '../core/backup/stamp.js';
import { SessionError } from '../core/errors.js';
import { containerOf } from '../core/formats/tdata-format.js';
import type { Root } from '../core/library/library.js';
import { findSidecar } from '../core/sidecar/files.js';
import type { ServiceContext } from './context.js';
import type { Handlers } from './handlers.js';
import { moveInto } from './move-aside.js';

type LibraryChannels = 'library.list' | 'library.add' | 'library.remove' | 'library.rescan' | 'file.trash' | 'file.archive';

export function libraryHandlers({ platform, settings, library, sessions, libraryPath, scanJob }: ServiceContext): Pick<Handlers, LibraryChannels> {
  /** Whether `dir` is (inside) a folder of the library: archived files there would come straight back. */
  const inLibraryFolder = (dir: string) => library.rootList.some((r) => r.kind === 'folder' && (dir === r.path || dir.startsWith(r.path + sep)));
  return {
    'library.list': () => library.list(settings.get().authTtlDays),
    'library.add': ({ paths }) => {
      const roots = library.add(paths);
      return { jobId: scanJob(roots.length === 1 ? `Scanning ${basename(roots[0]!.path)}` : `Scanning ${roots.length} locations`, roots).jobId };
    },
    'library.remove': ({ path }) => {
      library.remove(path);
      return { ok: true as const };
    },
    'library.rescan': () => ({ jobId: scanJob('Rescanning the library').jobId }),
    'file.trash': async ({ path }) => {
      // One account of a tdata goes with its whole folder: alone it is no session.
      const abs = containerOf(resolve(path));
      const root = libraryPath(resolve(path));
      sessions.close(resolve(path));
      let where: string;
      if (platform.trashItem) {
        // The sidecar goes with its session (its 2FA password must not stay behind).
        const sidecar = findSidecar(abs);
        await platform.trashItem(abs);
        if (sidecar) await platform.trashItem(sidecar);
        where = 'the system trash';
      } else {
        where = dirname(moveInto(abs, join(platform.appDataDir, 'trash', fileStamp(new Date()))));
      }
      if (root.path === abs) library.remove(abs);
      else await library.scan([root]);
      return { where };
    },
    'file.archive': async ({ paths, dest }) => {
      const into = resolve(dest);
      if (inLibraryFolder(into)) throw new SessionError('usage', `${into}: choose an archive folder outside the library's folders`);
      const moved: { from: string; to: string }[] = [];
      const rescan = new Map<string, Root>();
      try {
        for (const raw of paths) {
          const from = containerOf(resolve(raw));
          const root = libraryPath(resolve(raw));
          sessions.close(resolve(raw));
          // The other accounts of a tdata already moved with the first.
          if (moved.some((m) => m.from === from)) continue;
          moved.push({ from, to: moveInto(from, into) });
          if (root.path === from) library.remove(from);
          else rescan.set(root.path, root);
        }
      } finally {
        // Whatever moved before a failure is shown as moved.
        await library.scan([...rescan.values()]);
      }
      return { moved };
    },
  };
}
