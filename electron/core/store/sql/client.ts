/**
 * The little SQL a store needs, over PostgreSQL (node-postgres) and SQLite (better-sqlite3)
 * alike: queries with `?` placeholders, rows as plain objects, one transaction per change.
 * Integers come back as bigint or number, blobs as Uint8Array, whichever engine.
 */
export type SqlParam = string | number | bigint | Uint8Array | null | boolean;
export type SqlRow = Record<string, unknown>;

export interface SqlClient {
  readonly engine: 'postgresql' | 'sqlite';
  /** Where it is, without a password (for messages and manifests). */
  readonly location: string;
  query<T = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /**
   * One bigint column of `SELECT column from [ORDER BY order]`, packed in an array without a
   * row object each: the pager's views hold a million ids.
   */
  int8s(column: string, from: string, params?: readonly SqlParam[], order?: string): Promise<BigInt64Array>;
  /** Runs `fn` in one transaction (serialisable on PostgreSQL); a throw rolls everything back. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** The tables of a schema (PostgreSQL) or of the file, with their columns. */
  tables(schema?: string): Promise<Map<string, string[]>>;
  /** `expr` lower-cased as JavaScript does (PostgreSQL's lower; SQLite's folds ASCII only, so ours). */
  lower(expr: string): string;
  /** `expr` compared by code point, as JavaScript compares strings, not by the database's locale. */
  byCodePoint(expr: string): string;
  close(): Promise<void>;
}

/** A quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
