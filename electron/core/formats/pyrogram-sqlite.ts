/**
 * Pyrogram-family SQLite session files (spec §3.1–3.3): upstream Pyrogram (v3), Kurigram
 * (v7) and Pyrofork (v4), older versions of each read too. Every query names its columns:
 * files migrated from version 2 have api_id as the LAST column of sessions, Kurigram's
 * server_address/port come after it.
 *
 * Peer types → our kinds. Pyrogram and the forks address user/bot with InputPeerUser,
 * group with InputPeerChat and every other type with InputPeerChannel (marked -100… ids):
 *   user → user, bot → bot, group → chat, channel → channel, supergroup → megagroup;
 *   Kurigram only: forum (a forum supergroup) → megagroup, direct (a channel's
 *   direct-messages "monoforum", a megagroup-like channel) → megagroup, both reported as
 *   narrowed; community → community, which Kurigram stores with a CHANNEL-marked id.
 * last_update_on: an unknown time is written as 0, not "now" (Pyrogram then treats the
 * username as expired and resolves it again) and 0 reads back as unknown.
 * Writing: gigagroup → supergroup (what Pyrogram itself stores for one); community only to
 * Kurigram; min channels are never stored by Pyrogram and are left out.
 */
import type Database from 'better-sqlite3';
import { SessionError } from '../errors.js';
import { markChannel, markId, markedClass, unmarkId } from '../model/peer-id.js';
import { holds } from './capabilities.js';
import type { MarkedClass } from '../model/peer-id.js';
import type { Peer, PeerKind, Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import { pyrogramCore, pyrogramDcAddress } from './pyrogram-common.js';
import type { FlavourSpec, PyrogramFlavour } from './pyrogram-schema.js';
import { FLAVOURS, detectFlavour } from './pyrogram-schema.js';
import { auditSchema } from '../sqlite/audit.js';
import type { Capabilities, PeerTable, PeerTypeCount, ReadResult, SqliteFormat, SqliteReadOptions } from './types.js';
import type { SqliteSchema } from '../sqlite/open.js';

const TYPE_TO_KIND: Readonly<Record<string, PeerKind>> = {
  user: 'user',
  bot: 'bot',
  group: 'chat',
  channel: 'channel',
  supergroup: 'megagroup',
  forum: 'megagroup',
  direct: 'megagroup',
  community: 'community',
};
const NARROWED_TYPES = new Set(['forum', 'direct']);

const KIND_TO_TYPE: Readonly<Partial<Record<PeerKind, string>>> = {
  user: 'user',
  bot: 'bot',
  chat: 'group',
  channel: 'channel',
  megagroup: 'supergroup',
  gigagroup: 'supergroup',
};

function markedClassOfType(type: string): MarkedClass {
  if (type === 'user' || type === 'bot') return 'user';
  return type === 'group' ? 'chat' : 'channel';
}

type Row = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v ?? 0))));

function selectAll(db: Database.Database, schema: SqliteSchema, table: string, want: string[]): Row[] {
  const have = schema.tables.get(table) ?? [];
  const cols = want.filter((c) => have.includes(c));
  return db.prepare(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY rowid`).safeIntegers(true).all() as Row[];
}

function readVersion(db: Database.Database, warnings: string[]): number | null {
  const rows = db.prepare('SELECT number FROM version').all() as { number: unknown }[];
  if (rows.length !== 1) warnings.push(`the version table has ${rows.length} rows, not 1`);
  const v = rows[0]?.number;
  return typeof v === 'number' ? v : null;
}

function readSessionRow(db: Database.Database, schema: SqliteSchema, s: Session, warnings: string[], inferences: string[]): void {
  const rows = selectAll(db, schema, 'sessions', [
    'dc_id', 'api_id', 'test_mode', 'auth_key', 'user_id', 'is_bot', 'server_address', 'port',
  ]);
  const row = rows[0];
  if (!row) throw new SessionError('malformed', 'the sessions table is empty');
  if (rows.length > 1) warnings.push(`the sessions table has ${rows.length} rows; Pyrogram reads only the first`);
  const nulls = ['test_mode', 'auth_key', 'user_id', 'is_bot'].filter((c) => row[c] === null);
  if (nulls.length > 0) {
    warnings.push(`NULL ${nulls.join(', ')}: Pyrogram treats this session as not logged in`);
  }
  s.homeDc = num(row.dc_id);
  if (row.test_mode !== null) s.testMode = num(row.test_mode) !== 0;
  if (row.api_id !== null && row.api_id !== undefined) s.apiId = num(row.api_id);
  if (row.user_id !== null) {
    s.user = { id: big(row.user_id) };
    if (row.is_bot !== null) s.user.isBot = num(row.is_bot) !== 0;
  }
  let authKey: Uint8Array | undefined;
  if (row.auth_key instanceof Uint8Array) {
    if (row.auth_key.length === 256) authKey = new Uint8Array(row.auth_key);
    else warnings.push(`the auth key has ${row.auth_key.length} bytes, not 256: ignored`);
  } else if (row.auth_key !== null) {
    warnings.push('the auth key is not a BLOB: ignored');
  }
  // Kurigram stores the address; the others derive it from dc_id + test_mode.
  const derived = pyrogramDcAddress(s.homeDc, s.testMode ?? false);
  const stored = typeof row.server_address === 'string' && row.server_address.length > 0;
  const address = stored ? (row.server_address as string) : derived?.address;
  const port = stored && row.port !== null ? num(row.port) : derived?.port;
  if (address === undefined || port === undefined) {
    warnings.push(`Pyrogram has no address for ${s.testMode ? 'test' : 'production'} DC ${s.homeDc}`);
  } else if (!stored) {
    inferences.push(`DC ${s.homeDc} address ${address}:${port}: from Pyrogram's DC table (the file stores only the DC id)`);
  }
  s.dcs = [makeDc({ id: s.homeDc, address: address ?? '', port: port ?? 0, ...(authKey ? { authKey } : {}) })];
}

