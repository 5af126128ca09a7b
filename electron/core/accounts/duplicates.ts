/**
 * Sessions that hold the same login: the same home-DC auth key (same fingerprint), whatever
 * their format. Two clients running on one key at once make Telegram revoke it
 * (AUTH_KEY_DUPLICATED), the most common way copied sessions are lost.
 */

/** Other paths named per entry: a thousand copies of one login must not make a million-name list. */
export const MAX_NAMED_DUPLICATES = 50;

export interface Duplicates {
  /** Up to MAX_NAMED_DUPLICATES of the other paths, in input order. */
  others: string[];
  /** How many other entries hold the same key. */
  count: number;
}

/** For each path whose home-DC key appears in another entry, the others. */
export function findDuplicates(entries: readonly { path: string; authKeyId: string | null }[]): Map<string, Duplicates> {
  const byKey = new Map<string, string[]>();
  for (const e of entries) {
    if (e.authKeyId === null) continue;
    const paths = byKey.get(e.authKeyId);
    if (paths) paths.push(e.path);
    else byKey.set(e.authKeyId, [e.path]);
  }
  const out = new Map<string, Duplicates>();
  for (const paths of byKey.values()) {
    if (paths.length < 2) continue;
    const named = paths.slice(0, MAX_NAMED_DUPLICATES + 1);
    for (const p of paths) out.set(p, { others: named.filter((q) => q !== p).slice(0, MAX_NAMED_DUPLICATES), count: paths.length - 1 });
  }
  return out;
}
