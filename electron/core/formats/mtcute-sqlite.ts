/**
 * mtcute SQLite storage (spec §5, checked against @mtcute/core storage/sqlite/repository and
 * its services). Tables come from per-repository migrations recorded in mtcute_migrations:
 * auth_keys 1, kv 1, ref_messages 1, peers 2. The rows mean what mtcute-rows.ts says; `complete`
 * is a TL blob we neither parse nor invent (NULL when we write).
 */
import type Database from 'better-sqlite3';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { auditSchema, type ExpectedSchema } from '../sqlite/audit.js';
import { hasColumns, type SqliteSchema } from '../sqlite/open.js';
import { addMtcutePeers, migrationWarnings, minUsersWarning, mtcuteKind, mtcuteRowsOf, sessionFromMtcuteRows, type MtcutePeerRow } from './mtcute-rows.js';
import { markedClassKeys, sampleClass } from './peer-groups.js';
import type { Capabilities, PeerGroups, ReadResult, SqliteFormat, SqliteReadOptions } from './types.js';

/** mtcute's migrations, in its registration order (BaseSqliteStorage constructor). */
const MIGRATIONS: [repo: string, version: number, sql: string][] = [
  ['auth_keys', 1, `create table if not exists auth_keys (dc integer primary key, key blob not null);
create table if not exists temp_auth_keys (dc integer not null, idx integer not null, key blob not null, expires integer not null, primary key (dc, idx));`],
  ['kv', 1, 'create table key_value (key text primary key, value blob not null);'],
  ['ref_messages', 1, `create table if not exists message_refs (peer_id integer not null, chat_id integer not null, msg_id integer not null);
create index if not exists idx_message_refs_peer on message_refs (peer_id);
create index if not exists idx_message_refs on message_refs (chat_id, msg_id);`],
  ['peers', 1, `create table peers (id integer primary key, hash text not null, usernames json not null, updated integer not null, phone text, complete blob);
create index idx_peers_usernames on peers (usernames);
create index idx_peers_phone on peers (phone);`],
  ['peers', 2, 'alter table peers add column isMin integer not null default false;'],
];
const MIGRATIONS_SQL = 'create table if not exists mtcute_migrations (repo text not null primary key, version integer not null);';

const EXPECTED: ExpectedSchema = {
  library: 'mtcute',
  tables: {
    mtcute_migrations: ['repo', 'version'],
    auth_keys: ['dc', 'key'],
    temp_auth_keys: ['dc', 'idx', 'key', 'expires'],
    key_value: ['key', 'value'],
    message_refs: ['peer_id', 'chat_id', 'msg_id'],
    peers: ['id', 'hash', 'usernames', 'updated', 'phone', 'complete', 'isMin'],
  },
  others: ['idx_message_refs_peer', 'idx_message_refs', 'idx_peers_usernames', 'idx_peers_phone'],
};

function readMtcute(db: Database.Database, schema: SqliteSchema, opts: SqliteReadOptions = {}): ReadResult {
  const warnings = auditSchema(schema, EXPECTED);
  const inferences: string[] = [];
  const all = <T>(sql: string): T[] => db.prepare(sql).safeIntegers(true).all() as T[];
  const versions = all<{ repo: string; version: bigint }>('SELECT repo, version FROM mtcute_migrations ORDER BY repo');
  warnings.push(...migrationWarnings('mtcute_migrations', versions, MIGRATIONS));

  const kv = all<{ key: string; value: Buffer }>('SELECT key, value FROM key_value').map((r): [string, Uint8Array] => [r.key, new Uint8Array(r.value)]);
  const authKeys = all<{ dc: bigint; key: Buffer }>('SELECT dc, key FROM auth_keys ORDER BY dc').map((r) => ({ dc: Number(r.dc), key: new Uint8Array(r.key) }));
  const s = sessionFromMtcuteRows(kv, authKeys, warnings, inferences);
  if (!hasPeerTable(schema)) warnings.push('no peers table with mtcute\'s columns: no peers read');
  // Skipping peers keeps the own user's row (the account's phone and usernames).
  const only = opts.skipPeers ? ` WHERE id = ${s.user?.id ?? 0n}` : '';
  const peerSql = `SELECT id, hash, usernames, updated, phone, ${isMinSql(schema)} FROM peers${only} ORDER BY id`;
  addMtcutePeers(s, hasPeerTable(schema) ? all<MtcutePeerRow>(peerSql) : [], warnings);
  return {
    format: 'mtcute',
    formatVersion: versions.map((v) => `${v.repo} ${v.version}`).join(', ') || null,
    session: s,
    warnings,
    inferences,
  };
}

