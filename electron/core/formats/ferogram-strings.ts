/**
 * ferogram's two string families (spec §1.3): the native string (b64url-nopad of the v8
 * binary, full state) and the compact V1/V2 strings (one DC, BE integers, user id).
 */
import { ByteReader, ByteWriter, fromBase64Url, toBase64Url } from '../bytes.js';
import { SessionError } from '../errors.js';
import { ipBytesToText, ipTextToBytes } from '../model/ip.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import { decodeFerogramBinary, encodeFerogramBinary, ferogramCapabilities } from './ferogram-binary.js';
import type { Capabilities, ReadResult, StringFormat, WriteOptions } from './types.js';

export function decodeNativeString(text: string): ReadResult {
  const body = text.trim();
  if (body.length === 0) throw new SessionError('malformed', 'the session string is empty');
  const bytes = fromBase64Url(body, 'ferogram session string');
  const { session, version } = decodeFerogramBinary(bytes);
  return { format: 'ferogram-string', formatVersion: version, session, warnings: [] };
}

export const ferogramString: StringFormat = {
  id: 'ferogram-string',
  label: 'ferogram native session string',
  library: 'ferogram (Rust): Session::from_string',
  medium: 'string',
  capabilities: ferogramCapabilities,
  decode: decodeNativeString,
  encode: (s) => toBase64Url(encodeFerogramBinary(s)),
};

const KEY_LEN = 256;

/** Byte length of a compact string for a version and IP type. */
export function compactLength(version: 1 | 2, ipType: 4 | 6): number {
  const ip = ipType === 4 ? 4 : 16;
  return 3 + ip + 2 + 8 + (version === 1 ? 16 : 0) + KEY_LEN;
}

export function decodeCompactBytes(bytes: Uint8Array): ReadResult {
  const r = new ByteReader(bytes, 'ferogram compact string');
  const version = r.u8('version');
  if (version !== 1 && version !== 2) {
    throw new SessionError('unsupported', `ferogram compact string version ${version} is not 1 or 2`);
  }
  const dcId = r.u8('dc_id');
  const ipType = r.u8('ip_type');
  if (ipType !== 4 && ipType !== 6) {
    throw new SessionError('malformed', `ferogram compact string has ip_type ${ipType}, not 4 or 6`);
  }
  if (bytes.length < compactLength(version, ipType)) {
    throw new SessionError(
      'truncated',
      `ferogram compact V${version} string is truncated: ${bytes.length} bytes, needs ${compactLength(version, ipType)}`,
    );
  }
  const ip = ipBytesToText(r.take(ipType === 4 ? 4 : 16, 'ip'));
  const port = r.u16('port', false);
  const userId = r.i64('user_id', false);
  const s = emptySession();
  let salt = 0n;
  if (version === 1) {
    salt = r.i64('server_salt', false);
    s.seqNo = r.u32('seq_no', false);
    s.layer = r.u32('layer', false);
  }
  const key = r.take(KEY_LEN, 'auth_key');
  s.homeDc = dcId;
  s.user = { id: userId };
  s.dcs = [makeDc({ id: dcId, address: ip, port, ipv6: ipType === 6, authKey: key, salt })];
  return { format: 'ferogram-compact', formatVersion: `V${version}`, session: s, warnings: [] };
}

export function decodeCompactString(text: string): ReadResult {
  return decodeCompactBytes(fromBase64Url(text.trim(), 'ferogram compact string'));
}

export function encodeCompactString(s: Session, opts: WriteOptions = {}): string {
  const dc = homeDcEntry(s);
  if (!dc?.authKey) {
    throw new SessionError('missing-field', `the session has no auth key for its home DC ${s.homeDc}`);
  }
  if (s.user === undefined) {
    throw new SessionError('missing-field', 'a ferogram compact string needs the user id (give --user-id)');
  }
  if (dc.id < 0 || dc.id > 255) throw new SessionError('too-large', `DC id ${dc.id} does not fit one byte`);
  const ip = ipTextToBytes(dc.address);
  if (!ip) {
    throw new SessionError('unsupported', `home DC address "${dc.address}" is not an IP address`);
  }
  const w = new ByteWriter();
  w.u8(opts.legacy ? 1 : 2).u8(dc.id).u8(ip.length === 4 ? 4 : 6).bytes(ip).u16(dc.port, false);
  w.i64(s.user.id, false);
  if (opts.legacy) w.i64(dc.salt, false).u32(s.seqNo ?? 0, false).u32(s.layer ?? 0, false);
  w.bytes(dc.authKey);
  return toBase64Url(w.finish());
}

export const compactCapabilities: Capabilities = holds({
  user: 'id',
  seqNoAndLayer: true,
  requires: ['user', 'authKey'],
});

export const ferogramCompact: StringFormat = {
  id: 'ferogram-compact',
  label: 'ferogram compact session string',
  library: 'ferogram (Rust): export_session_string / import',
  medium: 'string',
  capabilities: compactCapabilities,
  decode: decodeCompactString,
  encode: encodeCompactString,
};

/** ferogram's builder: try compact first, else native. */
export function decodeFerogramAny(text: string): ReadResult {
  try {
    return decodeCompactString(text);
  } catch {
    return decodeNativeString(text);
  }
}
