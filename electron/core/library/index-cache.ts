/**
 * The scan results of every file, kept as JSON in the app's data folder so reopening a library
 * of thousands of files is instant. An entry is reused only while the file's size and modified
 * time are unchanged; it holds summaries only (no keys, no strings).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LibraryEntry } from '../../../shared/dto.js';
import type { SelfPeer } from '../accounts/identity.js';
import type { LoadedSidecar } from '../sidecar/files.js';
import { writeFileAtomic } from '../fs/atomic.js';

/** What probing a file found (the session alone; its sidecar is read on each scan). */
export type CachedEntry = Omit<LibraryEntry, 'likelyExpired' | 'root' | 'account' | 'sidecar' | 'duplicates' | 'labels' | 'note'> & {
  /** The own user's row in the peer cache, when it holds one. */
  self: SelfPeer | null;
  /** The sidecar's user id the own row was looked up by (for a session that stores none). */
  selfLookup: string | null;
};

/** A scanned entry: the cached session facts and the sidecar found beside it (read on every scan). */
export interface ScannedEntry {
  entry: CachedEntry;
  sidecar: LoadedSidecar | null;
}

// 3: a tdata behind a passcode is a 'locked' entry, never cached.
const VERSION = 3;

export class IndexCache {
  private entries = new Map<string, CachedEntry>();
  private dirty = false;

  constructor(private readonly file: string) {
    this.load();
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { version?: number; entries?: CachedEntry[] };
      // A cache from another version is rebuilt, not migrated: it is only a cache.
      if (data.version !== VERSION || !Array.isArray(data.entries)) return;
      for (const e of data.entries) this.entries.set(e.path, e);
    } catch {
      this.entries.clear();
    }
  }

  /** The cached entry when the file still has the same size and modified time. */
  get(path: string, size: number, mtimeMs: number): CachedEntry | undefined {
    const e = this.entries.get(path);
    return e && e.size === size && e.mtimeMs === mtimeMs ? e : undefined;
  }

  set(entry: CachedEntry): void {
    this.entries.set(entry.path, entry);
    this.dirty = true;
  }

  delete(path: string): void {
    if (this.entries.delete(path)) this.dirty = true;
  }

  get size(): number {
    return this.entries.size;
  }

  save(): void {
    if (!this.dirty) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, JSON.stringify({ version: VERSION, entries: [...this.entries.values()] }));
    this.dirty = false;
  }
}
