/**
 * Sessions that hold the same login: the same home-DC auth key (same fingerprint), whatever
 * their format. Two clients running on one key at once make Telegram revoke it
 * (AUTH_KEY_DUPLICATED), the most common way copied sessions are lost.
 */

/** For each path whose home-DC key appears in another entry, the other paths (in input order). */
export function findDuplicates(entries: readonly { path: string; authKeyId: string | null }[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const e of entries) {
    if (e.authKeyId === null) continue;
    const paths = byKey.get(e.authKeyId);
    if (paths) paths.push(e.path);
    else byKey.set(e.authKeyId, [e.path]);
  }
  const out = new Map<string, string[]>();
  for (const paths of byKey.values()) {
    if (paths.length < 2) continue;
    for (const p of paths) out.set(p, paths.filter((q) => q !== p));
  }
  return out;
}