interface PeerRead {
  peers: Peer[];
  /** marked id → peer, to attach usernames from the separate table. */
  byMarked: Map<bigint, Peer>;
}

/** The warnings for peer rows that are not peers or are read narrowed, from counts per type (the SQL pager's too). */
function peerTypeWarnings(rows: readonly PeerTypeCount[]): string[] {
  const unknownTypes = new Map<string, number>();
  const narrowed = new Map<string, number>();
  let wrongSign = 0;
  for (const { type, fits, n } of rows) {
    if (TYPE_TO_KIND[type] === undefined) unknownTypes.set(type, (unknownTypes.get(type) ?? 0) + n);
    else if (!fits) wrongSign += n;
    else if (NARROWED_TYPES.has(type)) narrowed.set(type, (narrowed.get(type) ?? 0) + n);
  }
  const out: string[] = [];
  for (const [type, n] of unknownTypes) out.push(`${n} peer(s) of unknown type "${type.slice(0, 32)}" skipped`);
  for (const [type, n] of narrowed) out.push(`${n} peer(s) of Kurigram type "${type}" read as megagroup`);
  if (wrongSign > 0) out.push(`${wrongSign} peer(s) whose id sign does not fit their type skipped`);
  return out;
}

function readPeers(db: Database.Database, schema: SqliteSchema, warnings: string[]): PeerRead {
  const rows = selectAll(db, schema, 'peers', ['id', 'access_hash', 'type', 'username', 'phone_number', 'last_update_on']);
  const out: PeerRead = { peers: [], byMarked: new Map() };
  const types: PeerTypeCount[] = [];
  const typeAt = new Map<string, PeerTypeCount>();
  const count = (type: string, fits: boolean) => {
    const key = `${fits ? 1 : 0}${type}`;
    const have = typeAt.get(key);
    if (have) have.n++;
    else typeAt.set(key, types[types.push({ type, fits, n: 1 }) - 1]!);
  };
  let duplicates = 0;
  for (const r of rows) {
    const type = String(r.type);
    const kind = TYPE_TO_KIND[type];
    const marked = kind === undefined ? 0n : big(r.id);
    const fits = kind !== undefined && markedClass(marked) === markedClassOfType(type);
    count(type, fits);
    if (!fits) continue;
    if (out.byMarked.has(marked)) {
      duplicates++;
      continue;
    }
    const peer: Peer = {
      id: unmarkId(marked).id,
      kind,
      accessHash: kind === 'chat' ? 0n : big(r.access_hash),
      usernames: typeof r.username === 'string' && r.username.length > 0 ? [r.username] : [],
    };
    if (r.phone_number !== null && r.phone_number !== undefined) peer.phone = String(r.phone_number);
    if (num(r.last_update_on) > 0) peer.seenAt = num(r.last_update_on);
    out.peers.push(peer);
    out.byMarked.set(marked, peer);
  }
  warnings.push(...peerTypeWarnings(types));
  if (duplicates > 0) warnings.push(`${duplicates} duplicate peer row(s) skipped`);
  return out;
}

const orphanWarning = (n: number) => `${n} username row(s) name no stored peer`;

function addUsername(p: Peer, name: string): void {
  if (name.length > 0 && !p.usernames.includes(name)) p.usernames.push(name);
}

