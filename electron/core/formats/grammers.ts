/**
 * grammers (Rust) SQLite sessions, `PRAGMA user_version = 1` (spec §6; grammers-session
 * src/storages/sqlite.rs). One dc_option row per DC id holds an IPv4 and an IPv6 socket
 * address and one auth key; peer_info keys on marked ids with subtype bits (self 1, bot 2,
 * megagroup 4, broadcast 8, gigagroup 12) and a NULL hash for peers without auth;
 * channel_state keys on bare channel ids.
 */
import type Database from 'better-sqlite3';
import { isIPv4, isIPv6 } from 'node:net';
import { SessionError } from '../errors.js';
import { formatHostPort, parseHostPort } from '../model/address.js';
import { ipBytesToText, ipTextToBytes } from '../model/ip.js';
import { markId, unmarkId } from '../model/peer-id.js';
import { selfIsBot } from '../model/self-user.js';
import { holds } from './capabilities.js';
import type { DcEntry, Peer, PeerKind, Session } from '../model/session.js';
import { emptySession, makeDc } from '../model/session.js';
import { auditSchema, type ExpectedSchema } from '../sqlite/audit.js';
import { hasColumns, type SqliteSchema } from '../sqlite/open.js';
import { AUTH_KEY_LEN } from './field-checks.js';
import { markedClassKeys, sampleClass } from './peer-groups.js';
import type { Capabilities, PeerGroups, ReadResult, SqliteFormat, SqliteReadOptions } from './types.js';

const USER_VERSION = 1;
const SELF = 1;
const BOT = 2;
const MEGAGROUP = 4;
const BROADCAST = 8;
const GIGAGROUP = 12;
const KNOWN_BITS = SELF | BOT | MEGAGROUP | BROADCAST;

const SCHEMA_SQL = `
CREATE TABLE dc_home (dc_id INTEGER NOT NULL, PRIMARY KEY(dc_id));
CREATE TABLE dc_option (dc_id INTEGER NOT NULL, ipv4 TEXT NOT NULL, ipv6 TEXT NOT NULL, auth_key BLOB, PRIMARY KEY (dc_id));
CREATE TABLE peer_info (peer_id INTEGER NOT NULL, hash INTEGER, subtype INTEGER, PRIMARY KEY (peer_id));
CREATE TABLE update_state (pts INTEGER NOT NULL, qts INTEGER NOT NULL, date INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE channel_state (peer_id INTEGER NOT NULL, pts INTEGER NOT NULL, PRIMARY KEY (peer_id));
`;

const EXPECTED: ExpectedSchema = {
  library: 'grammers',
  tables: {
    dc_home: ['dc_id'],
    dc_option: ['dc_id', 'ipv4', 'ipv6', 'auth_key'],
    peer_info: ['peer_id', 'hash', 'subtype'],
    update_state: ['pts', 'qts', 'date', 'seq'],
    channel_state: ['peer_id', 'pts'],
  },
};

/**
 * grammers fills the IPv6 column it has no address for with the IPv4-compatible `::a.b.c.d`
 * (its KNOWN_DC_OPTIONS), and we fill a missing IPv4 with 0.0.0.0: neither is a real entry.
 */
function ipv4CompatText(v4: string): string | undefined {
  const b = ipTextToBytes(v4);
  if (b?.length !== 4) return undefined;
  const v6 = new Uint8Array(16);
  v6.set(b, 12);
  return ipBytesToText(v6);
}

