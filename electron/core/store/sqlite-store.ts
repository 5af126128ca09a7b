/**
 * SqliteStore: many sessions in one SQLite database, one row each (the lossless model JSON),
 * keyed by session id, with the own user id in an indexed column for listForAccount.
 */
import type Database from 'better-sqlite3';
import { isSessionError } from '../errors.js';
import type { Session } from '../model/session.js';
import { sessionFromJson, sessionToJson } from '../model/session-json.js';
import { openDatabase, sqliteError } from '../sqlite/open.js';
import type { SessionStore } from './session-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_sessions_user_id ON sessions (user_id);`;

export class SqliteStore implements SessionStore {
  private readonly db: Database.Database;

  /** `path` may be ':memory:'. */
  constructor(readonly path: string) {
    this.db = openDatabase(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.exec(SCHEMA);
    } catch (e) {
      this.db.close();
      throw sqliteError(e, path);
    }
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw isSessionError(e) ? e : sqliteError(e, this.path);
    }
  }

  async save(id: string, session: Session): Promise<void> {
    this.guard(() =>
      this.db
        .prepare(
          `INSERT INTO sessions (id, user_id, data, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, updated_at = excluded.updated_at`,
        )
        .run(id, session.user?.id ?? null, sessionToJson(session), Date.now()),
    );
  }

  async load(id: string): Promise<Session | undefined> {
    const row = this.guard(() => this.db.prepare(`SELECT data FROM sessions WHERE id = ?`).get(id)) as
      | { data: string }
      | undefined;
    return row && sessionFromJson(row.data);
  }

  async listIds(): Promise<string[]> {
    return this.guard(() => this.db.prepare(`SELECT id FROM sessions ORDER BY id`).pluck().all() as string[]);
  }

  async delete(id: string): Promise<boolean> {
    return this.guard(() => this.db.prepare(`DELETE FROM sessions WHERE id = ?`).run(id).changes > 0);
  }

  async listForAccount(userId: bigint): Promise<string[]> {
    return this.guard(
      () => this.db.prepare(`SELECT id FROM sessions WHERE user_id = ? ORDER BY id`).pluck().all(userId) as string[],
    );
  }

  close(): void {
    this.db.close();
  }
}
