/**
 * Telethon 1.x StringSession (spec §2.2): '1' + b64url WITH padding of `>B{4|16}sH256s`
 * (dc id, packed IP, BE port, auth key). 352 characters after the '1' is IPv4, 368 is IPv6;
 * nothing else is stored. Decoding is strict so GramJS and Pyrogram strings do not fit.
 */
import { canonicalTail, decodeBase64Digits, viewOf, writeBase64 } from '../bytes.js';
import { SessionError } from '../errors.js';
import { ipBytesToText, ipTextToBytes } from '../model/ip.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { homeDcEntry } from '../model/session.js';
import { decodedDc, decodedSession } from './decoded-session.js';
import type { Capabilities, ReadResult, StringFormat } from './types.js';

const PREFIX = '1';
const PREFIX_CODE = 49;
const EQUALS = 61;
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
  for (let i = 3; i < 3 + GRAMJS_ADDR_LEN_AT_275; i++) if (bytes[i]! < 0x21 || bytes[i]! > 0x7e) return false;
  return true;
}

function isZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function decodeTelethonString(text: string): ReadResult {
  const t = text.trim();
  if (t.charCodeAt(0) !== PREFIX_CODE) throw new SessionError('unknown-format', 'a Telethon string session starts with "1"');
  const chars = t.length - PREFIX.length;
  const ipLen = IP_LEN_BY_CHARS.get(chars);
  if (ipLen === undefined) {
    throw new SessionError(
      'malformed',
      `a Telethon string session has 352 (IPv4) or 368 (IPv6) characters after the "1", not ${chars}`,
    );
  }
  // Exactly one '=' of padding, the URL-safe alphabet, and canonical trailing bits. (Without the
  // '=' there are no digits to decode, and an empty decode is no layout to read.)
  const padded = t.charCodeAt(t.length - 1) === EQUALS;
  const digits = t.slice(PREFIX.length, -1);
  const bytes = padded ? decodeBase64Digits(digits, 'base64url') : undefined;
  if (bytes === undefined || !canonicalTail(digits)) {
    throw new SessionError('malformed', 'a Telethon string session is not padded URL-safe base64');
  }
  // The length checks above fix the layout: dc id, IP, BE port, key.
  const dcId = bytes[0]!;
  if (dcId === 0) throw new SessionError('malformed', 'a Telethon string session has DC id 0');
  const address = ipBytesToText(viewOf(bytes, 1, 1 + ipLen));
  const port = (bytes[1 + ipLen]! << 8) | bytes[2 + ipLen]!;
  const keyAt = 3 + ipLen;
  const warnings: string[] = [];
  // Both libraries' layouts fit these bytes: the detector asks the user, and this says why.
  if (looksLikeGramJs(bytes)) warnings.push('these bytes also read as a GramJS string session (a length-prefixed text address)');
  // Telethon treats an all-zero key as no key (`if any(key)`).
  const keyed = !isZero(bytes, keyAt);
  if (!keyed) warnings.push('the auth key is all zeros: Telethon reads this as no key');
  const authKey = keyed ? viewOf(bytes, keyAt, keyAt + KEY_LEN) : undefined;
  const s = decodedSession(dcId, [decodedDc(dcId, address, port, ipLen === 16, authKey)]);
  return { format: 'telethon-string', formatVersion: PREFIX, session: s, warnings };
}

export function encodeTelethonString(s: Session): string {
  const dc = homeDcEntry(s);
  if (!dc?.authKey) throw new SessionError('missing-field', `the session has no auth key for its home DC ${s.homeDc}`);
  const key = dc.authKey;
  if (key.length !== KEY_LEN) {
    throw new SessionError('malformed', `DC ${dc.id} has an auth key of ${key.length} bytes, not 256`);
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
  // 263 and 275 bytes both end in a group of two: three digits and one '='.
  return `${PREFIX}${writeBase64('base64url', (w) => w.u8(dc.id).bytes(ip).u16(dc.port, false).bytes(key))}=`;
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
