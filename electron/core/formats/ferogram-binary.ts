/**
 * ferogram-session's binary format (spec §1.2): read v1 (legacy, no version byte) to v8,
 * write v8 only. Counts are u8/u16 in the layout, so the writer refuses what would wrap.
 */
import { ByteReader, ByteWriter, utf8Length, utf8Lossy } from '../bytes.js';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import type { DcEntry, Peer, PeerKind, Session } from '../model/session.js';
import { DcFlag } from '../model/session.js';
import { decodedSession } from './decoded-session.js';
import { formatHostPort, parseHostPort } from '../model/address.js';
import type { BytesFormat, Capabilities, ReadResult } from './types.js';

export const FEROGRAM_VERSION = 8;
const AUTH_KEY_LEN = 256;

const CHANNEL_KIND_CODE: Partial<Record<PeerKind, number>> = { channel: 0, megagroup: 1, gigagroup: 2 };
const CODE_CHANNEL_KIND: PeerKind[] = ['channel', 'megagroup', 'gigagroup'];

export const ferogramCapabilities: Capabilities = holds({
  dcs: 'all',
  keylessDcs: true,
  mediaDcs: true,
  salt: true,
  timeOffset: true,
  dcFlags: true,
  updates: true,
  channelPts: true,
  peers: true,
  peerKinds: ['user', 'chat', 'channel', 'megagroup', 'gigagroup', 'community', 'min-channel'],
  minPeers: true,
  futureAuthToken: true,
});

export function dcFlagsOf(d: DcEntry): number {
  return (
    (d.ipv6 ? DcFlag.IPV6 : 0) |
    (d.mediaOnly ? DcFlag.MEDIA_ONLY : 0) |
    (d.tcpoOnly ? DcFlag.TCPO_ONLY : 0) |
    (d.cdn ? DcFlag.CDN : 0) |
    (d.static ? DcFlag.STATIC : 0)
  );
}

export function dcFromFerogram(
  id: number,
  addr: string,
  flags: number,
  authKey: Uint8Array | undefined,
  salt: bigint,
  timeOffset: number,
): DcEntry {
  const { host, port } = parseHostPort(addr);
  return {
    id,
    address: host,
    port,
    ipv6: (flags & DcFlag.IPV6) !== 0,
    mediaOnly: (flags & DcFlag.MEDIA_ONLY) !== 0,
    tcpoOnly: (flags & DcFlag.TCPO_ONLY) !== 0,
    cdn: (flags & DcFlag.CDN) !== 0,
    static: (flags & DcFlag.STATIC) !== 0,
    authKey,
    salt,
    timeOffset,
  };
}

/** ferogram's CachedPeer flags → our kind, in ferogram's read-back priority. */
export function peerKindFromFerogram(
  isChannel: boolean,
  isChat: boolean,
  channelKind: number | null,
  isCommunity: boolean,
  accessHash: bigint,
): PeerKind {
  if (isCommunity) return 'community';
  if (isChat) return 'chat';
  if (isChannel) {
    if (accessHash === 0n) return 'min-channel';
    return (channelKind !== null ? CODE_CHANNEL_KIND[channelKind] : undefined) ?? 'channel';
  }
  return 'user';
}

/** Our kind → ferogram's CachedPeer fields. Bots are users to ferogram. */
export function ferogramPeerFields(p: Peer): {
  isChannel: boolean;
  isChat: boolean;
  channelKind: number | null;
  isCommunity: boolean;
} {
  return {
    isChannel: p.kind === 'channel' || p.kind === 'megagroup' || p.kind === 'gigagroup' || p.kind === 'min-channel',
    isChat: p.kind === 'chat',
    channelKind: CHANNEL_KIND_CODE[p.kind] ?? null,
    isCommunity: p.kind === 'community',
  };
}

function readDc(r: ByteReader, withFlags: boolean): DcEntry {
  const id = r.i32('dc_id', true);
  const hasKey = r.u8('has_key');
  const key = hasKey === 1 ? r.take(AUTH_KEY_LEN, 'auth_key') : undefined;
  const salt = r.i64('first_salt', true);
  const timeOffset = r.i32('time_offset', true);
  const addrLen = r.u8('addr_len');
  const addr = utf8Lossy(r.peek(addrLen, 'addr'));
  const flags = withFlags ? r.u8('flags') : 0;
  return dcFromFerogram(id, addr, flags, key, salt, timeOffset);
}

function readDcs(r: ByteReader, withFlags: boolean): DcEntry[] {
  const n = r.u8('dc_count');
  const dcs: DcEntry[] = [];
  for (let i = 0; i < n; i++) dcs.push(readDc(r, withFlags));
  return dcs;
}

/** Decodes any version; returns the version read (1 for legacy). */
export function decodeFerogramBinary(bytes: Uint8Array): { session: Session; version: number } {
  return readFerogramBinary(new ByteReader(bytes, 'ferogram session'));
}

