/**
 * mtcute's storage rows ↔ the model, whatever holds them: the SQLite storage (mtcute-sqlite.ts)
 * and the PostgreSQL one (store/mtcute-postgres.ts) keep the same key_value blobs, auth keys
 * and peer rows (spec §5). key_value: dc_main/dc_media (basic DC option), current_user,
 * updates_pts|qts|date|seq (i32 LE), updates_channel:<bare id> (u32 LE), salts:<dc>. peers key
 * on marked ids; the hash is mtcute's "<low>|<high>" long string ("" for basic chats).
 */
import { ByteReader, ByteWriter } from '../bytes.js';
import { SessionError } from '../errors.js';
import { PRODUCTION_DCS, PRODUCTION_PORT, TEST_DCS, TEST_PORT } from '../model/dc-table.js';
import { markId, unmarkId, type MarkedClass } from '../model/peer-id.js';
import { selfIsBot } from '../model/self-user.js';
import type { Peer, PeerKind, Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import { AUTH_KEY_LEN } from './field-checks.js';
import { decodeMtcuteDc, encodeMtcuteDc, mtcuteMediaDc } from './mtcute-string.js';
import { readInt53, writeInt53 } from './tl-bytes.js';

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

function int32Bytes(v: number, unsigned: boolean): Uint8Array {
  const w = new ByteWriter();
  return (unsigned ? w.u32(v, true) : w.i32(v, true)).finish();
}

/** What a migrations table says that this code does not know (an unknown repository, a newer version). */
export function migrationWarnings(
  table: string,
  versions: readonly { repo: string; version: bigint | number }[],
  known: readonly (readonly [repo: string, version: number, ...rest: unknown[]])[],
): string[] {
  const max = new Map<string, number>();
  for (const [repo, v] of known) max.set(repo, Math.max(max.get(repo) ?? 0, v));
  return versions.flatMap(({ repo, version }) => {
    const m = max.get(repo);
    if (m === undefined) return [`${table} names an unknown repository "${repo}"`];
    return Number(version) > m ? [`${table}: ${repo} is at version ${version}, newer than ${m}`] : [];
  });
}

/** The session from its key_value and auth_keys rows, without peers (addMtcutePeers adds them). */
export function sessionFromMtcuteRows(
  kvRows: Iterable<readonly [string, Uint8Array]>,
  authKeys: Iterable<{ dc: number; key: Uint8Array }>,
  warnings: string[],
  inferences: string[],
): Session {
  const s = emptySession();
  const kv = new Map(kvRows);
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

  for (const { dc: id, key } of authKeys) {
    if (key.length !== AUTH_KEY_LEN) {
      warnings.push(`auth key for DC ${id} is ${key.length} bytes, not 256 (skipped)`);
      continue;
    }
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
  return s;
}

/** A peers row as either engine returns it: usernames as JSON text (SQLite) or parsed (jsonb); isMin as 0/1 or a boolean. */
export interface MtcutePeerRow {
  id: bigint;
  hash: string;
  usernames: unknown;
  updated: bigint;
  phone: string | null;
  isMin: bigint | boolean;
}

const isSet = (v: bigint | boolean) => v === true || (typeof v === 'bigint' && v !== 0n);
export const minUsersWarning = (n: number | bigint): string => `${n} min user(s) read as plain users (their hashes need message context)`;
export const mtcuteKind = (cls: MarkedClass, isMin: boolean): PeerKind => (cls === 'channel' && isMin ? 'min-channel' : cls);

export function addMtcutePeers(s: Session, rows: Iterable<MtcutePeerRow>, warnings: string[]): void {
  let minUsers = 0;
  for (const row of rows) {
    const p = peerFromRow(row, warnings);
    if (!p) continue;
    if (isSet(row.isMin) && p.kind === 'user') minUsers++;
    s.peers.push(p);
  }
  if (minUsers > 0) warnings.push(minUsersWarning(minUsers));
}

function peerFromRow(row: MtcutePeerRow, warnings: string[]): Peer | undefined {
  if (row.id === 0n) {
    warnings.push('peers has a row with id 0 (skipped)');
    return undefined;
  }
  const { id, cls } = unmarkId(row.id);
  let usernames: unknown = row.usernames;
  if (typeof usernames === 'string') {
    try {
      usernames = JSON.parse(usernames);
    } catch {
      usernames = undefined;
    }
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
  const p: Peer = { id, kind: mtcuteKind(cls, isSet(row.isMin)), accessHash, usernames: usernames as string[] };
  if (row.phone) p.phone = row.phone;
  if (row.updated > 0n) p.seenAt = Number(row.updated / 1000n);
  return p;
}

const KIND_CLASS: Partial<Record<PeerKind, PeerKind>> = {
  user: 'user', bot: 'user', chat: 'chat', channel: 'channel', megagroup: 'channel', gigagroup: 'channel', 'min-channel': 'channel',
};

/** What mtcute's storage holds of a session, as rows to insert (usernames as JSON text). */
export interface MtcuteRows {
  kv: [key: string, value: Uint8Array][];
  authKeys: [dc: number, key: Uint8Array][];
  peers: { id: bigint; hash: string; isMin: boolean; usernames: string; updated: number; phone: string | null }[];
}

export function mtcuteRowsOf(s: Session): MtcuteRows {
  const isBot = selfIsBot(s);
  if (s.user && isBot === undefined) {
    throw new SessionError('missing-field', 'mtcute stores whether the account is a bot: give --bot or --user');
  }
  const main = homeDcEntry(s);
  const out: MtcuteRows = { kv: [], authKeys: [], peers: [] };
  const testMode = s.testMode ?? false;
  if (main) {
    out.kv.push(['dc_main', encodeMtcuteDc(main, testMode)]);
    const media = mtcuteMediaDc(s, main);
    if (media) out.kv.push(['dc_media', encodeMtcuteDc(media, testMode)]);
  }
  if (s.user) {
    const w = new ByteWriter().i32(1, true).i32(isBot ? CURRENT_USER_BOT : 0, true);
    writeInt53(w, s.user.id, 'self user id');
    out.kv.push(['current_user', w.finish()]);
  }
  const u = s.updates;
  if (u.pts || u.qts || u.date || u.seq) {
    for (const f of ['pts', 'qts', 'date', 'seq'] as const) out.kv.push([UPDATE_KEYS[f], int32Bytes(u[f], false)]);
  }
  for (const [id, pts] of u.channels) out.kv.push([CHANNEL_PREFIX + id.toString(), int32Bytes(pts, true)]);

  const keys = new Map<number, Uint8Array>();
  for (const d of main ? [main, ...s.dcs] : s.dcs) {
    if (!d.authKey || keys.has(d.id)) continue;
    if (d.authKey.length !== AUTH_KEY_LEN) {
      throw new SessionError('malformed', `DC ${d.id} has an auth key of ${d.authKey.length} bytes, not 256`);
    }
    keys.set(d.id, d.authKey);
  }
  out.authKeys = [...keys];

  for (const p of s.peers) {
    const cls = KIND_CLASS[p.kind];
    if (!cls) throw new SessionError('unsupported', `mtcute has no ${p.kind} peers (peer ${p.id})`);
    out.peers.push({
      id: markId(p.id, cls),
      hash: cls === 'chat' ? '' : longToFast(p.accessHash),
      isMin: p.kind === 'min-channel',
      usernames: JSON.stringify(p.usernames),
      updated: p.seenAt !== undefined ? p.seenAt * 1000 : 0,
      phone: p.phone ?? null,
    });
  }
  return out;
}
