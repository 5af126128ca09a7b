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
import { CHANNEL_MARK, markId, unmarkId } from '../model/peer-id.js';
import { holds } from './capabilities.js';
import type { DcEntry, Peer, PeerKind, Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import { hasColumns } from '../sqlite/open.js';
import { auditSchema } from '../sqlite/audit.js';
import type { SqlRow } from '../sqlite/values.js';
import {
  sqlBigInt,
  sqlBigIntOrNull,
  sqlBlobOrNull,
  sqlInt,
  sqlSeconds,
  sqlTextOrNull,
} from '../sqlite/values.js';
import type { Capabilities, PeerTable, ReadResult, SqliteFormat, SqliteReadOptions, SqliteSchema } from './types.js';

export const TELETHON_VERSION = 7;
const AUTH_KEY_LEN = 256;

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
    hasColumns(schema, 'entities', ['id', 'hash', 'username', 'phone', 'name'])
  );
}

const KIND_OF_CLASS: Record<'user' | 'chat' | 'channel', PeerKind> = { user: 'user', chat: 'chat', channel: 'channel' };

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
  const r = all[0];
  if (!r) return;
  const id = sqlInt(r.dc_id ?? null, 'sessions.dc_id');
  if (id < 0) throw new SessionError('malformed', `Telethon session: DC id ${id} is negative`);
  const address = sqlTextOrNull(r.server_address ?? null, 'sessions.server_address');
  const port = r.port === null || r.port === undefined ? null : sqlInt(r.port, 'sessions.port');
  let key = sqlBlobOrNull(r.auth_key ?? null, 'sessions.auth_key') ?? undefined;
  if (key && key.length === 0) key = undefined;
  if (key && key.length !== AUTH_KEY_LEN) {
    warnings.push(`the auth key is ${key.length} bytes, not ${AUTH_KEY_LEN}: read as no key`);
    key = undefined;
  }
  const takeoutId = r.takeout_id === undefined ? null : sqlBigIntOrNull(r.takeout_id, 'sessions.takeout_id');
  if (takeoutId !== null) s.takeoutId = takeoutId;
  s.homeDc = id;
  // A fresh file holds (0, NULL, NULL, X'', NULL): no DC chosen yet, nothing to keep.
  if (address === null && !key) return;
  if (address === null || port === null) {
    warnings.push(`DC ${id} has no ${address === null ? 'server address' : 'port'}`);
  }
  if (port !== null && (port < 1 || port > 65535)) warnings.push(`DC ${id} has port ${port}, outside 1–65535`);
  const dc: DcEntry = makeDc({ id, address: address ?? '', port: port ?? 0 });
  if (key) dc.authKey = key;
  s.dcs = [dc];
}

function readUpdates(db: Database.Database, s: Session, warnings: string[]): void {
  let negative = 0;
  for (const r of rows(db, 'SELECT id, pts, qts, date, seq FROM update_state')) {
    const id = sqlBigInt(r.id ?? null, 'update_state.id');
    const pts = sqlInt(r.pts ?? 0n, 'update_state.pts');
    if (id === 0n) {
      s.updates.pts = pts;
      s.updates.qts = sqlInt(r.qts ?? 0n, 'update_state.qts');
      s.updates.date = sqlSeconds(r.date ?? 0n, 'update_state.date');
      s.updates.seq = sqlInt(r.seq ?? 0n, 'update_state.seq');
    } else if (id < 0n) {
      negative++;
    } else {
      s.updates.channels.set(id, pts);
    }
  }
  if (negative > 0) {
    warnings.push(`${negative} update_state row(s) have a negative id (Telethon keys channels by bare id): skipped`);
  }
}

function phoneText(v: SqlRow[string], what: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return sqlBigInt(v, what).toString();
}