/** Canonical text of an IPv6 literal, also for Rust's `::a.b.c.d` form. */
function canonicalV6(host: string): string | undefined {
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (dotted && isIPv4(dotted[2]!)) {
    const v4 = ipTextToBytes(dotted[2]!)!;
    const hex = `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
    return canonicalV6(dotted[1]! + hex);
  }
  const b = isIPv6(host) ? ipTextToBytes(host) : undefined;
  return b ? ipBytesToText(b) : undefined;
}

function readDcRow(row: { dc_id: bigint; ipv4: string; ipv6: string; auth_key: Buffer | null }, warnings: string[]): DcEntry[] {
  const id = Number(row.dc_id);
  let key: Uint8Array | undefined;
  if (row.auth_key !== null) {
    if (row.auth_key.length === AUTH_KEY_LEN) key = new Uint8Array(row.auth_key);
    else warnings.push(`DC ${id} has an auth key of ${row.auth_key.length} bytes, not 256 (read as no key)`);
  }
  const out: DcEntry[] = [];
  const v4 = parseHostPort(row.ipv4);
  if (!isIPv4(v4.host)) throw new SessionError('malformed', `grammers DC ${id}: ipv4 "${row.ipv4.slice(0, 64)}" is not an IPv4 socket address`);
  if (v4.host !== '0.0.0.0') out.push(makeDc({ id, address: v4.host, port: v4.port, ipv6: false, authKey: key }));
  const v6 = parseHostPort(row.ipv6);
  const v6Text = canonicalV6(v6.host);
  if (!v6Text) throw new SessionError('malformed', `grammers DC ${id}: ipv6 "${row.ipv6.slice(0, 64)}" is not an IPv6 socket address`);
  if (v6Text !== '::' && v6Text !== ipv4CompatText(v4.host)) {
    out.push(makeDc({ id, address: v6Text, port: v6.port, ipv6: true, authKey: key }));
  }
  return out;
}

function kindOf(cls: 'user' | 'chat' | 'channel', hash: bigint | null, subtype: number): PeerKind {
  if (cls === 'user') return subtype & BOT ? 'bot' : 'user';
  if (cls === 'chat') return 'chat';
  if (hash === null) return 'min-channel';
  if ((subtype & GIGAGROUP) === GIGAGROUP) return 'gigagroup';
  if (subtype & MEGAGROUP) return 'megagroup';
  return 'channel';
}

/** A row marking the own user; one without a hash only names it and is no peer. */
const SELF_ROW = `peer_id > 0 AND coalesce(subtype, 0) & ${SELF} <> 0`;

/** Counted by class, hash presence and subtype, the reader's rule deciding each group's kind. */
const peerGroups: PeerGroups = {
  sql: () =>
    `SELECT min(peer_id) AS sample, hash IS NULL AS nohash, coalesce(subtype, 0) AS subtype, count(*) AS n FROM peer_info ` +
    `WHERE peer_id <> 0 AND NOT (${SELF_ROW} AND hash IS NULL) GROUP BY ${markedClassKeys('peer_id')}, 2, 3`,
  kindOf: (g) => kindOf(sampleClass(g), g.nohash !== 0n ? null : 0n, Number(g.subtype)),
};

function readGrammers(db: Database.Database, schema: SqliteSchema, opts: SqliteReadOptions = {}): ReadResult {
  const warnings = auditSchema(schema, EXPECTED);
  if (schema.userVersion !== USER_VERSION) warnings.push(`PRAGMA user_version is ${schema.userVersion}, grammers writes 1`);
  const all = <T>(sql: string): T[] => db.prepare(sql).safeIntegers(true).all() as T[];
  const s = emptySession();

  const homes = all<{ dc_id: bigint }>('SELECT dc_id FROM dc_home');
  if (homes.length === 0) warnings.push('dc_home is empty (grammers would use DC 2)');
  if (homes.length > 1) warnings.push(`dc_home has ${homes.length} rows; grammers reads the first`);
  s.homeDc = homes[0] ? Number(homes[0].dc_id) : 0;

  for (const row of all<{ dc_id: bigint; ipv4: string; ipv6: string; auth_key: Buffer | null }>(
    'SELECT dc_id, ipv4, ipv6, auth_key FROM dc_option ORDER BY dc_id',
  )) {
    s.dcs.push(...readDcRow(row, warnings));
  }

  // Skipping peers keeps the rows marked self (the own user's id and bot flag).
  const only = opts.skipPeers ? ` WHERE ${SELF_ROW}` : '';
  for (const row of all<{ peer_id: bigint; hash: bigint | null; subtype: bigint | null }>(
    `SELECT peer_id, hash, subtype FROM peer_info${only} ORDER BY peer_id`,
  )) {
    const subtype = Number(row.subtype ?? 0n);
    if (row.peer_id === 0n) {
      warnings.push('peer_info has a row with peer id 0 (skipped)');
      continue;
    }
    if ((subtype & ~KNOWN_BITS) !== 0) warnings.push(`peer ${row.peer_id} has unknown subtype bits ${subtype}`);
    const { id, cls } = unmarkId(row.peer_id);
    if (cls === 'user' && subtype & SELF) {
      if (s.user) warnings.push(`more than one peer is marked as self (${s.user.id}, ${id})`);
      s.user = { id, isBot: (subtype & BOT) !== 0 };
      // grammers caches the self row without a hash when it only knows the id.
      if (row.hash === null) continue;
    }
    s.peers.push({ id, kind: kindOf(cls, row.hash, subtype), accessHash: row.hash ?? 0n, usernames: [] });
  }

  const states = all<{ pts: bigint; qts: bigint; date: bigint; seq: bigint }>('SELECT pts, qts, date, seq FROM update_state');
  if (states.length > 1) warnings.push(`update_state has ${states.length} rows; grammers reads the first`);
  if (states[0]) {
    const u = states[0];
    Object.assign(s.updates, { pts: Number(u.pts), qts: Number(u.qts), date: Number(u.date), seq: Number(u.seq) });
  }
  for (const row of all<{ peer_id: bigint; pts: bigint }>('SELECT peer_id, pts FROM channel_state ORDER BY peer_id')) {
    if (row.peer_id <= 0n) {
      warnings.push(`channel_state has a non-bare channel id ${row.peer_id} (skipped)`);
      continue;
    }
    s.updates.channels.set(row.peer_id, Number(row.pts));
  }
  return { format: 'grammers', formatVersion: schema.userVersion, session: s, warnings };
}

function socketText(dc: DcEntry | undefined, family: 4 | 6): string | undefined {
  if (!dc) return undefined;
  const ok = family === 4 ? isIPv4(dc.address) : isIPv6(dc.address);
  if (!ok) throw new SessionError('unsupported', `grammers stores IP addresses only; DC ${dc.id} has "${dc.address.slice(0, 64)}"`);
  return formatHostPort(dc.address, dc.port);
}

function dcRows(s: Session): { id: number; ipv4: string; ipv6: string; key: Uint8Array | null }[] {
  const ids = [...new Set(s.dcs.filter((d) => !d.mediaOnly).map((d) => d.id))].sort((a, b) => a - b);
  return ids.map((id) => {
    const v4 = s.dcs.find((d) => d.id === id && !d.mediaOnly && !d.ipv6);
    const v6 = s.dcs.find((d) => d.id === id && !d.mediaOnly && d.ipv6);
    if (v4?.authKey && v6?.authKey && Buffer.compare(v4.authKey, v6.authKey) !== 0) {
      throw new SessionError('unsupported', `grammers keeps one auth key per DC; DC ${id} has two different ones`);
    }
    const key = v4?.authKey ?? v6?.authKey ?? null;
    if (key && key.length !== AUTH_KEY_LEN) {
      throw new SessionError('malformed', `DC ${id} has an auth key of ${key.length} bytes, not 256`);
    }
    const ipv4 = socketText(v4, 4) ?? `0.0.0.0:${v6!.port}`;
    const ipv6 = socketText(v6, 6) ?? formatHostPort(ipv4CompatText(v4!.address)!, v4!.port);
    return { id, ipv4, ipv6, key };
  });
}

const SUBTYPE: Partial<Record<PeerKind, number>> = { bot: BOT, megagroup: MEGAGROUP, channel: BROADCAST, gigagroup: GIGAGROUP };

function peerRow(p: Peer): { id: bigint; hash: bigint | null; subtype: number | null } {
  if (p.kind === 'community') throw new SessionError('unsupported', `grammers has no community peers (peer ${p.id})`);
  const hash = p.kind === 'chat' || p.kind === 'min-channel' ? null : p.accessHash;
  return { id: markId(p.id, p.kind), hash, subtype: SUBTYPE[p.kind] ?? null };
}

function writeGrammers(db: Database.Database, s: Session): void {
  const isBot = selfIsBot(s);
  if (s.user && isBot === undefined) {
    throw new SessionError('missing-field', 'grammers stores whether the account is a bot: give --bot or --user');
  }
  db.transaction(() => {
    db.exec(SCHEMA_SQL);
    db.pragma(`user_version = ${USER_VERSION}`);
    if (s.homeDc > 0) db.prepare('INSERT INTO dc_home VALUES (?)').run(s.homeDc);
    const insDc = db.prepare('INSERT INTO dc_option VALUES (?, ?, ?, ?)');
    for (const r of dcRows(s)) insDc.run(r.id, r.ipv4, r.ipv6, r.key);
    const rows = new Map(s.peers.map((p) => [markId(p.id, p.kind), peerRow(p)]));
    if (s.user) {
      const own = rows.get(s.user.id) ?? { id: s.user.id, hash: null, subtype: null };
      own.subtype = SELF | (isBot ? BOT : 0);
      rows.set(s.user.id, own);
    }
    const insPeer = db.prepare('INSERT INTO peer_info VALUES (?, ?, ?)');
    for (const r of rows.values()) insPeer.run(r.id, r.hash, r.subtype);
    const u = s.updates;
    if (u.pts || u.qts || u.date || u.seq) {
      db.prepare('INSERT INTO update_state VALUES (?, ?, ?, ?)').run(u.pts, u.qts, u.date, u.seq);
    }
    const insCh = db.prepare('INSERT INTO channel_state VALUES (?, ?)');
    for (const [id, pts] of u.channels) insCh.run(id, pts);
  })();
}

export const grammersCapabilities: Capabilities = holds({
  dcs: 'per-id',
  keylessDcs: true,
  user: 'id-and-bot',
  ownPeerFollowsBot: true,
  updates: true,
  channelPts: true,
  peers: true,
  peerKinds: ['user', 'bot', 'chat', 'channel', 'megagroup', 'gigagroup', 'min-channel'],
});

export const grammers: SqliteFormat = {
  id: 'grammers',
  label: 'grammers SQLite session',
  library: 'grammers (Rust): SqliteSession',
  medium: 'sqlite',
  capabilities: grammersCapabilities,
  matches: (schema) =>
    Object.entries(EXPECTED.tables).every(([table, cols]) => hasColumns(schema, table, [...cols])),
  read: readGrammers,
  peerGroups,
  write: writeGrammers,
};
