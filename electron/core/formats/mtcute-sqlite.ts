/**
 * mtcute SQLite storage (spec §5, checked against @mtcute/core storage/sqlite/repository and
 * its services). Tables come from per-repository migrations recorded in mtcute_migrations:
 * auth_keys 1, kv 1, ref_messages 1, peers 2. key_value holds TL-ish blobs: dc_main/dc_media
 * (basic DC option), current_user, updates_pts|qts|date|seq (i32 LE), updates_channel:<bare id>
 * (u32 LE), salts:<dc>. peers keys on marked ids, hash is mtcute's "<low>|<high>" long string
 * ("" for basic chats), `complete` a TL blob we neither parse nor invent (NULL when we write).
 */
import type Database from 'better-sqlite3';
import { ByteReader, ByteWriter } from '../bytes.js';
import { SessionError } from '../errors.js';
import { PRODUCTION_DCS, PRODUCTION_PORT, TEST_DCS, TEST_PORT } from '../model/dc-table.js';
import { markId, unmarkId, type MarkedClass } from '../model/peer-id.js';
import { selfIsBot } from '../model/self-user.js';
import { holds } from './capabilities.js';
import type { Peer, PeerKind, Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import { auditSchema, type ExpectedSchema } from '../sqlite/audit.js';
import { hasColumns } from '../sqlite/open.js';
import { AUTH_KEY_LEN } from './field-checks.js';
import { decodeMtcuteDc, encodeMtcuteDc, mtcuteMediaDc } from './mtcute-string.js';
import { readInt53, writeInt53 } from './tl-bytes.js';
import { markedClassKeys, sampleClass } from './peer-groups.js';
import type { Capabilities, PeerGroups, ReadResult, SqliteFormat, SqliteReadOptions, SqliteSchema } from './types.js';

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

const UPDATE_KEYS = { pts: 'updates_pts', qts: 'updates_qts', date: 'updates_date', seq: 'updates_seq' } as const;
const CHANNEL_PREFIX = 'updates_channel:';
const CURRENT_USER_BOT = 1;

/** mtcute's longToFastString: signed 32-bit low and high words. */
export function longToFast(v: bigint): string {
  const u = BigInt.asUintN(64, v);
  return `${Number(BigInt.asIntN(32, u))}|${Number(BigInt.asIntN(32, u >> 32n))}`;
}

export function longFromFast(text: string): bigint {
  const m = /^(-?\d+)\|(-?\d+)$/.exec(text);
  if (!m) throw new SessionError('malformed', `"${text.slice(0, 40)}" is not an mtcute long string`);
  const lo = BigInt(m[1]!);
  const hi = BigInt(m[2]!);
  if (BigInt.asIntN(32, lo) !== lo || BigInt.asIntN(32, hi) !== hi) {
    throw new SessionError('malformed', `"${text.slice(0, 40)}" has a word outside 32 bits`);
  }
  return BigInt.asIntN(64, (hi << 32n) | BigInt.asUintN(32, lo));
}

function parseCurrentUser(blob: Uint8Array): { id: bigint; isBot: boolean } | undefined {
  if (blob.length === 0) return undefined; // mtcute writes an empty blob for "logged out"
  const r = new ByteReader(blob, 'mtcute current_user');
  const version = r.i32('version', true);
  if (version !== 1) throw new SessionError('unsupported', `mtcute current_user version ${version} is not 1`);
  const flags = r.i32('flags', true);
  return { id: readInt53(r, 'user id'), isBot: (flags & CURRENT_USER_BOT) !== 0 };
}

function int32Blob(blob: Uint8Array, key: string, unsigned: boolean): number {
  if (blob.length !== 4) throw new SessionError('malformed', `mtcute ${key} is ${blob.length} bytes, not 4`);
  const r = new ByteReader(blob, key);
  return unsigned ? r.u32(key, true) : r.i32(key, true);
}

function readMtcute(db: Database.Database, schema: SqliteSchema, opts: SqliteReadOptions = {}): ReadResult {
  const warnings = auditSchema(schema, EXPECTED);
  const inferences: string[] = [];
  const all = <T>(sql: string): T[] => db.prepare(sql).safeIntegers(true).all() as T[];
  const versions = all<{ repo: string; version: bigint }>('SELECT repo, version FROM mtcute_migrations ORDER BY repo');
  const known = new Map<string, number>();
  for (const [repo, v] of MIGRATIONS) known.set(repo, Math.max(known.get(repo) ?? 0, v));
  for (const { repo, version } of versions) {
    const max = known.get(repo);
    if (max === undefined) warnings.push(`mtcute_migrations names an unknown repository "${repo}"`);
    else if (Number(version) > max) warnings.push(`mtcute_migrations: ${repo} is at version ${version}, newer than ${max}`);
  }

  const s = emptySession();
  const kv = new Map(all<{ key: string; value: Buffer }>('SELECT key, value FROM key_value').map((r) => [r.key, new Uint8Array(r.value)]));
  const mainBlob = kv.get('dc_main');
  if (mainBlob) {
    const main = decodeMtcuteDc(mainBlob, 'mtcute dc_main');
    s.homeDc = main.dc.id;
    s.testMode = main.testMode;
    s.dcs.push(main.dc);
    const mediaBlob = kv.get('dc_media');
    if (mediaBlob) s.dcs.push(decodeMtcuteDc(mediaBlob, 'mtcute dc_media').dc);
  } else {
    warnings.push('key_value has no dc_main (mtcute would start from its default DC)');
  }
  for (const [key, value] of kv) {
    if (key === 'dc_main' || key === 'dc_media' || key.startsWith('salts:')) continue;
    if (key === 'current_user') {
      const u = parseCurrentUser(value);
      if (u) s.user = u;
    } else if (key.startsWith(CHANNEL_PREFIX)) {
      const id = key.slice(CHANNEL_PREFIX.length);
      if (!/^[1-9]\d*$/.test(id)) warnings.push(`key_value "${key}" is not a bare channel id (skipped)`);
      else s.updates.channels.set(BigInt(id), int32Blob(value, key, true));
    } else {
      const field = (Object.keys(UPDATE_KEYS) as (keyof typeof UPDATE_KEYS)[]).find((f) => UPDATE_KEYS[f] === key);
      if (field) s.updates[field] = int32Blob(value, key, false);
      else warnings.push(`key_value has an unknown key "${key.slice(0, 64)}"`);
    }
  }

  for (const row of all<{ dc: bigint; key: Buffer }>('SELECT dc, key FROM auth_keys ORDER BY dc')) {
    const id = Number(row.dc);
    if (row.key.length !== AUTH_KEY_LEN) {
      warnings.push(`auth key for DC ${id} is ${row.key.length} bytes, not 256 (skipped)`);
      continue;
    }
    const key = new Uint8Array(row.key);
    const mine = s.dcs.filter((d) => d.id === id);
    for (const d of mine) d.authKey = key;
    if (mine.length > 0) continue;
    // mtcute keeps keys for other DCs without their address; take it from the well-known table.
    const address = (s.testMode ? TEST_DCS : PRODUCTION_DCS)[id];
    if (address === undefined) {
      warnings.push(`auth key for DC ${id} has no known address (skipped)`);
      continue;
    }
    const port = s.testMode ? TEST_PORT : PRODUCTION_PORT;
    s.dcs.push(makeDc({ id, address, port, authKey: key }));
    inferences.push(`DC ${id} address ${address}:${port}: from the well-known DC table (mtcute stores only its key)`);
  }

  let minUsers = 0;
  if (!hasPeerTable(schema)) warnings.push('no peers table with mtcute\'s columns: no peers read');
  // Skipping peers keeps the own user's row (the account's phone and usernames).
  const only = opts.skipPeers ? ` WHERE id = ${s.user?.id ?? 0n}` : '';
  const peerSql = `SELECT id, hash, usernames, updated, phone, ${isMinSql(schema)} FROM peers${only} ORDER BY id`;
  for (const row of hasPeerTable(schema)
    ? all<{ id: bigint; hash: string; usernames: string; updated: bigint; phone: string | null; isMin: bigint }>(peerSql)
    : []) {
    const p = peerFromRow(row, warnings);
    if (!p) continue;
    if (row.isMin !== 0n && p.kind === 'user') minUsers++;
    s.peers.push(p);
  }
  if (minUsers > 0) warnings.push(minUsersWarning(minUsers));
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
const minUsersWarning = (n: number | bigint) => `${n} min user(s) read as plain users (their hashes need message context)`;
const kindOf = (cls: MarkedClass, isMin: boolean): PeerKind => (cls === 'channel' && isMin ? 'min-channel' : cls);

/** Counted by class and isMin; rows the reader skips as malformed (bad usernames or hash) are counted too. */
const peerGroups: PeerGroups = {
  sql: (schema) =>
    hasPeerTable(schema)
      ? `SELECT min(id) AS sample, ${isMinSql(schema)}, count(*) AS n FROM peers WHERE id <> 0 GROUP BY ${markedClassKeys('id')}, 2`
      : undefined,
  kindOf: (g) => kindOf(sampleClass(g), g.isMin !== 0n),
  warnings(groups) {
    const n = groups.filter((g) => g.isMin !== 0n && sampleClass(g) === 'user').reduce((a, g) => a + (g.n as bigint), 0n);
    return n > 0n ? [minUsersWarning(n)] : [];
  },
};

function peerFromRow(
  row: { id: bigint; hash: string; usernames: string; updated: bigint; phone: string | null; isMin: bigint },
  warnings: string[],
): Peer | undefined {
  if (row.id === 0n) {
    warnings.push('peers has a row with id 0 (skipped)');
    return undefined;
  }
  const { id, cls } = unmarkId(row.id);
  let usernames: unknown;
  try {
    usernames = JSON.parse(row.usernames);
  } catch {
    usernames = undefined;
  }
  if (!Array.isArray(usernames) || !usernames.every((u) => typeof u === 'string')) {
    warnings.push(`peer ${row.id}: usernames is not a JSON list of strings (skipped)`);
    return undefined;
  }
  let accessHash = 0n;
  if (cls !== 'chat') {
    try {
      accessHash = longFromFast(row.hash);
    } catch {
      warnings.push(`peer ${row.id}: hash is not an mtcute long string (skipped)`);
      return undefined;
    }
  } else if (row.hash !== '') {
    warnings.push(`peer ${row.id}: a basic chat with a hash`);
  }
  const p: Peer = { id, kind: kindOf(cls, row.isMin !== 0n), accessHash, usernames: usernames as string[] };
  if (row.phone) p.phone = row.phone;
  if (row.updated > 0n) p.seenAt = Number(row.updated / 1000n);
  return p;
}

function int32Bytes(v: number, unsigned: boolean): Uint8Array {
  const w = new ByteWriter();
  return (unsigned ? w.u32(v, true) : w.i32(v, true)).finish();
}

const KIND_CLASS: Partial<Record<PeerKind, PeerKind>> = {
  user: 'user', bot: 'user', chat: 'chat', channel: 'channel', megagroup: 'channel', gigagroup: 'channel', 'min-channel': 'channel',
};

function writeMtcute(db: Database.Database, s: Session): void {
  const isBot = selfIsBot(s);
  if (s.user && isBot === undefined) {
    throw new SessionError('missing-field', 'mtcute stores whether the account is a bot: give --bot or --user');
  }
  const main = homeDcEntry(s);
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
    const testMode = s.testMode ?? false;
    if (main) {
      kv.run('dc_main', encodeMtcuteDc(main, testMode));
      const media = mtcuteMediaDc(s, main);
      if (media) kv.run('dc_media', encodeMtcuteDc(media, testMode));
    }
    if (s.user) {
      const w = new ByteWriter().i32(1, true).i32(isBot ? CURRENT_USER_BOT : 0, true);
      writeInt53(w, s.user.id, 'self user id');
      kv.run('current_user', w.finish());
    }
    const u = s.updates;
    if (u.pts || u.qts || u.date || u.seq) {
      for (const f of ['pts', 'qts', 'date', 'seq'] as const) kv.run(UPDATE_KEYS[f], int32Bytes(u[f], false));
    }
    for (const [id, pts] of u.channels) kv.run(CHANNEL_PREFIX + id.toString(), int32Bytes(pts, true));

    const keys = new Map<number, Uint8Array>();
    for (const d of main ? [main, ...s.dcs] : s.dcs) {
      if (!d.authKey || keys.has(d.id)) continue;
      if (d.authKey.length !== AUTH_KEY_LEN) {
        throw new SessionError('malformed', `DC ${d.id} has an auth key of ${d.authKey.length} bytes, not 256`);
      }
      keys.set(d.id, d.authKey);
    }
    const insKey = db.prepare('insert into auth_keys (dc, key) values (?, ?)');
    for (const [dc, key] of keys) insKey.run(dc, key);

    const insPeer = db.prepare(
      'insert into peers (id, hash, isMin, usernames, updated, phone, complete) values (?, ?, ?, ?, ?, ?, NULL)',
    );
    for (const p of s.peers) {
      const cls = KIND_CLASS[p.kind];
      if (!cls) throw new SessionError('unsupported', `mtcute has no ${p.kind} peers (peer ${p.id})`);
      const hash = cls === 'chat' ? '' : longToFast(p.accessHash);
      const updated = p.seenAt !== undefined ? p.seenAt * 1000 : 0;
      insPeer.run(markId(p.id, cls), hash, p.kind === 'min-channel' ? 1 : 0, JSON.stringify(p.usernames), updated, p.phone ?? null);
    }
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