/** decodeFerogramBinary from a reader (the native string's reader over its decoded bytes). */
export function readFerogramBinary(r: ByteReader): { session: Session; version: number } {
  const s = decodedSession(0, []);
  const first = r.u8('version');
  if (first < 2 || first > 8) {
    // Legacy v1: no version byte, the first four bytes are the LE home DC id.
    r.offset = 0;
    s.homeDc = r.i32('home_dc_id', true);
    s.dcs = readDcs(r, false);
    return { session: s, version: 1 };
  }
  const v = first;
  s.homeDc = r.i32('home_dc_id', true);
  s.dcs = readDcs(r, v >= 3);
  s.updates.pts = r.i32('pts', true);
  s.updates.qts = r.i32('qts', true);
  s.updates.date = r.i32('date', true);
  s.updates.seq = r.i32('seq', true);
  const nch = r.u16('channel_count', true);
  for (let i = 0; i < nch; i++) {
    const id = r.i64('channel_id', true);
    s.updates.channels.set(id, r.i32('channel_pts', true));
  }
  const np = r.u16('peer_count', true);
  for (let i = 0; i < np; i++) {
    const id = r.i64('peer id', true);
    const accessHash = r.i64('access_hash', true);
    const type = r.u8('peer type');
    let channelKind: number | null = null;
    if (v >= 6) {
      const ck = r.u8('channel_kind');
      channelKind = ck <= 2 ? ck : null;
    }
    const isCommunity = v >= 8 ? r.u8('is_community') !== 0 : false;
    const kind = peerKindFromFerogram(type === 1, type === 2, channelKind, isCommunity, accessHash);
    s.peers.push({ id, kind, accessHash, usernames: [] });
  }
  if (v >= 4) {
    const nm = r.u16('min_peer_count', true);
    for (let i = 0; i < nm; i++) {
      s.minPeers.push({
        userId: r.i64('min user_id', true),
        peerId: r.i64('min peer_id', true),
        msgId: r.i32('min msg_id', true),
      });
    }
  }
  if (v >= 7 && r.u8('has_token') === 1) {
    const len = r.u16('token_len', true);
    s.futureAuthToken = r.take(len, 'future_auth_token');
  }
  return { session: s, version: v };
}

function checkCount(n: number, max: number, what: string): number {
  if (n > max) {
    throw new SessionError('too-large', `ferogram v8 holds at most ${max} ${what}; this session has ${n}`);
  }
  return n;
}

export function encodeFerogramBinary(s: Session): Uint8Array {
  const w = new ByteWriter();
  writeFerogramBinary(w, s);
  return w.finish();
}

/** The v8 layout into any writer (the native string encoder passes its reused one). */
export function writeFerogramBinary(w: ByteWriter, s: Session): void {
  w.u8(FEROGRAM_VERSION).i32(s.homeDc, true);
  w.u8(checkCount(s.dcs.length, 255, 'DC entries'));
  for (const d of s.dcs) {
    if (d.authKey && d.authKey.length !== AUTH_KEY_LEN) {
      throw new SessionError('malformed', `DC ${d.id} has an auth key of ${d.authKey.length} bytes, not 256`);
    }
    const addr = formatHostPort(d.address, d.port);
    w.i32(d.id, true).u8(d.authKey ? 1 : 0);
    if (d.authKey) w.bytes(d.authKey);
    w.i64(d.salt, true).i32(d.timeOffset, true);
    w.u8(checkCount(utf8Length(addr), 255, 'address bytes')).utf8(addr).u8(dcFlagsOf(d));
  }
  const u = s.updates;
  w.i32(u.pts, true).i32(u.qts, true).i32(u.date, true).i32(u.seq, true);
  w.u16(checkCount(u.channels.size, 65535, 'channel pts entries'), true);
  for (const [id, pts] of u.channels) w.i64(id, true).i32(pts, true);
  w.u16(checkCount(s.peers.length, 65535, 'peers'), true);
  for (const p of s.peers) {
    const f = ferogramPeerFields(p);
    w.i64(p.id, true).i64(p.accessHash, true);
    w.u8(f.isChat ? 2 : f.isChannel ? 1 : 0).u8(f.channelKind ?? 0xff).u8(f.isCommunity ? 1 : 0);
  }
  w.u16(checkCount(s.minPeers.length, 65535, 'min peers'), true);
  for (const m of s.minPeers) w.i64(m.userId, true).i64(m.peerId, true).i32(m.msgId, true);
  if (s.futureAuthToken) {
    w.u8(1).u16(checkCount(s.futureAuthToken.length, 65535, 'future auth token bytes'), true);
    w.bytes(s.futureAuthToken);
  } else {
    w.u8(0);
  }
}

function toResult(bytes: Uint8Array): ReadResult {
  const { session, version } = decodeFerogramBinary(bytes);
  return { format: 'ferogram', formatVersion: version, session, warnings: [] };
}

export const ferogramBinary: BytesFormat = {
  id: 'ferogram',
  label: 'ferogram binary session file',
  library: 'ferogram (Rust)',
  medium: 'bytes',
  capabilities: ferogramCapabilities,
  sniff: (b) => b.length >= 5 && b[0]! >= 2 && b[0]! <= 8,
  decode: toResult,
  encode: (s) => encodeFerogramBinary(s),
};
