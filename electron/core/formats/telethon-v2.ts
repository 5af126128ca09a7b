/**
 * Telethon v2 (alpha) SQLite session, version 10 (spec §2.3): one datacenter row per DC id
 * with an IPv4 and an IPv6 socket address sharing one key, the own user with its home DC and
 * bot flag, the account update state and per-channel pts. No peer cache.
 * Early v2 alphas wrote the same version number with a single `addr` column and no
 * `user.username`; those files are read too.
 */
import type Database from 'better-sqlite3';
import { SessionError } from '../errors.js';
import { formatHostPort, parseHostPort } from '../model/address.js';
import { holds } from './capabilities.js';
import type { DcEntry, Session } from '../model/session.js';
import { emptySession, makeDc } from '../model/session.js';
import { hasColumns, type SqliteSchema } from '../sqlite/open.js';
import { auditSchema } from '../sqlite/audit.js';
import type { SqlRow, SqlValue } from '../sqlite/values.js';
import { sqlBigInt, sqlBlobOrNull, sqlInt, sqlSeconds, sqlTextOrNull } from '../sqlite/values.js';
import type { Capabilities, ReadResult, SqliteFormat } from './types.js';

export const TELETHON_V2_VERSION = 10;
const AUTH_KEY_LEN = 256;

const SCHEMA = `
create table version (version integer primary key);
create table datacenter(id integer primary key, ipv4_addr text, ipv6_addr text, auth blob);
create table user(id integer primary key, dc integer not null, bot integer not null, username text);
create table state(pts integer not null, qts integer not null, date integer not null, seq integer not null);
create table channelstate(id integer primary key, pts integer not null);
`;

const KNOWN_COLUMNS = {
  version: ['version'],
  datacenter: ['id', 'addr', 'ipv4_addr', 'ipv6_addr', 'auth'],
  user: ['id', 'dc', 'bot', 'username'],
  state: ['pts', 'qts', 'date', 'seq'],
  channelstate: ['id', 'pts'],
} as const;

export const telethonV2Capabilities: Capabilities = holds({
  dcs: 'per-id',
  keylessDcs: true,
  user: 'id-and-bot',
  updates: true,
  channelPts: true,
  requires: ['user', 'isBot'],
});

function matches(schema: SqliteSchema): boolean {
  return (
    hasColumns(schema, 'version', ['version']) &&
    hasColumns(schema, 'datacenter', ['id', 'auth']) &&
    hasColumns(schema, 'user', ['id', 'dc', 'bot']) &&
    hasColumns(schema, 'state', ['pts', 'qts', 'date', 'seq']) &&
    hasColumns(schema, 'channelstate', ['id', 'pts'])
  );
}

function rows(db: Database.Database, sql: string): SqlRow[] {
  return db.prepare(sql).safeIntegers(true).all() as SqlRow[];
}

function dcEntry(id: number, addr: SqlValue, key: Uint8Array | undefined, what: string): DcEntry | undefined {
  const text = sqlTextOrNull(addr, what);
  if (text === null) return undefined;
  const { host, port } = parseHostPort(text);
  const dc = makeDc({ id, address: host, port });
  if (key) dc.authKey = key;
  return dc;
}

function readDcs(db: Database.Database, schema: SqliteSchema, warnings: string[]): DcEntry[] {
  const split = hasColumns(schema, 'datacenter', ['ipv4_addr', 'ipv6_addr']);
  const cols = split ? 'ipv4_addr, ipv6_addr' : 'addr';
  const out: DcEntry[] = [];
  for (const r of rows(db, `SELECT id, ${cols}, auth FROM datacenter`)) {
    const id = sqlInt(r.id ?? null, 'datacenter.id');
    if (id <= 0) throw new SessionError('malformed', `Telethon v2 session: DC id ${id} is not positive`);
    let key = sqlBlobOrNull(r.auth ?? null, 'datacenter.auth') ?? undefined;
    if (key && key.length !== AUTH_KEY_LEN) {
      warnings.push(`DC ${id}: the auth key is ${key.length} bytes, not ${AUTH_KEY_LEN}: read as no key`);
      key = undefined;
    }
    const found = split
      ? [dcEntry(id, r.ipv4_addr ?? null, key, 'datacenter.ipv4_addr'), dcEntry(id, r.ipv6_addr ?? null, key, 'datacenter.ipv6_addr')]
      : [dcEntry(id, r.addr ?? null, key, 'datacenter.addr')];
    const entries = found.filter((d): d is DcEntry => d !== undefined);
    if (entries.length === 0) warnings.push(`DC ${id} has no address: skipped`);
    out.push(...entries);
  }
  return out;
}

