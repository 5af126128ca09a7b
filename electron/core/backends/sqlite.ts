/**
 * SqliteBackend: ferogram's `sqlite-session` layout on better-sqlite3. Opening applies
 * ferogram's pragmas and schema and migrates older files (that is what ferogram does on open:
 * use this backend for files you own; inspect other people's files through the read-only
 * `ferogram-sqlite` format). A save is one BEGIN IMMEDIATE … COMMIT; granular ops are single
 * statements.
 */
import type Database from 'better-sqlite3';
import { isSessionError } from '../errors.js';
import { openDatabase, sqliteError } from '../sqlite/open.js';
import type { DcEntry, Peer, Session } from '../model/session.js';
import type { UpdateStateChange } from './backend.js';
import { BaseBackend } from './backend.js';
import {
  cachePeerStatement,
  CURRENT_TABLES,
  DELETE_STATEMENTS,
  FEROGRAM_PRAGMAS,
  FEROGRAM_SCHEMA,
  migrationStatements,
  PEER_COLUMNS_SQL,
  readSync,
  runSync,
  saveStatements,
  setHomeDcStatement,
  type Stmt,
  updateDcStatement,
  updateStateStatements,
} from './ferogram-sql.js';

/** Creates the tables and adds what older ferogram releases lacked (idempotent). */
export function ensureFerogramSchema(db: Database.Database): void {
  for (const sql of FEROGRAM_SCHEMA) db.exec(sql);
  const cols = (db.prepare(PEER_COLUMNS_SQL).all() as { name: string }[]).map((c) => c.name);
  for (const sql of migrationStatements(cols)) db.exec(sql);
}

export class SqliteBackend extends BaseBackend {
  readonly name = 'sqlite';
  private readonly db: Database.Database;

  /** `path` may be ':memory:'. */
  constructor(readonly path: string) {
    super();
    this.db = openDatabase(path);
    try {
      for (const p of FEROGRAM_PRAGMAS) this.db.exec(p);
      this.db.transaction(() => ensureFerogramSchema(this.db)).immediate();
    } catch (e) {
      this.db.close();
      throw sqliteError(e, path);
    }
  }

  private run(stmts: Stmt[]): void {
    try {
      this.db.transaction(() => runSync(this.db, stmts)).immediate();
    } catch (e) {
      throw sqliteError(e, this.path);
    }
  }

  async save(session: Session): Promise<void> {
    this.run(saveStatements(session));
  }
  async load(): Promise<Session | undefined> {
    try {
      return readSync(this.db, CURRENT_TABLES);
    } catch (e) {
      if (isSessionError(e)) throw e;
      throw sqliteError(e, this.path);
    }
  }
  async delete(): Promise<void> {
    this.run(DELETE_STATEMENTS);
  }
  override async updateDc(dc: DcEntry): Promise<void> {
    this.run([updateDcStatement(dc)]);
  }
  override async setHomeDc(id: number): Promise<void> {
    this.run([setHomeDcStatement(id)]);
  }
  override async applyUpdateState(change: UpdateStateChange): Promise<void> {
    this.run(updateStateStatements(change));
  }
  override async cachePeer(peer: Peer): Promise<void> {
    this.run([cachePeerStatement(peer)]);
  }

  close(): void {
    this.db.close();
  }
}
