/**
 * Telethon's session rows ↔ the model, whatever holds them: its own SQLite file
 * (telethon-sqlite.ts), the SQLAlchemy tables of telethon-session-sqlalchemy and the JSON
 * values of telethon-session-redis keep the same DC row, entities (keyed by marked id; id 0
 * holds the own user id in `hash`) and update states (id 0 the account's, else a bare
 * channel id). Cells are read by name with the typed accessors of sqlite/values.ts.
 */
import { SessionError } from '../errors.js';
import { CHANNEL_MARK, markId, unmarkId } from '../model/peer-id.js';
import type { DcEntry, Peer, PeerKind, Session } from '../model/session.js';
import { homeDcEntry, makeDc } from '../model/session.js';
import type { SqlRow } from '../sqlite/values.js';
import { sqlBigInt, sqlBigIntOrNull, sqlBlobOrNull, sqlInt, sqlSeconds, sqlTextOrNull } from '../sqlite/values.js';

const AUTH_KEY_LEN = 256;

export const KIND_OF_CLASS: Record<'user' | 'chat' | 'channel', PeerKind> = { user: 'user', chat: 'chat', channel: 'channel' };

/** The DC row (dc_id, server_address, port, auth_key, takeout_id where the store has it) into the session. */
export function readTelethonDc(r: SqlRow, s: Session, warnings: string[], table = 'sessions'): void {
  const id = sqlInt(r.dc_id ?? null, `${table}.dc_id`);
  if (id < 0) throw new SessionError('malformed', `Telethon session: DC id ${id} is negative`);
  const address = sqlTextOrNull(r.server_address ?? null, `${table}.server_address`);
  const port = r.port === null || r.port === undefined ? null : sqlInt(r.port, `${table}.port`);
  let key = sqlBlobOrNull(r.auth_key ?? null, `${table}.auth_key`) ?? undefined;
  if (key && key.length === 0) key = undefined;
  if (key && key.length !== AUTH_KEY_LEN) {
    warnings.push(`the auth key is ${key.length} bytes, not ${AUTH_KEY_LEN}: read as no key`);
    key = undefined;
  }
  const takeoutId = r.takeout_id === undefined ? null : sqlBigIntOrNull(r.takeout_id, `${table}.takeout_id`);
  if (takeoutId !== null) s.takeoutId = takeoutId;
  s.homeDc = id;
  // A fresh session holds (0, NULL, NULL, X'', NULL): no DC chosen yet, nothing to keep.
  if (address === null && !key) return;
  if (address === null || port === null) {
    warnings.push(`DC ${id} has no ${address === null ? 'server address' : 'port'}`);
  }
  if (port !== null && (port < 1 || port > 65535)) warnings.push(`DC ${id} has port ${port}, outside 1–65535`);
  const dc: DcEntry = makeDc({ id, address: address ?? '', port: port ?? 0 });
  if (key) dc.authKey = key;
  s.dcs = [dc];
}

/** Update-state rows (`id`: 0 for the account's, else a bare channel id) into the session. */
export function readTelethonUpdates(rows: Iterable<SqlRow>, s: Session, warnings: string[], table = 'update_state', idColumn = 'id'): void {
  let negative = 0;
  for (const r of rows) {
    const id = sqlBigInt(r[idColumn] ?? null, `${table}.${idColumn}`);
    const pts = sqlInt(r.pts ?? 0n, `${table}.pts`);
    if (id === 0n) {
      s.updates.pts = pts;
      s.updates.qts = sqlInt(r.qts ?? 0n, `${table}.qts`);
      s.updates.date = sqlSeconds(r.date ?? 0n, `${table}.date`);
      s.updates.seq = sqlInt(r.seq ?? 0n, `${table}.seq`);
    } else if (id < 0n) {
      negative++;
    } else {
      s.updates.channels.set(id, pts);
    }
  }
  if (negative > 0) {
    warnings.push(`${negative} ${table} row(s) have a negative id (Telethon keys channels by bare id): skipped`);
  }
}

function phoneText(v: SqlRow[string], what: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return sqlBigInt(v, what).toString();
}