/** Kurigram: usernames(id = marked peer id, username). Pyrofork: usernames(id = username, peer_id). */
function readUsernames(db: Database.Database, schema: SqliteSchema, flavour: PyrogramFlavour, read: PeerRead, warnings: string[]): void {
  if (!schema.tables.has('usernames') || flavour === 'pyrogram') return;
  const rows =
    flavour === 'kurigram'
      ? selectAll(db, schema, 'usernames', ['id', 'username']).map((r) => ({ peer: r.id, name: r.username }))
      : selectAll(db, schema, 'usernames', ['id', 'peer_id']).map((r) => ({ peer: r.peer_id, name: r.id }));
  let orphans = 0;
  for (const r of rows) {
    if (r.peer === null || typeof r.name !== 'string') continue;
    const marked = big(r.peer);
    // Some Pyrofork builds stored the bare channel id here: try it as a channel too.
    const peer = read.byMarked.get(marked) ?? (marked > 0n ? read.byMarked.get(markChannel(marked)) : undefined);
    if (peer) addUsername(peer, r.name);
    else orphans++;
  }
  if (orphans > 0) warnings.push(orphanWarning(orphans));
}

function readUpdateState(db: Database.Database, schema: SqliteSchema, s: Session, warnings: string[]): void {
  if (!schema.tables.has('update_state')) return;
  let odd = 0;
  for (const r of selectAll(db, schema, 'update_state', ['id', 'pts', 'qts', 'date', 'seq'])) {
    const id = big(r.id);
    if (id === 0n) {
      s.updates.pts = num(r.pts);
      s.updates.qts = num(r.qts);
      s.updates.date = num(r.date);
      s.updates.seq = num(r.seq);
    } else if (markedClass(id) === 'channel') {
      s.updates.channels.set(unmarkId(id).id, num(r.pts));
    } else {
      odd++;
    }
  }
  if (odd > 0) warnings.push(`${odd} update_state row(s) with an id that is neither 0 nor a channel skipped`);
}

function readPyrogramSqlite(db: Database.Database, schema: SqliteSchema, spec: FlavourSpec, opts: SqliteReadOptions = {}): ReadResult {
  const detected = detectFlavour(schema);
  if (detected !== spec.flavour) {
    throw new SessionError('unknown-format', `not a ${spec.library} session file (its tables say ${detected ?? 'neither'})`);
  }
  const warnings = auditSchema(schema, spec);
  const inferences: string[] = [];
  const s = emptySession();
  const version = readVersion(db, warnings);
  readSessionRow(db, schema, s, warnings, inferences);
  if (!opts.skipPeers) {
    const peers = readPeers(db, schema, warnings);
    readUsernames(db, schema, spec.flavour, peers, warnings);
    s.peers = peers.peers;
  }
  readUpdateState(db, schema, s, warnings);
  return { format: spec.flavour, formatVersion: version, session: s, warnings, inferences };
}

interface PeerOut {
  marked: bigint;
  type: string;
  peer: Peer;
}

function peersFor(flavour: PyrogramFlavour, peers: readonly Peer[]): PeerOut[] {
  const out: PeerOut[] = [];
  for (const p of peers) {
    if (p.kind === 'community' && flavour === 'kurigram') {
      out.push({ marked: markChannel(p.id), type: 'community', peer: p });
      continue;
    }
    const type = KIND_TO_TYPE[p.kind];
    if (type !== undefined) out.push({ marked: markId(p.id, p.kind), type, peer: p });
  }
  return out;
}