function read(db: Database.Database, schema: SqliteSchema): ReadResult {
  const vrow = rows(db, 'SELECT version FROM version')[0];
  if (!vrow) throw new SessionError('malformed', 'Telethon v2 session: the version table is empty');
  const version = sqlInt(vrow.version ?? null, 'version.version');
  if (version !== TELETHON_V2_VERSION) {
    throw new SessionError('unsupported', `Telethon v2 session schema version ${version} is not ${TELETHON_V2_VERSION}`);
  }
  const warnings = auditSchema(schema, { library: 'Telethon v2', tables: KNOWN_COLUMNS });
  const s = emptySession();
  s.dcs = readDcs(db, schema, warnings);
  const users = rows(db, 'SELECT id, dc, bot FROM user');
  if (users.length > 1) warnings.push(`the user table has ${users.length} rows; Telethon v2 uses only the first`);
  const u = users[0];
  if (u) {
    s.user = { id: sqlBigInt(u.id ?? null, 'user.id'), isBot: sqlInt(u.bot ?? null, 'user.bot') !== 0 };
    s.homeDc = sqlInt(u.dc ?? null, 'user.dc');
  }
  const states = rows(db, 'SELECT pts, qts, date, seq FROM state');
  if (states.length > 1) warnings.push(`the state table has ${states.length} rows; Telethon v2 uses only the first`);
  const st = states[0];
  if (st) {
    s.updates.pts = sqlInt(st.pts ?? null, 'state.pts');
    s.updates.qts = sqlInt(st.qts ?? null, 'state.qts');
    s.updates.date = sqlSeconds(st.date ?? null, 'state.date');
    s.updates.seq = sqlInt(st.seq ?? null, 'state.seq');
  }
  for (const r of rows(db, 'SELECT id, pts FROM channelstate')) {
    const id = sqlBigInt(r.id ?? null, 'channelstate.id');
    if (id <= 0n) warnings.push(`channelstate id ${id} is not a bare (positive) channel id: skipped`);
    else s.updates.channels.set(id, sqlInt(r.pts ?? null, 'channelstate.pts'));
  }
  return { format: 'telethon-v2', formatVersion: version, session: s, warnings };
}

interface DcRow {
  ipv4?: DcEntry;
  ipv6?: DcEntry;
}

function write(db: Database.Database, s: Session): void {
  const byId = new Map<number, DcRow>();
  for (const d of s.dcs) {
    if (d.mediaOnly) continue;
    if (d.authKey && d.authKey.length !== AUTH_KEY_LEN) {
      throw new SessionError('malformed', `DC ${d.id} has an auth key of ${d.authKey.length} bytes, not 256`);
    }
    const row = byId.get(d.id) ?? {};
    if (d.ipv6) row.ipv6 ??= d;
    else row.ipv4 ??= d;
    byId.set(d.id, row);
  }
  const hasKey = s.dcs.some((d) => d.authKey !== undefined);
  // Without the user row Telethon v2 forgets the home DC and logs in again from scratch.
  if (hasKey && !s.user) throw new SessionError('missing-field', 'a Telethon v2 session needs the own user id (give --user-id)');
  if (s.user && s.user.isBot === undefined) {
    throw new SessionError('missing-field', 'a Telethon v2 session needs to know whether the account is a bot (give --bot or --user)');
  }
  const user = s.user;
  // The own username, when the peer cache knows it (v2 keeps it beside the user id).
  const username = user ? (s.peers.find((p) => p.id === user.id && (p.kind === 'user' || p.kind === 'bot'))?.usernames[0] ?? null) : null;
  db.transaction(() => {
    db.exec(SCHEMA);
    db.prepare('insert into version values (?)').run(TELETHON_V2_VERSION);
    const insDc = db.prepare('insert into datacenter values (?, ?, ?, ?)');
    for (const [id, r] of byId) {
      const key = r.ipv4?.authKey ?? r.ipv6?.authKey;
      insDc.run(
        id,
        r.ipv4 ? formatHostPort(r.ipv4.address, r.ipv4.port) : null,
        r.ipv6 ? formatHostPort(r.ipv6.address, r.ipv6.port) : null,
        key ? Buffer.from(key) : null,
      );
    }
    if (user) db.prepare('insert into user values (?, ?, ?, ?)').run(user.id, s.homeDc, user.isBot ? 1 : 0, username);
    const u = s.updates;
    if (u.pts !== 0 || u.qts !== 0 || u.date !== 0 || u.seq !== 0 || u.channels.size > 0) {
      db.prepare('insert into state values (?, ?, ?, ?)').run(u.pts, u.qts, u.date, u.seq);
      const insCh = db.prepare('insert into channelstate values (?, ?)');
      for (const [id, pts] of u.channels) insCh.run(id, pts);
    }
  })();
}

export const telethonV2: SqliteFormat = {
  id: 'telethon-v2',
  label: 'Telethon v2 SQLite session',
  library: 'Telethon 2.x alpha (Python): SqliteSession',
  medium: 'sqlite',
  capabilities: telethonV2Capabilities,
  matches,
  read,
  write,
};