/**
 * Only a real table: `matches` does not require peers, and a view in its place (maybe an
 * endless recursive one in a tampered file) must never be queried.
 */
const hasPeerTable = (schema: SqliteSchema) => hasColumns(schema, 'peers', ['id', 'hash', 'usernames', 'updated', 'phone']);
/** peers before mtcute's migration 2 has no isMin column. */
const isMinSql = (schema: SqliteSchema) => (hasColumns(schema, 'peers', ['isMin']) ? 'isMin' : '0 AS isMin');
/** Counted by class and isMin; rows the reader skips as malformed (bad usernames or hash) are counted too. */
const peerGroups: PeerGroups = {
  sql: (schema) =>
    hasPeerTable(schema)
      ? `SELECT min(id) AS sample, ${isMinSql(schema)}, count(*) AS n FROM peers WHERE id <> 0 GROUP BY ${markedClassKeys('id')}, 2`
      : undefined,
  kindOf: (g) => mtcuteKind(sampleClass(g), g.isMin !== 0n),
  warnings(groups) {
    const n = groups.filter((g) => g.isMin !== 0n && sampleClass(g) === 'user').reduce((a, g) => a + (g.n as bigint), 0n);
    return n > 0n ? [minUsersWarning(n)] : [];
  },
};

function writeMtcute(db: Database.Database, s: Session): void {
  const rows = mtcuteRowsOf(s);
  db.transaction(() => {
    db.exec(MIGRATIONS_SQL);
    const ver = new Map<string, number>();
    for (const [repo, version, sql] of MIGRATIONS) {
      db.exec(sql);
      ver.set(repo, version);
    }
    const insVer = db.prepare('insert or replace into mtcute_migrations (repo, version) values (?, ?)');
    for (const [repo, version] of ver) insVer.run(repo, version);
    const kv = db.prepare('insert into key_value (key, value) values (?, ?)');
    for (const [key, value] of rows.kv) kv.run(key, value);
    const insKey = db.prepare('insert into auth_keys (dc, key) values (?, ?)');
    for (const [dc, key] of rows.authKeys) insKey.run(dc, key);
    const insPeer = db.prepare(
      'insert into peers (id, hash, isMin, usernames, updated, phone, complete) values (?, ?, ?, ?, ?, ?, NULL)',
    );
    for (const p of rows.peers) insPeer.run(p.id, p.hash, p.isMin ? 1 : 0, p.usernames, p.updated, p.phone);
  })();
}

export const mtcuteCapabilities: Capabilities = holds({
  dcs: 'per-id',
  mediaDcs: 'home',
  user: 'id-and-bot',
  testMode: true,
  updates: true,
  channelPts: true,
  peers: true,
  peerKinds: ['user', 'chat', 'channel', 'min-channel'],
  usernames: 'all',
  phone: true,
  seenAt: true,
});

export const mtcuteSqlite: SqliteFormat = {
  id: 'mtcute',
  label: 'mtcute SQLite storage',
  library: 'mtcute (npm @mtcute/node): SqliteStorage',
  medium: 'sqlite',
  capabilities: mtcuteCapabilities,
  matches: (schema) =>
    hasColumns(schema, 'mtcute_migrations', ['repo', 'version']) &&
    hasColumns(schema, 'key_value', ['key', 'value']) &&
    hasColumns(schema, 'auth_keys', ['dc', 'key']),
  read: readMtcute,
  write: writeMtcute,
  peerGroups,
};
