/**
 * SqlClient over PostgreSQL with node-postgres. Read-only unless asked to write: the session
 * runs with default_transaction_read_only, so a listing or an export can never change a row.
 * The password comes from the URL, else PGPASSWORD (node-postgres reads it), else the caller.
 */
import pg from 'pg';
import { SessionError } from '../../errors.js';
import type { SqlClient, SqlParam, SqlRow } from './client.js';

const INT8 = 20;
const CONNECT_TIMEOUT_MS = 5000;

/** `?` placeholders → `$1…`: the stores' SQL never holds a `?` inside a literal. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** A node-postgres failure → one line with a stable code, never the password. */
export function pgError(e: unknown, location: string): SessionError {
  if (e instanceof SessionError) return e;
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ECONNRESET':
      return new SessionError('unreachable', `${location}: the PostgreSQL server does not answer (${err.code})`);
    case '28P01':
    case '28000':
      return new SessionError('bad-password', `${location}: PostgreSQL refused the user name or password`);
    case '3D000':
      return new SessionError('not-found', `${location}: ${msg}`);
    case '25006':
      return new SessionError('usage', `${location}: the store was opened read-only`);
    case '40001':
      return new SessionError('locked', `${location}: another writer changed the store meanwhile; nothing was written, try again`);
  }
  if (/timeout/i.test(msg)) return new SessionError('unreachable', `${location}: the PostgreSQL server does not answer (timed out)`);
  if (/password must be a string|no password/i.test(msg)) {
    return new SessionError('needs-password', `${location}: the server wants a password (put it in the URL, PGPASSWORD, or type it when asked)`);
  }
  return new SessionError('io', `${location}: ${msg.split('\n')[0]}`, { cause: e });
}

const bind = (params: readonly SqlParam[]) => params.map((p) => (typeof p === 'bigint' ? p.toString() : p instanceof Uint8Array ? Buffer.from(p) : p));

class PgQueries {
  constructor(
    protected readonly run: (sql: string, params: unknown[]) => Promise<pg.QueryResult>,
    readonly location: string,
  ) {}

  /** ICU's root collation where the server has it: lower() then folds every letter, whatever the database's locale. */
  protected icu = false;

  lower(expr: string): string {
    return this.icu ? `lower((${expr}) COLLATE "und-x-icu")` : `lower(${expr})`;
  }

  byCodePoint(expr: string): string {
    return `(${expr}) COLLATE "C"`;
  }

  async query<T = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    try {
      return (await this.run(numbered(sql), bind(params))).rows as T[];
    } catch (e) {
      throw pgError(e, this.location);
    }
  }

  async int8s(column: string, from: string, params: readonly SqlParam[] = [], order?: string): Promise<BigInt64Array> {
    // node-postgres builds an object a row: a million ids as rows took 2.3–2.9 s, packed into one
    // bytea (int8send: 8 bytes big-endian an id) they arrive as one value in 1.0 s (bench, 1M).
    const [row] = await this.query<{ ids: Buffer | null }>(`SELECT string_agg(int8send(${column}), ''::bytea${order ? ` ORDER BY ${order}` : ''}) AS ids ${from}`, params);
    const packed = row?.ids;
    const out = new BigInt64Array(packed ? packed.length / 8 : 0);
    if (packed) {
      // Big-endian on the wire; the hosts Electron and Node ship for (x64, arm64) are little-endian.
      const bytes = Buffer.from(out.buffer);
      bytes.set(packed);
      bytes.swap64();
    }
    return out;
  }

  async tables(schema = 'public'): Promise<Map<string, string[]>> {
    const rows = await this.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position`,
      [schema],
    );
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
    return out;
  }
}

export class PgClient extends PgQueries implements SqlClient {
  readonly engine = 'postgresql' as const;

  private constructor(
    private readonly pool: pg.Pool,
    location: string,
  ) {
    super((sql, params) => pool.query(sql, params), location);
  }

  /** Connects (and checks the connection once, so a bad password is one line here, not later). */
  static async open(url: string, location: string, opts: { write?: boolean; password?: string } = {}): Promise<PgClient> {
    // node-postgres lets the connection string's fields win over the config's: a password given
    // apart goes into the URL.
    const withPassword = new URL(url);
    if (opts.password !== undefined && withPassword.password === '') withPassword.password = encodeURIComponent(opts.password);
    const pool = new pg.Pool({
      connectionString: withPassword.href,
      max: 2,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 5000,
      allowExitOnIdle: true,
      application_name: 'Session Deck',
      ...(opts.write ? {} : { options: '-c default_transaction_read_only=on' }),
      types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? BigInt : pg.types.getTypeParser(oid, format as 'text'))) as never },
    });
    // An idle client's error (the server going away) must not crash the process.
    pool.on('error', () => {});
    const client = new PgClient(pool, location);
    try {
      client.icu = (await client.query(`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`)).length > 0;
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
    return client;
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    let conn: pg.PoolClient;
    try {
      conn = await this.pool.connect();
    } catch (e) {
      throw pgError(e, this.location);
    }
    const tx = new PgTransaction(conn, this.location);
    try {
      await tx.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      const out = await fn(tx);
      await tx.query('COMMIT');
      return out;
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

/** The same queries on the one connection of a transaction. */
class PgTransaction extends PgQueries implements SqlClient {
  readonly engine = 'postgresql' as const;
  constructor(conn: pg.PoolClient, location: string) {
    super((sql, params) => conn.query(sql, params), location);
  }
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {}
}
