/**
 * Hostile edits to a valid SQLite session file: the shapes a tampered or damaged file can take
 * while staying a well-formed database (wrong value types, huge blobs, missing tables,
 * triggers, views where tables were, recursive views, generated columns; very many tables).
 */
import Database from 'better-sqlite3';
import { int, pick, type Rng } from './mutate.js';

export interface HostileLimits {
  /** Size of the "huge" blob written into a cell. */
  hugeBlob: number;
  /** How many extra tables the "many tables" edit creates. */
  manyTables: number;
}

type Edit = (db: Database.Database, rng: Rng, tables: string[], limits: HostileLimits) => void;

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
}

const ODD_VALUES: readonly unknown[] = [
  'not a number',
  '',
  '149.154.167.51:443',
  1.5,
  -1,
  0,
  9_223_372_036_854_775_807n,
  -9_223_372_036_854_775_808n,
  null,
  Buffer.from([1, 2, 3]),
  Buffer.alloc(256, 0xff),
  '[1,2',
  '{"type":"Buffer"}',
];

const EDITS: readonly Edit[] = [
  // a value of the wrong type (or out of range) in a random cell
  (db, rng, tables) => {
    const t = pick(rng, tables);
    const c = pick(rng, columns(db, t));
    db.prepare(`UPDATE ${q(t)} SET ${q(c)} = ?`).run(pick(rng, ODD_VALUES) as never);
  },
  // a huge blob in a random cell
  (db, rng, tables, limits) => {
    const t = pick(rng, tables);
    const c = pick(rng, columns(db, t));
    db.prepare(`UPDATE ${q(t)} SET ${q(c)} = zeroblob(?)`).run(limits.hugeBlob);
  },
  // a missing table
  (db, rng, tables) => {
    db.exec(`DROP TABLE ${q(pick(rng, tables))}`);
  },
  // a table replaced by a view of the same name and columns
  (db, rng, tables) => {
    const t = pick(rng, tables);
    const cols = columns(db, t);
    db.exec(`DROP TABLE ${q(t)}; CREATE VIEW ${q(t)} AS SELECT ${cols.map((c) => `1 AS ${q(c)}`).join(', ')}`);
  },
  // a table replaced by an endless recursive view
  (db, rng, tables) => {
    const t = pick(rng, tables);
    const cols = columns(db, t);
    db.exec(
      `DROP TABLE ${q(t)}; CREATE VIEW ${q(t)} AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) ` +
        `SELECT ${cols.map((c) => `x AS ${q(c)}`).join(', ')} FROM n`,
    );
  },
  // triggers that would write if anything ever modified the file
  (db, rng, tables) => {
    const t = pick(rng, tables);
    db.exec(`CREATE TRIGGER ${q(`evil_${int(rng, 1e9)}`)} AFTER INSERT ON ${q(t)} BEGIN DELETE FROM ${q(t)}; END`);
  },
  // a table grown by a generated column holding a huge value
  (db, rng, tables, limits) => {
    const t = pick(rng, tables);
    db.exec(`ALTER TABLE ${q(t)} ADD COLUMN evil_${int(rng, 1e9)} BLOB GENERATED ALWAYS AS (zeroblob(${limits.hugeBlob})) VIRTUAL`);
  },
  // duplicated rows
  (db, rng, tables) => {
    const t = pick(rng, tables);
    db.exec(`INSERT INTO ${q(t)} SELECT * FROM ${q(t)}`);
  },
  // a different user_version
  (db, rng) => {
    db.pragma(`user_version = ${pick(rng, [0, 1, 7, 10, -1, 2147483647])}`);
  },
];

/** Very many tables (built once per target: it is the slowest edit to make). */
export function addManyTables(path: string, n: number): void {
  const db = new Database(path);
  try {
    db.transaction(() => {
      for (let i = 0; i < n; i++) db.exec(`CREATE TABLE extra_${i} (a INTEGER, b TEXT)`);
    })();
  } finally {
    db.close();
  }
}

/** Applies one to three hostile edits to the database at `path` in place. */
export function applyHostileEdits(path: string, rng: Rng, limits: HostileLimits): void {
  const db = new Database(path);
  try {
    for (let k = 1 + int(rng, 3); k > 0; k--) {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
      if (tables.length === 0) return;
      try {
        pick(rng, EDITS)(db, rng, tables, limits);
      } catch {
        // An edit SQLite itself refuses (a constraint, a type on a primary key) is just skipped.
      }
    }
  } finally {
    db.close();
  }
}
