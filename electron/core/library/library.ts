/**
 * The user's library: the folders and files they added (kept in library.json in the app data
 * folder), what scanning found under each, a watcher per folder that rescans it when its
 * files change, and the labels of its sessions. Entries come from the index cache when a file
 * is unchanged.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { join, resolve } from 'node:path';
import type { LibraryEntry } from '../../../shared/dto.js';
import { SessionError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { LabelStore } from '../labels/label-store.js';
import { libraryEntries, placeEntries } from './entries.js';
import { IndexCache, type CachedEntry, type ScannedEntry } from './index-cache.js';
import { isOwnOrSideFile, MAX_SCAN_DEPTH, rescanPaths, scanRoot } from './scan.js';
import { storeEntries, storeErrorEntry } from './store-entries.js';
import { openStore } from '../store/open-store.js';
import { withStore, type StoreOpener } from '../store/session-refs.js';
import { storeDisplay } from '../store/store-url.js';

export interface Root {
  /** A folder's or file's absolute path; a store's URL without its password. */
  path: string;
  kind: 'folder' | 'file' | 'store';
}

export type ScanProgressFn = (done: number, total: number, current: string) => void;

const WATCH_DEBOUNCE_MS = 400;
/** A file copied in is probed once its size has not changed for this long. */
const WRITE_SETTLE_MS = 300;

export class Library {
  private roots: Root[] = [];
  private readonly found = new Map<string, ScannedEntry[]>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pendingPaths = new Map<string, Set<string | null>>();
  private readonly pendingRescan = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly cache: IndexCache;
  private readonly rootsFile: string;
  /** Labels and notes, by auth key fingerprint (the app's own database, beside library.json). */
  readonly labels: LabelStore;
  scanning = 0;

  constructor(
    appDataDir: string,
    private readonly onChange: () => void,
    private readonly watchFolders = true,
    /** How a store root is opened (the app supplies its saved passwords). */
    private readonly storeOpener: StoreOpener = openStore,
  ) {
    mkdirSync(appDataDir, { recursive: true });
    this.cache = new IndexCache(join(appDataDir, 'index-cache.json'));
    this.rootsFile = join(appDataDir, 'library.json');
    this.roots = loadRoots(this.rootsFile);
    this.labels = LabelStore.open(appDataDir);
  }

  get rootList(): readonly Root[] {
    return this.roots;
  }

  /** Adds roots (folders or single files) without scanning; returns the normalised ones. */
  add(paths: string[]): Root[] {
    const added: Root[] = [];
    for (const raw of paths) {
      const path = resolve(raw);
      let st;
      try {
        st = statSync(path);
      } catch {
        throw new SessionError('not-found', `${path}: no such file or folder`);
      }
      const root: Root = { path, kind: st.isDirectory() ? 'folder' : 'file' };
      if (!this.roots.some((r) => r.path === path)) this.roots.push(root);
      added.push(root);
    }
    this.saveRoots();
    return added;
  }

  /** Adds a store by its URL (the password left out: it never reaches library.json), without listing it. */
  addStore(url: string): Root {
    const root: Root = { path: storeDisplay(url), kind: 'store' };
    if (!this.roots.some((r) => r.path === root.path)) this.roots.push(root);
    this.saveRoots();
    return root;
  }

  /** The root of a store in the library, whatever form of its URL is given (as addStore keeps it). */
  storeRoot(url: string): Root | undefined {
    const path = storeDisplay(url);
    return this.roots.find((r) => r.kind === 'store' && r.path === path);
  }

  remove(path: string): void {
    this.roots = this.roots.filter((r) => r.path !== path);
    this.found.delete(path);
    this.unwatch(path);
    this.saveRoots();
    this.onChange();
  }

  /** Scans the given roots (all when none are given), reporting progress across them. */
  async scan(roots: readonly Root[] = this.roots, signal?: AbortSignal, progress?: ScanProgressFn): Promise<void> {
    this.scanning++;
    try {
      let before = 0;
      for (const root of roots) {
        if (signal?.aborted) break;
        if (root.kind === 'store') {
          this.found.set(root.path, await this.listStore(root.path));
          this.onChange();
          continue;
        }
        if (!existsSync(root.path)) {
          this.found.set(root.path, []);
          continue;
        }
        const entries = await scanRoot(root.path, this.cache, {
          signal,
          onProgress: (p) => progress?.(before + p.done, before + p.found, p.current),
        });
        before += entries.length;
        this.found.set(root.path, entries);
        if (root.kind === 'folder') this.watch(root.path);
        this.onChange();
      }
    } finally {
      this.scanning--;
      this.cache.save();
    }
  }

