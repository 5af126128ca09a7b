/**
 * ferogram's SQL layout (spec §1.4) for the `ferogram-sqlite` file format: the DDL, the
 * statements of a full save as plain {sql, args} values, and the row ↔ model mapping. Rows are
 * read with 64-bit integers as bigint (safeIntegers).
 */
import type Database from 'better-sqlite3';
import { SessionError } from '../errors.js';
import { dcFlagsOf, dcFromFerogram, ferogramPeerFields, peerKindFromFerogram } from './ferogram-binary.js';
import { formatHostPort } from '../model/address.js';
import type { DcEntry, Peer, PeerKind, Session } from '../model/session.js';
import { emptySession } from '../model/session.js';

export type SqlValue = null | number | bigint | string | Uint8Array;
export interface Stmt {
  sql: string;
  args: SqlValue[];
}
export type Row = Record<string, unknown>;

export const FEROGRAM_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS dcs (dc_id INTEGER NOT NULL, flags INTEGER NOT NULL DEFAULT 0,
  addr TEXT NOT NULL, auth_key BLOB, first_salt INTEGER NOT NULL DEFAULT 0,
  time_offset INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (dc_id, flags))`,
  `CREATE TABLE IF NOT EXISTS update_state (id INTEGER PRIMARY KEY CHECK (id = 1),
  pts INTEGER NOT NULL DEFAULT 0, qts INTEGER NOT NULL DEFAULT 0,
  date INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS channel_pts (channel_id INTEGER PRIMARY KEY, pts INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS peers (id INTEGER PRIMARY KEY, access_hash INTEGER NOT NULL,
  is_channel INTEGER NOT NULL DEFAULT 0, is_chat INTEGER NOT NULL DEFAULT 0,
  channel_kind INTEGER, is_community INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS min_peers (user_id INTEGER PRIMARY KEY, peer_id INTEGER NOT NULL,
  msg_id INTEGER NOT NULL)`,
];

/** The columns every ferogram file has had since the first SQLite release. */
export const FEROGRAM_BASE_TABLES: Record<string, string[]> = {
  meta: ['key', 'value'],
  dcs: ['dc_id', 'flags', 'addr', 'auth_key', 'first_salt', 'time_offset'],
  update_state: ['id', 'pts', 'qts', 'date', 'seq'],
  channel_pts: ['channel_id', 'pts'],
  peers: ['id', 'access_hash', 'is_channel'],
};

/** Peer columns added by later releases, with the DDL that adds them and the value they imply. */
const ADDED_PEER_COLUMNS: [column: string, ddl: string, absent: string][] = [
  ['is_chat', 'INTEGER NOT NULL DEFAULT 0', '0'],
  ['channel_kind', 'INTEGER', 'NULL'],
  ['is_community', 'INTEGER NOT NULL DEFAULT 0', '0'],
];

/** The tables as they are after FEROGRAM_SCHEMA + migrations (what readQueries needs to know). */
export const CURRENT_TABLES: ReadonlyMap<string, readonly string[]> = new Map([
  ...Object.entries(FEROGRAM_BASE_TABLES),
  ['peers', [...(FEROGRAM_BASE_TABLES.peers ?? []), ...ADDED_PEER_COLUMNS.map(([c]) => c)]],
  ['min_peers', ['user_id', 'peer_id', 'msg_id']],
]);

/** The SELECTs for a full read; an old file without the newer columns/tables reads with defaults. */
export function readQueries(tables: ReadonlyMap<string, readonly string[]>): Record<keyof FerogramRows, string | null> {
  const peerCols = tables.get('peers') ?? [];
  const extra = ADDED_PEER_COLUMNS.map(([c, , absent]) => (peerCols.includes(c) ? c : `${absent} AS ${c}`));
  return {
    meta: `SELECT key, value FROM meta`,
    dcs: `SELECT dc_id, flags, addr, auth_key, first_salt, time_offset FROM dcs`,
    state: `SELECT pts, qts, date, seq FROM update_state WHERE id = 1`,
    channels: `SELECT channel_id, pts FROM channel_pts`,
    peers: `SELECT id, access_hash, is_channel, ${extra.join(', ')} FROM peers`,
    minPeers: tables.has('min_peers') ? `SELECT user_id, peer_id, msg_id FROM min_peers` : null,
  };
}

export interface FerogramRows {
  meta: Row[];
  dcs: Row[];
  state: Row[];
  channels: Row[];
  peers: Row[];
  minPeers: Row[];
}

function int(v: unknown, what: string): number {
  if (typeof v === 'bigint' && v >= -(2n ** 31n) && v < 2n ** 31n) return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31) return v;
  throw new SessionError('malformed', `ferogram SQLite: ${what} is not a 32-bit integer`);
}

function big(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new SessionError('malformed', `ferogram SQLite: ${what} is not an integer`);
}

/** A BLOB as better-sqlite3 (Buffer) or libSQL (ArrayBuffer) returns it. */
function blob(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
  return undefined;
}

/** A peers row's kind (its flag columns; an unknown channel_kind reads as a plain channel). */
function peerKindOfRow(r: Row, accessHash: bigint): PeerKind {
  const ck = r.channel_kind === null ? null : int(r.channel_kind, 'peers.channel_kind');
  return peerKindFromFerogram(
    big(r.is_channel, 'peers.is_channel') !== 0n,
    big(r.is_chat, 'peers.is_chat') !== 0n,
    ck !== null && ck >= 0 && ck <= 2 ? ck : null,
    big(r.is_community, 'peers.is_community') !== 0n,
    accessHash,
  );
}

/** The peers counted by their kind columns (a zero hash is a min channel), for PeerGroups. */
export function peerGroupsSql(tables: ReadonlyMap<string, readonly string[]>): string {
  const kindColumns = 'is_channel, is_chat, channel_kind, is_community';
  return `SELECT ${kindColumns}, access_hash = 0 AS nohash, count(*) AS n FROM (${readQueries(tables).peers}) GROUP BY ${kindColumns}, nohash`;
}

export const peerKindOfGroup = (g: Row): PeerKind => peerKindOfRow(g, g.nohash === 0n ? 1n : 0n);

/** Rows → session; undefined when `meta` is empty (ferogram's "no session"). */
export function sessionFromRows(rows: FerogramRows): Session | undefined {
  if (rows.meta.length === 0) return undefined;
  const s = emptySession();
  for (const m of rows.meta) {
    if (m.key === 'home_dc_id') s.homeDc = int(m.value, 'meta home_dc_id');
    if (m.key === 'future_auth_token') s.futureAuthToken = blob(m.value);
  }
  s.dcs = rows.dcs.map((r) => {
    const key = blob(r.auth_key);
    return dcFromFerogram(
      int(r.dc_id, 'dcs.dc_id'),
      String(r.addr),
      int(r.flags, 'dcs.flags'),
      key?.length === 256 ? key : undefined,
      big(r.first_salt, 'dcs.first_salt'),
      int(r.time_offset, 'dcs.time_offset'),
    );
  });
  const st = rows.state[0];
  if (st) {
    s.updates.pts = int(st.pts, 'update_state.pts');
    s.updates.qts = int(st.qts, 'update_state.qts');
    s.updates.date = int(st.date, 'update_state.date');
    s.updates.seq = int(st.seq, 'update_state.seq');
  }
  for (const r of rows.channels) s.updates.channels.set(big(r.channel_id, 'channel_pts.channel_id'), int(r.pts, 'channel_pts.pts'));
  s.peers = rows.peers.map((r): Peer => {
    const accessHash = big(r.access_hash, 'peers.access_hash');
    return { id: big(r.id, 'peers.id'), kind: peerKindOfRow(r, accessHash), accessHash, usernames: [] };
  });
  s.minPeers = rows.minPeers.map((r) => ({
    userId: big(r.user_id, 'min_peers.user_id'),
    peerId: big(r.peer_id, 'min_peers.peer_id'),
    msgId: int(r.msg_id, 'min_peers.msg_id'),
  }));
  return s;
}

const UPSERT_META = `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`;

function dcArgs(d: DcEntry): SqlValue[] {
  if (d.authKey && d.authKey.length !== 256) {
    throw new SessionError('malformed', `DC ${d.id} has an auth key of ${d.authKey.length} bytes, not 256`);
  }
  return [d.id, dcFlagsOf(d), formatHostPort(d.address, d.port), d.authKey ?? null, d.salt, d.timeOffset];
}

const INSERT_DC = `INSERT INTO dcs (dc_id, flags, addr, auth_key, first_salt, time_offset) VALUES (?, ?, ?, ?, ?, ?)`;
const INSERT_CHANNEL = `INSERT INTO channel_pts (channel_id, pts) VALUES (?, ?)`;
const INSERT_PEER = `INSERT INTO peers (id, access_hash, is_channel, is_chat, channel_kind, is_community) VALUES (?, ?, ?, ?, ?, ?)`;

function peerArgs(p: Peer): SqlValue[] {
  const f = ferogramPeerFields(p);
  return [p.id, p.accessHash, f.isChannel ? 1 : 0, f.isChat ? 1 : 0, f.channelKind, f.isCommunity ? 1 : 0];
}

function replaceChannels(channels: Map<bigint, number>): Stmt[] {
  return [
    { sql: `DELETE FROM channel_pts`, args: [] },
    ...[...channels].map(([id, pts]): Stmt => ({ sql: INSERT_CHANNEL, args: [id, pts] })),
  ];
}

/** A full save (run inside one BEGIN IMMEDIATE … COMMIT): replace everything, pts/qts never go back. */
export function saveStatements(s: Session): Stmt[] {
  const u = s.updates;
  return [
    { sql: UPSERT_META, args: ['home_dc_id', s.homeDc] },
    s.futureAuthToken
      ? { sql: UPSERT_META, args: ['future_auth_token', s.futureAuthToken] }
      : { sql: `DELETE FROM meta WHERE key = 'future_auth_token'`, args: [] },
    { sql: `DELETE FROM dcs`, args: [] },
    ...s.dcs.map((d): Stmt => ({ sql: INSERT_DC, args: dcArgs(d) })),
    {
      sql: `INSERT INTO update_state (id, pts, qts, date, seq) VALUES (1, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET pts = MAX(excluded.pts, update_state.pts),
  qts = MAX(excluded.qts, update_state.qts), date = excluded.date, seq = excluded.seq`,
      args: [u.pts, u.qts, u.date, u.seq],
    },
    ...replaceChannels(u.channels),
    { sql: `DELETE FROM peers`, args: [] },
    ...s.peers.map((p): Stmt => ({ sql: INSERT_PEER, args: peerArgs(p) })),
    { sql: `DELETE FROM min_peers`, args: [] },
    ...s.minPeers.map(
      (m): Stmt => ({ sql: `INSERT INTO min_peers (user_id, peer_id, msg_id) VALUES (?, ?, ?)`, args: [m.userId, m.peerId, m.msgId] }),
    ),
  ];
}

// ---- better-sqlite3 driver glue ----

/** better-sqlite3 binds Buffers, not bare Uint8Arrays. */
function bindable(args: SqlValue[]): unknown[] {
  return args.map((a) => (a instanceof Uint8Array && !Buffer.isBuffer(a) ? Buffer.from(a) : a));
}

export function runSync(db: Database.Database, stmts: Stmt[]): void {
  const cache = new Map<string, Database.Statement>();
  for (const st of stmts) {
    let prepared = cache.get(st.sql);
    if (!prepared) {
      prepared = db.prepare(st.sql);
      cache.set(st.sql, prepared);
    }
    prepared.run(...bindable(st.args));
  }
}

/** A synchronous full read (`skipPeers`: no peer rows; ferogram stores no own user id to keep). */
export function readSync(db: Database.Database, tables: ReadonlyMap<string, readonly string[]>, skipPeers = false): Session | undefined {
  const q = readQueries(tables);
  const all = (sql: string | null): Row[] => (sql ? (db.prepare(sql).safeIntegers(true).all() as Row[]) : []);
  return sessionFromRows({
    meta: all(q.meta),
    dcs: all(q.dcs),
    state: all(q.state),
    channels: all(q.channels),
    peers: skipPeers ? [] : all(q.peers),
    minPeers: all(q.minPeers),
  });
}
