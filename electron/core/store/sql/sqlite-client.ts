/** SqlClient over a SQLite file (the alchemy tables in a file): read-only unless asked to write. */
import type Database from 'better-sqlite3';
import { SessionError } from '../../errors.js';
import { openDatabase, openReadOnly, sqliteError } from '../../sqlite/open.js';
import type { SqlClient, SqlParam, SqlRow } from './client.js';

const bind = (params: readonly SqlParam[]) => params.map((p) => (typeof p === 'boolean' ? Number(p) : p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p));

export class SqliteClient implements SqlClient {
  readonly engine = 'sqlite' as const;
  private depth = 0;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    db.function('sd_lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
  }

  lower(expr: string): string {
    return `sd_lower(${expr})`;
  }

  /** SQLite's default BINARY collation compares UTF-8 bytes: code point order already. */
  byCodePoint(expr: string): string {
    return expr;
  }

  static open(path: string, opts: { write?: boolean } = {}): SqliteClient {
    return new SqliteClient(opts.write ? openDatabase(path, { mustExist: true }) : openReadOnly(path), path);
  }

  async query<T = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.guarded(() => {
      const st = this.db.prepare(sql);
      if (!st.reader) {
        st.run(...bind(params));
        return [];
      }
      return st.safeIntegers(true).all(...bind(params)) as T[];
    });
  }

  async int8s(column: string, from: string, params: readonly SqlParam[] = [], order?: string): Promise<BigInt64Array> {
    return this.guarded(() => {
      const st = this.db.prepare(`SELECT ${column} ${from}${order ? ` ORDER BY ${order}` : ''}`).pluck().safeIntegers(true);
      return BigInt64Array.from(st.iterate(...bind(params)) as Iterable<bigint>);
    });
  }

  /** A better-sqlite3 failure as one line with its code (locked, corrupt, …). */
  private guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw e instanceof SessionError ? e : sqliteError(e, this.location);
    }
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    // better-sqlite3's transaction() is synchronous; the store's steps are awaited, so the
    // transaction is spelled out (IMMEDIATE: the write lock is taken before the first read).
    if (this.depth > 0) return fn(this);
    await this.query('BEGIN IMMEDIATE');
    this.depth++;
    try {
      const out = await fn(this);
      await this.query('COMMIT');
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    } finally {
      this.depth--;
    }
  }

  async tables(): Promise<Map<string, string[]>> {
    const names = await this.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`);
    const out = new Map<string, string[]>();
    for (const { name } of names) {
      const cols = await this.query<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [name]);
      out.set(name, cols.map((c) => c.name));
    }
    return out;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
