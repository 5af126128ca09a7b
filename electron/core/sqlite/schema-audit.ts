/**
 * What a clean file of a library contains, compared with what a file holds: extra tables,
 * columns, triggers, views and indexes are reported (one line each), because tampered
 * session files are a known sign of a malicious library build.
 */
import type { SqliteSchema } from '../formats/types.js';

/** table name → the columns that library creates (any version it may have written). */
export type ExpectedSchema = Record<string, readonly string[]>;

export function auditSchema(schema: SqliteSchema, expected: ExpectedSchema, library: string): string[] {
  const out: string[] = [];
  for (const [table, cols] of schema.tables) {
    const known = expected[table];
    if (!known) {
      out.push(`unexpected table "${table}": a clean ${library} file has no such table`);
      continue;
    }
    const extra = cols.filter((c) => !known.includes(c));
    if (extra.length > 0) {
      out.push(`unexpected column(s) in ${table}: ${extra.join(', ')}`);
    }
  }
  for (const [type, name] of schema.others) {
    out.push(`unexpected ${type} "${name}": a clean ${library} file has none`);
  }
  return out;
}
