/** A file's peers counted by kind in SQL (a format's PeerGroups), without loading them. */
import type { PeerCounts } from '../../../shared/dto.js';
import type { PeerGroups } from '../formats/types.js';
import { openReadOnly, readSchema, sqliteError } from '../sqlite/open.js';
import { SessionError } from '../errors.js';
import { COUNT_KEY, zeroCounts } from './summary.js';

export function sqlPeerGroupCounts(path: string, groups: PeerGroups): { counts: PeerCounts; warnings: string[] } {
  const db = openReadOnly(path);
  try {
    const counts = zeroCounts();
    const sql = groups.sql(readSchema(db));
    const rows = sql ? (db.prepare(sql).safeIntegers(true).all() as Record<string, unknown>[]) : [];
    for (const g of rows) {
      const kind = groups.kindOf(g);
      if (!kind) continue;
      const n = Number(g.n);
      counts.total += n;
      counts[COUNT_KEY[kind]] += n;
    }
    return { counts, warnings: groups.warnings?.(rows) ?? [] };
  } catch (e) {
    throw e instanceof SessionError ? e : sqliteError(e, path);
  } finally {
    db.close();
  }
}
