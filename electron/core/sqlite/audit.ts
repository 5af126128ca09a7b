/**
 * What a clean file of a library does not contain: tables, columns, triggers, views and
 * indexes it never creates. Extra triggers or tables in a session file are a known sign of a
 * tampered build (spec §9), so each one becomes a warning line (names only, never values).
 */
import type { SqliteSchema } from './open.js';

export interface ExpectedSchema {
  library: string;
  /** table → the columns the library creates (any version). */
  tables: Readonly<Record<string, readonly string[]>>;
  /** Names of the indexes/triggers/views the library creates itself. */
  others?: readonly string[];
}

export function auditSchema(schema: SqliteSchema, expected: ExpectedSchema): string[] {
  const out: string[] = [];
  for (const [table, cols] of schema.tables) {
    const known = expected.tables[table];
    if (!known) {
      out.push(`unexpected table "${table}" (${expected.library} does not create it)`);
      continue;
    }
    const extra = cols.filter((c) => !known.includes(c));
    if (extra.length > 0) out.push(`unexpected column(s) in ${table}: ${extra.join(', ')}`);
  }
  for (const [type, name] of schema.others) {
    if (!expected.others?.includes(name)) out.push(`unexpected ${type} "${name}" (${expected.library} does not create it)`);
  }
  return out;
}

/** One warning per id seen more than once (tables without a primary key can hold duplicates). */
export function duplicateWarnings(ids: Iterable<bigint>, what: string): string[] {
  const seen = new Set<bigint>();
  const dups = new Set<bigint>();
  for (const id of ids) (seen.has(id) ? dups : seen).add(id);
  return [...dups].map((id) => `${what} ${id} appears more than once`);
}
