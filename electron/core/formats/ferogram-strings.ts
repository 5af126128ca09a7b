/**
 * ferogram's two string families (spec §1.3): the native string (b64url-nopad of the v8
 * binary, full state) and the compact V1/V2 strings (one DC, BE integers, user id).
 */
import { base64Reader, ByteReader, writeBase64 } from '../bytes.js';
import { SessionError } from '../errors.js';
import { ipBytesToText, ipTextToBytes } from '../model/ip.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { homeDcEntry } from '../model/session.js';
import { decodedDc, decodedSession } from './decoded-session.js';
import { ferogramCapabilities, readFerogramBinary, writeFerogramBinary } from './ferogram-binary.js';
import type { Capabilities, ReadResult, StringFormat, WriteOptions } from './types.js';

export function decodeNativeString(text: string): ReadResult {
  const body = text.trim();
  if (body.length === 0) throw new SessionError('malformed', 'the session string is empty');
  const { session, version } = readFerogramBinary(base64Reader(body, 'base64url', 'ferogram session string'));
  return { format: 'ferogram-string', formatVersion: version, session, warnings: [] };
}

export const ferogramString: StringFormat = {
  id: 'ferogram-string',
  label: 'ferogram native session string',
  library: 'ferogram (Rust): Session::from_string',
  medium: 'string',
  capabilities: ferogramCapabilities,
  decode: decodeNativeString,
  encode: (s) => writeBase64('base64url', (w) => writeFerogramBinary(w, s)),
};

const KEY_LEN = 256;

/** Byte length of a compact string for a version and IP type. */
export function compactLength(version: 1 | 2, ipType: 4 | 6): number {
  const ip = ipType === 4 ? 4 : 16;
  return 3 + ip + 2 + 8 + (version === 1 ? 16 : 0) + KEY_LEN;
}

export function decodeCompactBytes(bytes: Uint8Array): ReadResult {
  return readCompact(new ByteReader(bytes, 'ferogram compact string'));
}

function readCompact(r: ByteReader): ReadResult {
  const total = r.remaining;
  const version = r.u8('version');
  if (version !== 1 && version !== 2) {
    throw new SessionError('unsupported', `ferogram compact string version ${version} is not 1 or 2`);
  }
  const dcId = r.u8('dc_id');
  const ipType = r.u8('ip_type');
  if (ipType !== 4 && ipType !== 6) {
    throw new SessionError('malformed', `ferogram compact string has ip_type ${ipType}, not 4 or 6`);
  }
  if (total < compactLength(version, ipType)) {
    throw new SessionError(
      'truncated',
      `ferogram compact V${version} string is truncated: ${total} bytes, needs ${compactLength(version, ipType)}`,
    );
  }
  const ip = ipBytesToText(r.peek(ipType === 4 ? 4 : 16, 'ip'));
  const port = r.u16('port', false);
  const userId = r.i64('user_id', false);
  const salt = version === 1 ? r.i64('server_salt', false) : 0n;
  const seqNo = version === 1 ? r.u32('seq_no', false) : undefined;
  const layer = version === 1 ? r.u32('layer', false) : undefined;
  const key = r.take(KEY_LEN, 'auth_key');
  const s = decodedSession(dcId, [decodedDc(dcId, ip, port, ipType === 6, key, false, salt)]);
  s.user = { id: userId };
  if (seqNo !== undefined) s.seqNo = seqNo;
  if (layer !== undefined) s.layer = layer;
  return { format: 'ferogram-compact', formatVersion: `V${version}`, session: s, warnings: [] };
}

export function decodeCompactString(text: string): ReadResult {
  return readCompact(base64Reader(text.trim(), 'base64url', 'ferogram compact string'));
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
  const key = dc.authKey;
  const userId = s.user.id;
  return writeBase64('base64url', (w) => {
    w.u8(opts.legacy ? 1 : 2).u8(dc.id).u8(ip.length === 4 ? 4 : 6).bytes(ip).u16(dc.port, false);
    w.i64(userId, false);
    if (opts.legacy) w.i64(dc.salt, false).u32(s.seqNo ?? 0, false).u32(s.layer ?? 0, false);
    w.bytes(key);
  });
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
