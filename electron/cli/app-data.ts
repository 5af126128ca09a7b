/**
 * What the CLI shares with the app in its data folder (SESSIONDECK_DATA_DIR honoured): the
 * index cache, so a scan answers as fast as the app's, and the labels database.
 */
import { join } from 'node:path';
import { LabelStore } from '../core/labels/label-store.js';
import { placeEntries, type Placed } from '../core/library/entries.js';
import { IndexCache } from '../core/library/index-cache.js';
import { scanRoot } from '../core/library/scan.js';
import { defaultAppDataDir } from '../services/app-data.js';

/** Runs `fn` with the app's label store open, closing it after. */
export async function withLabels<T>(fn: (labels: LabelStore) => T | Promise<T>): Promise<T> {
  const labels = LabelStore.open(defaultAppDataDir());
  try {
    return await fn(labels);
  } finally {
    labels.close();
  }
}

/** Every entry under these roots (files or folders, resolved), as the app's scan finds them. */
export async function scanRoots(roots: readonly string[]): Promise<Placed[]> {
  const cache = new IndexCache(join(defaultAppDataDir(), 'index-cache.json'));
  try {
    const found: [string, Awaited<ReturnType<typeof scanRoot>>][] = [];
    for (const r of roots) found.push([r, await scanRoot(r, cache)]);
    return placeEntries(found);
  } finally {
    cache.save();
  }
}
