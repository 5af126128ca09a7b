/**
 * Telethon 1.x StringSession (spec §2.2): '1' + b64url WITH padding of `>B{4|16}sH256s`
 * (dc id, packed IP, BE port, auth key). 352 characters after the '1' is IPv4, 368 is IPv6;
 * nothing else is stored. Decoding is strict so GramJS and Pyrogram strings do not fit.
 */
import { ByteReader, ByteWriter, toBase64Url } from '../bytes.js';
import { SessionError } from '../errors.js';
import { ipBytesToText, ipTextToBytes } from '../model/ip.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import type { Capabilities, ReadResult, StringFormat } from './types.js';

const PREFIX = '1';
const KEY_LEN = 256;
/** Characters after the prefix → packed IP length. */
const IP_LEN_BY_CHARS = new Map([
  [352, 4],
  [368, 16],
]);
/** GramJS's string (u8 dc | u16 addr_len | addr | u16 port | key) with a 14-char IPv4 is also 275 bytes. */
const GRAMJS_ADDR_LEN_AT_275 = 275 - 261;

export const telethonStringCapabilities: Capabilities = holds({
  requires: ['authKey'],
});

function looksLikeGramJs(bytes: Uint8Array): boolean {
  if (bytes.length !== 275 || ((bytes[1]! << 8) | bytes[2]!) !== GRAMJS_ADDR_LEN_AT_275) return false;
  return bytes.subarray(3, 3 + GRAMJS_ADDR_LEN_AT_275).every((b) => b >= 0x21 && b <= 0x7e);
}

export function decodeTelethonString(text: string): ReadResult {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) throw new SessionError('unknown-format', 'a Telethon string session starts with "1"');
  const body = t.slice(PREFIX.length);
  const ipLen = IP_LEN_BY_CHARS.get(body.length);
  if (ipLen === undefined) {
    throw new SessionError(
      'malformed',
      `a Telethon string session has 352 (IPv4) or 368 (IPv6) characters after the "1", not ${body.length}`,
    );
  }
  const bytes = new Uint8Array(Buffer.from(body, 'base64url'));
  // Exactly one '=' of padding, the URL-safe alphabet, and canonical trailing bits.
  if (!/^[A-Za-z0-9_-]+=$/.test(body) || toBase64Url(bytes, true) !== body) {
    throw new SessionError('malformed', 'a Telethon string session is not padded URL-safe base64');
  }
  const r = new ByteReader(bytes, 'Telethon string session');
  const dcId = r.u8('dc_id');
  if (dcId === 0) throw new SessionError('malformed', 'a Telethon string session has DC id 0');
  const address = ipBytesToText(r.take(ipLen, 'ip'));
  const port = r.u16('port', false);
  const key = r.take(KEY_LEN, 'auth_key');
  const s = emptySession();
  s.homeDc = dcId;
  const dc = makeDc({ id: dcId, address, port, ipv6: ipLen === 16 });
  const warnings: string[] = [];
  // Both libraries' layouts fit these bytes: the detector asks the user, and this says why.
  if (looksLikeGramJs(bytes)) warnings.push('these bytes also read as a GramJS string session (a length-prefixed text address)');
  // Telethon treats an all-zero key as no key (`if any(key)`).
  if (key.some((b) => b !== 0)) dc.authKey = key;
  else warnings.push('the auth key is all zeros: Telethon reads this as no key');
  s.dcs = [dc];
  return { format: 'telethon-string', formatVersion: PREFIX, session: s, warnings };
}

export function encodeTelethonString(s: Session): string {
  const dc = homeDcEntry(s);
  if (!dc?.authKey) throw new SessionError('missing-field', `the session has no auth key for its home DC ${s.homeDc}`);
  if (dc.authKey.length !== KEY_LEN) {
    throw new SessionError('malformed', `DC ${dc.id} has an auth key of ${dc.authKey.length} bytes, not 256`);
  }
  if (dc.id < 1 || dc.id > 255) throw new SessionError('too-large', `DC id ${dc.id} does not fit a Telethon string (1–255)`);
  if (dc.port < 0 || dc.port > 65535) throw new SessionError('malformed', `DC port ${dc.port} is not 0–65535`);
  const ip = ipTextToBytes(dc.address);
  if (!ip) {
    throw new SessionError(
      'unsupported',
      `a Telethon string session holds an IP address; the home DC address "${dc.address.slice(0, 64)}" is a host name`,
    );
  }
  const w = new ByteWriter().u8(dc.id).bytes(ip).u16(dc.port, false).bytes(dc.authKey);
  return PREFIX + toBase64Url(w.finish(), true);
}

export const telethonString: StringFormat = {
  id: 'telethon-string',
  label: 'Telethon string session',
  library: 'Telethon 1.x (Python): StringSession',
  medium: 'string',
  capabilities: telethonStringCapabilities,
  decode: decodeTelethonString,
  encode: encodeTelethonString,
};
