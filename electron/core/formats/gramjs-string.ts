/**
 * GramJS StringSession (spec §4; node_modules/telegram/sessions/StringSession.js): '1' +
 * standard base64 with padding of `u8 dc | i16 BE addr_len | ASCII addr | i16 BE port | [256] key`.
 * GramJS reads a 352-char body as a Telethon IPv4 string and an addr_len over 100 as a raw
 * IPv6, so the writer refuses addresses that would land there, and the reader rejects them.
 */
import { fromBase64Std, i16be, latin1At, utf8Length, viewOf, writeBase64 } from '../bytes.js';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { homeDcEntry } from '../model/session.js';
import { decodedDc, decodedSession } from './decoded-session.js';
import { AUTH_KEY_LEN, checkDcId, checkPort, isHostText, requireAuthKey } from './field-checks.js';
import type { Capabilities, ReadResult, StringFormat } from './types.js';

const PREFIX = '1';
const PREFIX_CODE = 49;
const FIXED = 1 + 2 + 2 + AUTH_KEY_LEN;
/** GramJS's own limit: a longer length field is read as 16 raw IPv6 bytes. */
const MAX_ADDR = 100;
/** GramJS treats any 352-char body as a Telethon IPv4 string. */
const TELETHON_V4_CHARS = 352;
/** writeInt16BE / readInt16BE: ports above this wrap or throw in GramJS. */
const MAX_PORT = 0x7fff;

export function decodeGramjsString(text: string): ReadResult {
  const t = text.trim();
  if (t.charCodeAt(0) !== PREFIX_CODE) throw new SessionError('malformed', 'a GramJS session string starts with "1"');
  const chars = t.length - PREFIX.length;
  if (chars % 4 !== 0) throw new SessionError('malformed', 'GramJS session string: base64 is not padded');
  if (chars === TELETHON_V4_CHARS) {
    throw new SessionError('malformed', 'a 352-character body is a Telethon IPv4 string, which GramJS reads as such');
  }
  // Fields are read at their offsets once the address length is checked against the size.
  // The decoded bytes are this string's alone: the key is a view on them, not a copy.
  const b = fromBase64Std(t.slice(PREFIX.length), 'GramJS session string');
  const size = b.length;
  if (size < 3) throw new SessionError('truncated', `GramJS session string is truncated: ${size} bytes`);
  const dcId = checkDcId(b[0]!, 'GramJS session string');
  const addrLen = i16be(b, 1);
  if (addrLen < 1 || addrLen > MAX_ADDR || size !== FIXED + addrLen) {
    throw new SessionError(
      'malformed',
      `GramJS session string: address length ${addrLen} does not match ${size} bytes (expected ${size - FIXED})`,
    );
  }
  // A host is ASCII, so Latin-1 reads it as UTF-8 would, and anything else fails the check.
  const address = latin1At(b, 3, addrLen);
  if (!isHostText(address)) throw new SessionError('malformed', 'GramJS session string: the address is not a host');
  const port = checkPort(i16be(b, 3 + addrLen), 'GramJS session string', MAX_PORT);
  const key = viewOf(b, 5 + addrLen, size);
  const s = decodedSession(dcId, [decodedDc(dcId, address, port, address.includes(':'), key)]);
  return { format: 'gramjs-string', formatVersion: PREFIX, session: s, warnings: [] };
}

export function encodeGramjsString(s: Session): string {
  const dc = homeDcEntry(s);
  const key = requireAuthKey(dc, s.homeDc, 'a GramJS string');
  checkDcId(dc!.id, `DC ${dc!.id}`);
  checkPort(dc!.port, `DC ${dc!.id}`, MAX_PORT);
  const address = dc!.address;
  const addrLen = utf8Length(address);
  if (!isHostText(address) || addrLen > MAX_ADDR) {
    throw new SessionError('unsupported', `DC address "${address.slice(0, 64)}" cannot be stored in a GramJS string`);
  }
  if (Math.ceil((FIXED + addrLen) / 3) * 4 === TELETHON_V4_CHARS) {
    throw new SessionError('unsupported', `DC address "${address}" is too short: GramJS would misread the string`);
  }
  return PREFIX + writeBase64('base64', (w) => w.u8(dc!.id).i16(addrLen, false).utf8(address).i16(dc!.port, false).bytes(key));
}

export const gramjsStringCapabilities: Capabilities = holds({
  requires: ['authKey'],
});

export const gramjsString: StringFormat = {
  id: 'gramjs-string',
  label: 'GramJS StringSession',
  library: 'GramJS (npm telegram): StringSession',
  medium: 'string',
  capabilities: gramjsStringCapabilities,
  decode: decodeGramjsString,
  encode: encodeGramjsString,
};
