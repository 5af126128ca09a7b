/**
 * Scanned entries as the app and `sessiondeck list` show them: each with its root, whether it
 * is likely expired, the other entries holding its login (duplicates), and its labels.
 */
import type { LibraryEntry } from '../../../shared/dto.js';
import { findDuplicates, type Duplicates } from '../accounts/duplicates.js';
import type { Labels } from '../labels/label-store.js';
import { accountPart } from '../accounts/session-account.js';
import type { ScannedEntry } from './index-cache.js';
import { isLikelyExpired } from './staleness.js';

export interface Placed extends ScannedEntry {
  root: string;
}

/** The entries found under each root, in root order; a file under two roots is listed once, under the first. */
export function placeEntries(found: Iterable<readonly [root: string, entries: readonly ScannedEntry[]]>): Placed[] {
  const placed: Placed[] = [];
  const seen = new Set<string>();
  for (const [root, entries] of found) {
    for (const s of entries) {
      if (seen.has(s.entry.path)) continue;
      seen.add(s.entry.path);
      placed.push({ root, ...s });
    }
  }
  return placed;
}

/**
 * The entries as shown, each built in one object: its account and sidecar (worked out here,
 * not at scan time, so a scan copies nothing), duplicates, labels and staleness.
 */
export function libraryEntries(found: readonly Placed[], labels: ReadonlyMap<string, Labels>, ttlDays: number, now = Date.now()): LibraryEntry[] {
  const duplicates = findDuplicates(found.filter((f) => f.entry.status === 'ok').map((f) => f.entry));
  return found.map(({ root, entry, sidecar }) => {
    const { self, selfLookup: _lookup, ...e } = entry;
    const part = accountPart(e.path, { userId: e.userId === null ? null : BigInt(e.userId), isBot: e.isBot, homeDc: e.homeDc, self: self ?? undefined }, sidecar);
    const l = e.authKeyId === null ? undefined : labels.get(e.authKeyId);
    const dups = duplicates.get(e.path);
    const warnings = part.warnings.length > 0 || dups ? [...e.warnings, ...part.warnings, ...(dups ? [duplicateWarning(dups)] : [])] : e.warnings;
    return {
      ...e,
      warnings,
      root,
      likelyExpired: e.status === 'ok' && isLikelyExpired(e.lastActivity, e.mtimeMs, ttlDays, now),
      account: part.account,
      sidecar: part.sidecar,
      duplicates: dups?.others ?? [],
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