/** Entity rows (id, hash, username, phone, name, date where kept) into the session; id 0 names the own user. */
export function readTelethonEntities(rows: Iterable<SqlRow>, s: Session, warnings: string[], table = 'entities'): void {
  const seen = new Set<bigint>();
  const byUsername = new Map<string, number>();
  let duplicates = 0;
  for (const r of rows) {
    const marked = sqlBigInt(r.id ?? null, `${table}.id`);
    const hash = sqlBigInt(r.hash ?? null, `${table}.hash`);
    if (marked === 0n) {
      // Telethon ≥ 1.28 keeps the own user id here (id 0, hash = self id).
      if (hash > 0n) s.user = { id: hash };
      else warnings.push(`the own-user row (${table} id 0) holds a non-positive user id: skipped`);
      continue;
    }
    if (seen.has(marked)) {
      duplicates++;
      continue;
    }
    seen.add(marked);
    const { id, cls } = unmarkId(marked);
    const peer: Peer = { id, kind: KIND_OF_CLASS[cls], accessHash: hash, usernames: [] };
    const username = sqlTextOrNull(r.username ?? null, `${table}.username`);
    if (username) {
      peer.usernames = [username];
      byUsername.set(username, (byUsername.get(username) ?? 0) + 1);
    }
    const phone = phoneText(r.phone ?? null, `${table}.phone`);
    if (phone !== undefined) peer.phone = phone;
    const name = sqlTextOrNull(r.name ?? null, `${table}.name`);
    if (name !== null) peer.name = name;
    if (r.date !== undefined && r.date !== null) peer.seenAt = sqlSeconds(r.date, `${table}.date`);
    s.peers.push(peer);
  }
  if (duplicates > 0) warnings.push(`${duplicates} duplicate entity row(s) (same id): kept the first`);
  for (const [name, n] of byUsername) {
    if (n > 1) warnings.push(`username "${name}" is on ${n} entities (Telethon keeps the newest)`);
  }
}

export type EntityRow = [id: bigint, hash: bigint, username: string | null, phone: string | null, name: string | null, date: number | null];

function entityRow(p: Peer): EntityRow {
  if (p.id <= 0n) throw new SessionError('malformed', `peer id ${p.id} is not a positive bare id`);
  // A marked chat id at or past -10^12 would read back as a channel.
  if (p.kind === 'chat' && p.id >= CHANNEL_MARK) {
    throw new SessionError('malformed', `chat id ${p.id} is too large for a marked id (basic chats stay below 10^12)`);
  }
  return [markId(p.id, p.kind), p.accessHash, p.usernames[0]?.toLowerCase() ?? null, p.phone ?? null, p.name ?? null, p.seenAt ?? null];
}

/** What Telethon keeps of a session, as rows: its one DC row, its entities (the own-user row first), its update states. */
export interface TelethonRows {
  /** Telethon's own fresh row is (0, NULL, NULL, X'', NULL) until a DC is set. */
  dc: { dcId: number; address: string | null; port: number | null; authKey: Uint8Array; takeoutId: bigint | null };
  entities: EntityRow[];
  states: [id: bigint, pts: number, qts: number, date: number, seq: number][];
}

export function telethonRowsOf(s: Session): TelethonRows {
  const dc = homeDcEntry(s);
  if (dc?.authKey && dc.authKey.length !== AUTH_KEY_LEN) {
    throw new SessionError('malformed', `DC ${dc.id} has an auth key of ${dc.authKey.length} bytes, not 256`);
  }
  const seen = new Set<bigint>();
  const entities: EntityRow[] = s.user ? [[0n, s.user.id, null, null, null, null]] : [];
  for (const p of s.peers) {
    const row = entityRow(p);
    if (seen.has(row[0])) throw new SessionError('malformed', `peer ${p.id} (${p.kind}) appears twice`);
    seen.add(row[0]);
    entities.push(row);
  }
  const u = s.updates;
  const states: TelethonRows['states'] = [];
  if (u.pts !== 0 || u.qts !== 0 || u.date !== 0 || u.seq !== 0) states.push([0n, u.pts, u.qts, u.date, u.seq]);
  // Telethon writes channel rows as State(pts, 0, <any date>, 0); only pts is ever read back.
  for (const [id, pts] of u.channels) states.push([id, pts, 0, 0, 0]);
  return {
    dc: { dcId: dc ? dc.id : s.homeDc, address: dc ? dc.address : null, port: dc ? dc.port : null, authKey: dc?.authKey ?? new Uint8Array(0), takeoutId: s.takeoutId ?? null },
    entities,
    states,
  };
}
