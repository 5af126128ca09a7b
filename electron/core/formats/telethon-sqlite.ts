/**
 * Telethon 1.x SQLite session (spec §2.1): reads schema versions 1–7 (WITHOUT ROWID files of
 * early 2018, files without takeout_id / update_state / entities.date), writes version 7 with
 * Telethon's own CREATE TABLE text. Columns are always addressed by name, never by position.
 *
 * Checked against Telethon 1.25 itself (test/interop), where it differs from a plain reading:
 * - Python writes `datetime.timestamp()` floats into `update_state.date`; INTEGER affinity
 *   stores whole values as INTEGER, fractional ones stay REAL. We read whole seconds.
 * - The own-user row (id 0, hash = own id) goes through process_entities, so it also gets a
 *   `date`; we write it with NULL there, which Telethon reads the same.
 * - Telethon cannot upgrade a version 1 file (its 1→2 step falls through to dropping a
 *   sent_files table v1 never had); we read version 1 anyway.
 */
import type Database from 'better-sqlite3';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { emptySession } from '../model/session.js';
import { hasColumns, type SqliteSchema } from '../sqlite/open.js';
import { auditSchema } from '../sqlite/audit.js';
import type { SqlRow } from '../sqlite/values.js';
import { sqlInt } from '../sqlite/values.js';
import { KIND_OF_CLASS, readTelethonDc, readTelethonEntities, readTelethonUpdates, telethonRowsOf } from './telethon-rows.js';
import type { Capabilities, PeerTable, ReadResult, SqliteFormat, SqliteReadOptions } from './types.js';

export const TELETHON_VERSION = 7;

/**
 * Telethon's table definitions, byte for byte as sessions/sqlite.py passes them to
 * `'create table {}'.format(...)`, so a file we write has the same sqlite_master text.
 */
const TELETHON_TABLES: readonly string[] = [
  'version (version integer primary key)',
  `sessions (
                    dc_id integer primary key,
                    server_address text,
                    port integer,
                    auth_key blob,
                    takeout_id integer
                )`,
  `entities (
                    id integer primary key,
                    hash integer not null,
                    username text,
                    phone integer,
                    name text,
                    date integer
                )`,
  `sent_files (
                    md5_digest blob,
                    file_size integer,
                    type integer,
                    id integer,
                    hash integer,
                    primary key(md5_digest, file_size, type)
                )`,
  `update_state (
                    id integer primary key,
                    pts integer,
                    qts integer,
                    date integer,
                    seq integer
                )`,
];

/** Every column any version 1–7 file may have (migrations only ever added columns). */
const KNOWN_COLUMNS = {
  version: ['version'],
  sessions: ['dc_id', 'server_address', 'port', 'auth_key', 'takeout_id'],
  entities: ['id', 'hash', 'username', 'phone', 'name', 'date'],
  sent_files: ['md5_digest', 'file_size', 'type', 'id', 'hash'],
  update_state: ['id', 'pts', 'qts', 'date', 'seq'],
} as const;

export const telethonCapabilities: Capabilities = holds({
  keylessDcs: true,
  user: 'id',
  takeoutId: true,
  updates: true,
  channelPts: true,
  peers: true,
  // Telethon cannot tell a bot from a user, nor a megagroup from a broadcast channel.
  peerKinds: ['user', 'chat', 'channel'],
  usernames: 'first',
  phone: true,
  name: true,
  seenAt: true,
});

function matches(schema: SqliteSchema): boolean {
  return (
    hasColumns(schema, 'version', ['version']) &&
    hasColumns(schema, 'sessions', ['dc_id', 'server_address', 'port', 'auth_key']) &&
    hasColumns(schema, 'entities', ['id', 'hash', 'username', 'phone', 'name']) &&
    // The same tables keyed by session_id hold many sessions: telethon-session-sqlalchemy's store.
    !hasColumns(schema, 'sessions', ['session_id'])
  );
}

function rows(db: Database.Database, sql: string): SqlRow[] {
  return db.prepare(sql).safeIntegers(true).all() as SqlRow[];
}