  /** A store's sessions, read-only; a store that does not answer is one entry saying why. */
  private async listStore(location: string): Promise<ScannedEntry[]> {
    try {
      return await withStore(location, {}, storeEntries, this.storeOpener);
    } catch (e) {
      return [storeErrorEntry(location, e)];
    }
  }

  list(ttlDays: number, now = Date.now()): { roots: Root[]; entries: LibraryEntry[]; scanning: boolean } {
    const placed = placeEntries(this.roots.map((r) => [r.path, this.found.get(r.path) ?? []] as const));
    return { roots: [...this.roots], entries: libraryEntries(placed, this.labels.all(), ttlDays, now), scanning: this.scanning > 0 };
  }

  /** What the scan found of a path in the library, when it is there. */
  entry(path: string): CachedEntry | undefined {
    for (const entries of this.found.values()) {
      const e = entries.find((x) => x.entry.path === path);
      if (e) return e.entry;
    }
    return undefined;
  }

  /** The root a path was found under (or is), when it is in the library. */
  rootOf(path: string): Root | undefined {
    for (const root of this.roots) {
      if (root.path === path || this.found.get(root.path)?.some((s) => s.entry.path === path)) return root;
    }
    return undefined;
  }

  /**
   * Watches a folder root with chokidar: a file being copied in is probed once its writes
   * settle; a changed file re-probes its own session (rescanPaths), not the folder; folders
   * coming or going rescan the root; an error (the root removed, unreadable) rescans it too,
   * which lists it empty, never a crash. The app's own temp files and SQLite side files are
   * not watched.
   */
  private watch(dir: string): void {
    if (!this.watchFolders || this.watchers.has(dir)) return;
    const watcher = chokidarWatch(dir, {
      ignoreInitial: true,
      depth: MAX_SCAN_DEPTH + 1,
      awaitWriteFinish: { stabilityThreshold: WRITE_SETTLE_MS, pollInterval: 50 },
      ignored: (path) => path !== dir && isOwnOrSideFile(path),
    });
    watcher.on('all', (event, path) => this.changed(dir, event === 'addDir' || event === 'unlinkDir' ? null : path));
    watcher.on('error', () => this.changed(dir, null));
    this.watchers.set(dir, watcher);
  }

  /** Collects what changed under a root (null: rescan it whole) and handles it after a short quiet time. */
  private changed(dir: string, path: string | null): void {
    const pending = this.pendingPaths.get(dir) ?? new Set<string | null>();
    pending.add(path);
    this.pendingPaths.set(dir, pending);
    clearTimeout(this.pendingRescan.get(dir));
    this.pendingRescan.set(
      dir,
      setTimeout(() => {
        this.pendingRescan.delete(dir);
        const paths = this.pendingPaths.get(dir) ?? new Set();
        this.pendingPaths.delete(dir);
        const root = this.roots.find((r) => r.path === dir);
        if (!root) return;
        const current = this.found.get(dir);
        // A whole rescan when asked for, when the root itself went, or while a scan runs (it would overwrite).
        if (paths.has(null) || !current || this.scanning > 0 || !existsSync(dir)) {
          void this.scan([root]).catch(() => undefined);
          return;
        }
        this.found.set(dir, rescanPaths(dir, paths as Set<string>, this.cache, current));
        this.cache.save();
        this.onChange();
      }, WATCH_DEBOUNCE_MS),
    );
  }

  private unwatch(dir: string): void {
    void this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
    clearTimeout(this.pendingRescan.get(dir));
    this.pendingRescan.delete(dir);
    this.pendingPaths.delete(dir);
  }

  close(): void {
    for (const dir of [...this.watchers.keys()]) this.unwatch(dir);
    this.cache.save();
    this.labels.close();
  }

  private saveRoots(): void {
    writeFileAtomic(this.rootsFile, JSON.stringify({ roots: this.roots }, null, 2));
  }
}

function loadRoots(file: string): Root[] {
  if (!existsSync(file)) return [];
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { roots?: Root[] };
    return (data.roots ?? []).filter((r) => typeof r.path === 'string' && (r.kind === 'folder' || r.kind === 'file' || r.kind === 'store'));
  } catch {
    return [];
  }
}
