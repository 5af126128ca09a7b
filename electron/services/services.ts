/**
 * The app's services: the state every handler shares, built once, and the handler table put
 * together from one module per domain (app, library, session, export/import, convert, backup,
 * accounts, tdata, stores). Plain Node (no Electron): the IPC registration, the web server and
 * the core worker call `dispatch` (handlers.ts) over it. Session strings stay in the vault; the
 * only replies carrying one are Reveal and the web mode's Copy, both on an explicit click.
 */
import { basename, resolve, sep } from 'node:path';
import { ClipboardGuard } from '../../shared/clipboard-guard.js';
import { checkAgainst, EVENTS } from '../../shared/contract.js';
import { SessionError } from '../core/errors.js';
import { containerOf } from '../core/formats/tdata-format.js';
import { Library } from '../core/library/library.js';
import { storeRefOf } from '../core/store/session-refs.js';
import { accountHandlers } from './account-handlers.js';
import { appHandlers } from './app-handlers.js';
import { backupHandlers } from './backup-handlers.js';
import type { ServiceContext } from './context.js';
import { convertHandlers } from './convert-handlers.js';
import { AutoBackups } from './edit-backup.js';
import { exportHandlers } from './export-handlers.js';
import { CHECK_REPLIES, type Handlers } from './handlers.js';
import { Jobs } from './jobs.js';
import { libraryHandlers } from './library-handlers.js';
import { OpenSessions } from './open-sessions.js';
import type { Platform } from './platform.js';
import { SecretVault } from './secrets.js';
import { sessionHandlers } from './session-handlers.js';
import { SettingsStore } from './settings.js';
import { storeHandlers } from './store-handlers.js';
import { StorePasswords } from './store-passwords.js';
import { tdataHandlers } from './tdata-handlers.js';

export interface Services {
  handlers: Handlers;
  library: Library;
  clipboardGuard: ClipboardGuard | undefined;
  /** Initial scan of the saved library; resolves when done. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export function createServices(host: Platform): Services {
  const platform: Platform = CHECK_REPLIES
    ? {
        ...host,
        emit: (name, payload) => {
          checkAgainst(EVENTS[name], `the ${name} event`, payload);
          host.emit(name, payload);
        },
      }
    : host;
  const settings = new SettingsStore(platform.appDataDir);
  const passwords = new StorePasswords(platform.appDataDir, platform.seal);
  const auto = new AutoBackups({
    appDataDir: platform.appDataDir,
    appVersion: platform.version,
    openStore: passwords.opener,
    seal: platform.seal,
    workFactor: platform.backupWorkFactor,
    policy: () => {
      const s = settings.get();
      return { keepLast: s.autoBackupKeepLast || undefined, maxAgeDays: s.autoBackupMaxAgeDays || undefined };
    },
  });
  const library = new Library(platform.appDataDir, () => platform.emit('library.changed', {}), platform.watchFolders ?? true, passwords.opener);
  const jobs = new Jobs((e) => platform.emit('job', e));
  const sessions = new OpenSessions();
  const vault = new SecretVault();
  const clipboardGuard = platform.clipboard ? new ClipboardGuard(platform.clipboard) : undefined;

  /** An open session: a store's is loaded from it once (read-only) and kept until closed. */
  const openRef = async (ref: string) => {
    const inStore = storeRefOf(ref);
    if (!inStore) return sessions.open(ref);
    return sessions.openStored(ref, inStore, passwords.opener);
  };

  /** The library's stores of a layout, for a suggested output. */
  const storesOf = (format: string) => {
    // One listing, not one per root.
    const holding = new Set(library.list(settings.get().authTtlDays).entries.filter((e) => e.format === format).map((e) => e.root));
    return library.rootList.filter((r) => r.kind === 'store' && holding.has(r.path)).map((r) => r.path);
  };

  const libraryPath = (path: string) => {
    const root = library.rootOf(resolve(path));
    if (!root) throw new SessionError('usage', `${path}: not in the library; add its folder first`);
    return root;
  };

  /** Backup sources with what the library already knows of them, so the manifest needs no second detection. */
  const knownSources = (paths: readonly string[]) => {
    const entries = new Map(library.list(settings.get().authTtlDays).entries.filter((e) => e.status === 'ok').map((e) => [e.path, e]));
    // An account of a tdata is backed up as its whole tdata folder, once; a store's session is taken out of its store.
    return [...new Set(paths.map((p) => (storeRefOf(p) ? p : containerOf(resolve(p)))))].map((path) => {
      const e = entries.get(path);
      return e ? { path, format: e.format, userId: e.userId === null ? null : BigInt(e.userId), authKeyId: e.authKeyId } : path;
    });
  };

  /** The labels of every login among these files and under these folders, as the library knows them. */
  const labelsUnder = (paths: readonly string[]) => {
    const roots = paths.map((p) => (storeRefOf(p) ? p : resolve(p)));
    // Under a folder, or a session of a store.
    const inside = (p: string) => roots.some((r) => p === r || p.startsWith(r + sep) || p.startsWith(`${r}#`));
    return library.labels.forKeys(library.list(settings.get().authTtlDays).entries.filter((e) => inside(e.path)).map((e) => e.authKeyId));
  };

  const scanJob = (label: string, roots = library.rootList) =>
    jobs.start(label, (signal, progress) => library.scan(roots, signal, (d, t, cur) => progress(d, t, basename(cur))));

  const ctx: ServiceContext = { platform, settings, library, jobs, sessions, vault, auto, passwords, clipboardGuard, openRef, libraryPath, scanJob, storesOf };
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...libraryHandlers(ctx),
    ...sessionHandlers(ctx),
    ...exportHandlers(ctx),
    ...convertHandlers(ctx),
    ...backupHandlers({
      jobs,
      auto,
      knownSources,
      labels: { under: labelsUnder, restore: (records) => library.labels.mergeAll(records) },
      workFactor: platform.backupWorkFactor,
      openStore: passwords.opener,
      appVersion: platform.version,
    }),
    ...accountHandlers(library),
    ...tdataHandlers({ library, rescan: (label, roots) => scanJob(label, roots).jobId }),
    ...storeHandlers({ library, passwords, auto, sessions, rescan: (label, roots) => scanJob(label, roots).jobId }),
  };

  return {
    handlers,
    library,
    clipboardGuard,
    start: async () => {
      // Retention at start and then on a timer; a failure here must not stop the app.
      await auto.prune().catch(() => undefined);
      auto.startTimer();
      await library.scan();
    },
    dispose: async () => {
      auto.stopTimer();
      jobs.cancelAll();
      library.close();
      vault.clear();
      await clipboardGuard?.clearIfOurs();
    },
  };
}