function readVersion(db: Database.Database): number {
  const all = rows(db, 'SELECT version FROM version');
  const first = all[0];
  if (!first) throw new SessionError('malformed', 'Telethon session: the version table is empty');
  const v = sqlInt(first.version ?? null, 'version.version');
  if (v < 1 || v > TELETHON_VERSION) {
    throw new SessionError('unsupported', `Telethon session schema version ${v} is not 1–${TELETHON_VERSION}`);
  }
  return v;
}

/** Columns a file of this version must have; a mismatch is odd but readable by name. */
function versionWarnings(schema: SqliteSchema, v: number): string[] {
  const out: string[] = [];
  const note = (present: boolean, since: number, what: string) => {
    if (present !== v >= since) {
      out.push(`schema says version ${v} but ${what} is ${present ? 'present' : 'missing'} (added in version ${since})`);
    }
  };
  note(schema.tables.has('update_state'), 4, 'table update_state');
  note(hasColumns(schema, 'sessions', ['takeout_id']), 5, 'column sessions.takeout_id');
  note(hasColumns(schema, 'entities', ['date']), 7, 'column entities.date');
  return out;
}

function readDc(db: Database.Database, s: Session, schema: SqliteSchema, warnings: string[]): void {
  const takeout = hasColumns(schema, 'sessions', ['takeout_id']) ? ', takeout_id' : '';
  const all = rows(db, `SELECT dc_id, server_address, port, auth_key${takeout} FROM sessions`);
  if (all.length > 1) warnings.push(`the sessions table has ${all.length} rows; Telethon uses only the first`);
  if (all[0]) readTelethonDc(all[0], s, warnings);
}

function readEntities(db: Database.Database, s: Session, schema: SqliteSchema, warnings: string[], skipPeers: boolean): void {
  const date = hasColumns(schema, 'entities', ['date']) ? ', date' : '';
  // Skipping peers still reads the own-user row, an index lookup.
  const where = skipPeers ? ' WHERE id = 0' : '';
  readTelethonEntities(rows(db, `SELECT id, hash, username, phone, name${date} FROM entities${where}`), s, warnings);
}

function read(db: Database.Database, schema: SqliteSchema, opts: SqliteReadOptions = {}): ReadResult {
  const version = readVersion(db);
  const warnings = [...auditSchema(schema, { library: 'Telethon', tables: KNOWN_COLUMNS }), ...versionWarnings(schema, version)];
  const s = emptySession();
  readDc(db, s, schema, warnings);
  if (schema.tables.has('update_state')) readTelethonUpdates(rows(db, 'SELECT id, pts, qts, date, seq FROM update_state'), s, warnings);
  readEntities(db, s, schema, warnings, opts.skipPeers ?? false);
  return { format: 'telethon', formatVersion: version, session: s, warnings };
}

function write(db: Database.Database, s: Session): void {
  const out = telethonRowsOf(s);
  db.transaction(() => {
    for (const def of TELETHON_TABLES) db.exec(`create table ${def}`);
    db.prepare('insert into version values (?)').run(TELETHON_VERSION);
    const { dc } = out;
    db.prepare('insert into sessions values (?,?,?,?,?)').run(dc.dcId, dc.address, dc.port, Buffer.from(dc.authKey), dc.takeoutId);
    const insEntity = db.prepare('insert into entities values (?,?,?,?,?,?)');
    for (const row of out.entities) insEntity.run(...row);
    const insState = db.prepare('insert into update_state values (?,?,?,?,?)');
    for (const row of out.states) insState.run(...row);
  })();
}

/** Entities keyed by marked id (the rowid); id 0 is the own-user row, not a peer. */
const peerTable: PeerTable = {
  table: 'entities',
  id: 'id',
  hash: 'hash',
  username: 'username',
  phone: 'phone',
  name: 'name',
  kinds: KIND_OF_CLASS,
};

export const telethonSqlite: SqliteFormat = {
  id: 'telethon',
  label: 'Telethon SQLite session',
  library: 'Telethon 1.x (Python): SQLiteSession',
  medium: 'sqlite',
  capabilities: telethonCapabilities,
  matches,
  read,
  write,
  peerTable,
};
