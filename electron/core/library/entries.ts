/**
 * Scanned entries as the app and `sessiondeck list` show them: each with its root, whether it
 * is likely expired, the other entries holding its login (duplicates), and its labels.
 */
import type { LibraryEntry } from '../../../shared/contract.js';
import { findDuplicates, type Duplicates } from '../accounts/duplicates.js';
import type { Labels } from '../labels/label-store.js';
import type { ScannedEntry } from './index-cache.js';
import { isLikelyExpired } from './staleness.js';

export interface Placed {
  root: string;
  entry: ScannedEntry;
}

/** The entries found under each root, in root order; a file under two roots is listed once, under the first. */
export function placeEntries(found: Iterable<readonly [root: string, entries: readonly ScannedEntry[]]>): Placed[] {
  const placed: Placed[] = [];
  const seen = new Set<string>();
  for (const [root, entries] of found) {
    for (const entry of entries) {
      if (seen.has(entry.path)) continue;
      seen.add(entry.path);
      placed.push({ root, entry });
    }
  }
  return placed;
}

export function libraryEntries(found: readonly Placed[], labels: ReadonlyMap<string, Labels>, ttlDays: number, now = Date.now()): LibraryEntry[] {
  const duplicates = findDuplicates(found.filter((f) => f.entry.status === 'ok').map((f) => f.entry));
  return found.map(({ root, entry }) => {
    const { self: _self, selfLookup: _lookup, sidecarPath: _sidecar, ...e } = entry;
    const l = e.authKeyId === null ? undefined : labels.get(e.authKeyId);
    const dups = duplicates.get(e.path);
    return {
      ...e,
      root,
      likelyExpired: e.status === 'ok' && isLikelyExpired(e.lastActivity, e.mtimeMs, ttlDays, now),
      duplicates: dups?.others ?? [],
      warnings: dups ? [...e.warnings, duplicateWarning(dups)] : e.warnings,
      labels: l?.labels ?? [],
      note: l?.note ?? null,
    };
  });
}

function duplicateWarning({ others, count }: Duplicates): string {
  const shown = others.slice(0, 3).join(', ');
  const more = count > 3 ? ` and ${count - 3} more` : '';
  return `same auth key as ${shown}${more}: running both gets the key revoked (AUTH_KEY_DUPLICATED)`;
}