function writePyrogramSqlite(db: Database.Database, s: Session, spec: FlavourSpec): void {
  // Everything that can refuse is checked before the first statement.
  const c = pyrogramCore(s, `a ${spec.library} session file`, true);
  const dc = homeDcEntry(s)!;
  const fallback = pyrogramDcAddress(c.dcId, c.testMode)!;
  const peers = peersFor(spec.flavour, s.peers);
  db.transaction(() => {
    db.exec(spec.schema);
    db.prepare('INSERT INTO version (number) VALUES (?)').run(spec.version);
    // date = 0, as Pyrogram itself writes when it imports a string; it sets the time on save.
    const session = [c.dcId, c.apiId!, c.testMode ? 1 : 0, Buffer.from(c.authKey), 0, c.userId, c.isBot ? 1 : 0];
    if (spec.flavour === 'kurigram') {
      db.prepare(
        'INSERT INTO sessions (dc_id, api_id, test_mode, auth_key, date, user_id, is_bot, server_address, port) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(...session, dc.address || fallback.address, dc.address ? dc.port : fallback.port);
    } else {
      db.prepare(
        'INSERT INTO sessions (dc_id, api_id, test_mode, auth_key, date, user_id, is_bot) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(...session);
    }
    if (spec.flavour === 'kurigram') {
      const ins = db.prepare(`INSERT INTO peers (id, access_hash, type, phone_number, last_update_on) VALUES (?, ?, ?, ?, ?)`);
      const uname = db.prepare('INSERT INTO usernames (id, username) VALUES (?, ?)');
      for (const o of peers) {
        ins.run(o.marked, o.peer.accessHash, o.type, o.peer.phone ?? null, o.peer.seenAt ?? 0);
        for (const u of o.peer.usernames) uname.run(o.marked, u);
      }
    } else {
      const ins = db.prepare(
        `INSERT INTO peers (id, access_hash, type, username, phone_number, last_update_on) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      // Pyrofork keeps the first username in peers and all of them in usernames when there are several.
      const uname = spec.flavour === 'pyrofork' ? db.prepare('REPLACE INTO usernames (id, peer_id) VALUES (?, ?)') : null;
      for (const o of peers) {
        ins.run(o.marked, o.peer.accessHash, o.type, o.peer.usernames[0] ?? null, o.peer.phone ?? null, o.peer.seenAt ?? 0);
        if (uname && o.peer.usernames.length > 1) for (const u of o.peer.usernames) uname.run(u, o.marked);
      }
    }
    if (spec.tables.update_state) {
      const u = s.updates;
      const ins = db.prepare('INSERT INTO update_state (id, pts, qts, date, seq) VALUES (?, ?, ?, ?, ?)');
      ins.run(0, u.pts, u.qts, u.date, u.seq);
      for (const [id, pts] of u.channels) ins.run(markChannel(id), pts, null, null, null);
    }
  })();
}

const baseCapabilities: Capabilities = holds({
  user: 'id-and-bot',
  testMode: true,
  apiId: true,
  peers: true,
  peerKinds: ['user', 'bot', 'chat', 'channel', 'megagroup'],
  usernames: 'first',
  phone: true,
  seenAt: true,
  requires: ['user', 'isBot', 'apiId', 'authKey'],
});

/** The peers table read by type within each marked-id class, as readPeers does, for paging in SQL. */
function typesByClass(): Record<MarkedClass, Record<string, PeerKind>> {
  const out: Record<MarkedClass, Record<string, PeerKind>> = { user: {}, chat: {}, channel: {} };
  for (const [type, kind] of Object.entries(TYPE_TO_KIND)) out[markedClassOfType(type)][type] = kind;
  return out;
}

const PEERS: PeerTable = {
  table: 'peers',
  id: 'id',
  hash: 'access_hash',
  username: 'username',
  phone: 'phone_number',
  name: null,
  kinds: { column: 'type', byClass: typesByClass(), noHash: 'chat', warnings: peerTypeWarnings },
};

const PEER_TABLES: Readonly<Record<PyrogramFlavour, PeerTable>> = {
  pyrogram: PEERS,
  // Kurigram: usernames(id = marked peer id, username). Pyrofork: usernames(id = the username, peer_id).
  kurigram: { ...PEERS, usernames: { table: 'usernames', peer: 'id', name: 'username', orphanWarning } },
  pyrofork: { ...PEERS, usernames: { table: 'usernames', peer: 'peer_id', name: 'id', orphanWarning } },
};

function sqliteFormat(spec: FlavourSpec, label: string, capabilities: Capabilities): SqliteFormat {
  return {
    id: spec.flavour,
    label,
    library: spec.library,
    medium: 'sqlite',
    capabilities,
    matches: (schema) => detectFlavour(schema) === spec.flavour,
    read: (db, schema, opts) => readPyrogramSqlite(db, schema, spec, opts),
    write: (db, session) => writePyrogramSqlite(db, session, spec),
    peerTable: PEER_TABLES[spec.flavour],
  };
}

export const pyrogramSqlite = sqliteFormat(FLAVOURS.pyrogram, 'Pyrogram SQLite session (v3)', baseCapabilities);

export const kurigramSqlite = sqliteFormat(FLAVOURS.kurigram, 'Kurigram SQLite session (v7)', {
  ...baseCapabilities,
  updates: true,
  channelPts: true,
  peerKinds: [...baseCapabilities.peerKinds, 'community'],
  usernames: 'all',
});

export const pyroforkSqlite = sqliteFormat(FLAVOURS.pyrofork, 'Pyrofork SQLite session (v4)', {
  ...baseCapabilities,
  updates: true,
  channelPts: true,
  usernames: 'all',
});