function readEntities(db: Database.Database, s: Session, schema: SqliteSchema, warnings: string[], skipPeers: boolean): void {
  const date = hasColumns(schema, 'entities', ['date']) ? ', date' : '';
  // Skipping peers still reads the own-user row, an index lookup.
  const where = skipPeers ? ' WHERE id = 0' : '';
  const seen = new Set<bigint>();
  const byUsername = new Map<string, number>();
  let duplicates = 0;
  for (const r of rows(db, `SELECT id, hash, username, phone, name${date} FROM entities${where}`)) {
    const marked = sqlBigInt(r.id ?? null, 'entities.id');
    const hash = sqlBigInt(r.hash ?? null, 'entities.hash');
    if (marked === 0n) {
      // Telethon ≥ 1.28 keeps the own user id here (id 0, hash = self id).
      if (hash > 0n) s.user = { id: hash };
      else warnings.push('the own-user row (entities id 0) holds a non-positive user id: skipped');
      continue;
    }
    if (seen.has(marked)) {
      duplicates++;
      continue;
    }
    seen.add(marked);
    const { id, cls } = unmarkId(marked);
    const peer: Peer = { id, kind: KIND_OF_CLASS[cls], accessHash: hash, usernames: [] };
    const username = sqlTextOrNull(r.username ?? null, 'entities.username');
    if (username) {
      peer.usernames = [username];
      byUsername.set(username, (byUsername.get(username) ?? 0) + 1);
    }
    const phone = phoneText(r.phone ?? null, 'entities.phone');
    if (phone !== undefined) peer.phone = phone;
    const name = sqlTextOrNull(r.name ?? null, 'entities.name');
    if (name !== null) peer.name = name;
    if (r.date !== undefined && r.date !== null) peer.seenAt = sqlSeconds(r.date, 'entities.date');
    s.peers.push(peer);
  }
  if (duplicates > 0) warnings.push(`${duplicates} duplicate entity row(s) (same id): kept the first`);
  for (const [name, n] of byUsername) {
    if (n > 1) warnings.push(`username "${name}" is on ${n} entities (Telethon keeps the newest)`);
  }
}

function read(db: Database.Database, schema: SqliteSchema, opts: SqliteReadOptions = {}): ReadResult {
  const version = readVersion(db);
  const warnings = [...auditSchema(schema, { library: 'Telethon', tables: KNOWN_COLUMNS }), ...versionWarnings(schema, version)];
  const s = emptySession();
  readDc(db, s, schema, warnings);
  if (schema.tables.has('update_state')) readUpdates(db, s, warnings);
  readEntities(db, s, schema, warnings, opts.skipPeers ?? false);
  return { format: 'telethon', formatVersion: version, session: s, warnings };
}

function entityRow(p: Peer): [bigint, bigint, string | null, string | null, string | null, number | null] {
  if (p.id <= 0n) throw new SessionError('malformed', `peer id ${p.id} is not a positive bare id`);
  // A marked chat id at or past -10^12 would read back as a channel.
  if (p.kind === 'chat' && p.id >= CHANNEL_MARK) {
    throw new SessionError('malformed', `chat id ${p.id} is too large for a marked id (basic chats stay below 10^12)`);
  }
  return [
    markId(p.id, p.kind),
    p.accessHash,
    p.usernames[0]?.toLowerCase() ?? null,
    p.phone ?? null,
    p.name ?? null,
    p.seenAt ?? null,
  ];
}

function write(db: Database.Database, s: Session): void {
  const dc = homeDcEntry(s);
  if (dc?.authKey && dc.authKey.length !== AUTH_KEY_LEN) {
    throw new SessionError('malformed', `DC ${dc.id} has an auth key of ${dc.authKey.length} bytes, not 256`);
  }
  const seen = new Set<bigint>();
  const entities = s.peers.map((p) => {
    const row = entityRow(p);
    if (seen.has(row[0])) throw new SessionError('malformed', `peer ${p.id} (${p.kind}) appears twice`);
    seen.add(row[0]);
    return row;
  });
  db.transaction(() => {
    for (const def of TELETHON_TABLES) db.exec(`create table ${def}`);
    db.prepare('insert into version values (?)').run(TELETHON_VERSION);
    // Telethon's own fresh row is (0, NULL, NULL, X'', NULL) until a DC is set.
    db.prepare('insert into sessions values (?,?,?,?,?)').run(
      dc ? dc.id : s.homeDc,
      dc ? dc.address : null,
      dc ? dc.port : null,
      dc?.authKey ? Buffer.from(dc.authKey) : Buffer.alloc(0),
      s.takeoutId ?? null,
    );
    const insEntity = db.prepare('insert into entities values (?,?,?,?,?,?)');
    if (s.user) insEntity.run(0n, s.user.id, null, null, null, null);
    for (const row of entities) insEntity.run(...row);
    const u = s.updates;
    const insState = db.prepare('insert into update_state values (?,?,?,?,?)');
    if (u.pts !== 0 || u.qts !== 0 || u.date !== 0 || u.seq !== 0) insState.run(0n, u.pts, u.qts, u.date, u.seq);
    // Telethon writes channel rows as State(pts, 0, <any date>, 0); only pts is ever read back.
    for (const [id, pts] of u.channels) insState.run(id, pts, 0, 0, 0);
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
