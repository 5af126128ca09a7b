/**
 * LibSqlBackend: ferogram's `libsql-session` layout on @libsql/client: the same tables and SQL
 * as SqliteBackend (shared in ferogram-sql.ts) without the pragmas. Targets: a local file,
 * ':memory:', or a remote libsql:// / http(s):// URL with an auth token. Full saves and the
 * `all` state change run as one write batch (a transaction).
 */
import { createClient, type Client, type InStatement } from '@libsql/client';
import { SessionError, isSessionError } from '../errors.js';
import type { DcEntry, Peer, Session } from '../model/session.js';
import type { UpdateStateChange } from './backend.js';
import { BaseBackend } from './backend.js';
import {
  cachePeerStatement,
  CURRENT_TABLES,
  DELETE_STATEMENTS,
  FEROGRAM_SCHEMA,
  type FerogramRows,
  migrationStatements,
  PEER_COLUMNS_SQL,
  readQueries,
  type Row,
  saveStatements,
  sessionFromRows,
  setHomeDcStatement,
  type Stmt,
  updateDcStatement,
  updateStateStatements,
} from './ferogram-sql.js';

export interface LibSqlTarget {
  /** A local path, ':memory:', or a libsql:// / http(s):// / file: URL. */
  url: string;
  authToken?: string;
}

function clientUrl(url: string): string {
  if (url === ':memory:' || /^(libsql|https?|wss?|file):/i.test(url)) return url;
  return `file:${url}`;
}

export class LibSqlBackend extends BaseBackend {
  readonly name = 'libsql';
  private readonly client: Client;
  private ready: Promise<void> | undefined;

  constructor(private readonly target: LibSqlTarget) {
    super();
    this.client = createClient({
      url: clientUrl(target.url),
      ...(target.authToken ? { authToken: target.authToken } : {}),
      intMode: 'bigint',
    });
  }

  /** Where it points, without the token (safe to show). */
  get label(): string {
    return this.target.url;
  }

  private fail(e: unknown): SessionError {
    if (isSessionError(e)) return e;
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return new SessionError('io', `${this.label}: ${msg}`, { cause: e });
  }

  /** Schema + migration once, on first use (constructors cannot await). */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      await this.client.batch(FEROGRAM_SCHEMA, 'write');
      const cols = (await this.client.execute(PEER_COLUMNS_SQL)).rows.map((r) => String(r.name));
      const alters = migrationStatements(cols);
      if (alters.length > 0) await this.client.batch(alters, 'write');
    })();
    return this.ready;
  }

  private async write(stmts: Stmt[]): Promise<void> {
    try {
      await this.init();
      const batch: InStatement[] = stmts.map((s) => ({ sql: s.sql, args: s.args }));
      await this.client.batch(batch, 'write');
    } catch (e) {
      throw this.fail(e);
    }
  }

  async save(session: Session): Promise<void> {
    await this.write(saveStatements(session));
  }

  async load(): Promise<Session | undefined> {
    try {
      await this.init();
      const q = readQueries(CURRENT_TABLES);
      const keys = Object.keys(q) as (keyof FerogramRows)[];
      const results = await this.client.batch(
        keys.map((k) => q[k] ?? 'SELECT 1 WHERE 0'),
        'read',
      );
      const rows = Object.fromEntries(keys.map((k, i) => [k, (results[i]?.rows ?? []) as unknown as Row[]]));
      return sessionFromRows(rows as unknown as FerogramRows);
    } catch (e) {
      throw this.fail(e);
    }
  }

  async delete(): Promise<void> {
    await this.write(DELETE_STATEMENTS);
  }
  override async updateDc(dc: DcEntry): Promise<void> {
    await this.write([updateDcStatement(dc)]);
  }
  override async setHomeDc(id: number): Promise<void> {
    await this.write([setHomeDcStatement(id)]);
  }
  override async applyUpdateState(change: UpdateStateChange): Promise<void> {
    await this.write(updateStateStatements(change));
  }
  override async cachePeer(peer: Peer): Promise<void> {
    await this.write([cachePeerStatement(peer)]);
  }

  close(): void {
    this.client.close();
  }
}
