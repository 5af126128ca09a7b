/**
 * GramJS StringSession (spec §4; node_modules/telegram/sessions/StringSession.js): '1' +
 * standard base64 with padding of `u8 dc | i16 BE addr_len | ASCII addr | i16 BE port | [256] key`.
 * GramJS reads a 352-char body as a Telethon IPv4 string and an addr_len over 100 as a raw
 * IPv6, so the writer refuses addresses that would land there, and the reader rejects them.
 */
import { base64Reader, utf8Length, writeBase64 } from '../bytes.js';
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
  // The decoded bytes are this reader's alone: the key is a view on them, not a copy.
  const r = base64Reader(t, 'base64', 'GramJS session string', PREFIX.length);
  const size = r.remaining;
  const dcId = checkDcId(r.u8('dc_id'), 'GramJS session string');
  const addrLen = r.i16('addr_len', false);
  if (addrLen < 1 || addrLen > MAX_ADDR || size !== FIXED + addrLen) {
    throw new SessionError(
      'malformed',
      `GramJS session string: address length ${addrLen} does not match ${size} bytes (expected ${size - FIXED})`,
    );
  }
  // A host is ASCII, so Latin-1 reads it as UTF-8 would, and anything else fails the check.
  const address = r.latin1(addrLen, 'address');
  if (!isHostText(address)) throw new SessionError('malformed', 'GramJS session string: the address is not a host');
  const port = checkPort(r.i16('port', false), 'GramJS session string', MAX_PORT);
  const key = r.take(AUTH_KEY_LEN, 'auth_key');
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
