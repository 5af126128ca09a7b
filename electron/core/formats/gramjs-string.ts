/**
 * GramJS StringSession (spec §4; node_modules/telegram/sessions/StringSession.js): '1' +
 * standard base64 with padding of `u8 dc | i16 BE addr_len | ASCII addr | i16 BE port | [256] key`.
 * GramJS reads a 352-char body as a Telethon IPv4 string and an addr_len over 100 as a raw
 * IPv6, so the writer refuses addresses that would land there, and the reader rejects them.
 */
import { ByteReader, ByteWriter, fromBase64Std, toBase64Std, utf8Strict } from '../bytes.js';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import { AUTH_KEY_LEN, checkDcId, checkPort, isHostText, requireAuthKey } from './field-checks.js';
import type { Capabilities, ReadResult, StringFormat } from './types.js';

const PREFIX = '1';
const FIXED = 1 + 2 + 2 + AUTH_KEY_LEN;
/** GramJS's own limit: a longer length field is read as 16 raw IPv6 bytes. */
const MAX_ADDR = 100;
/** GramJS treats any 352-char body as a Telethon IPv4 string. */
const TELETHON_V4_CHARS = 352;
/** writeInt16BE / readInt16BE: ports above this wrap or throw in GramJS. */
const MAX_PORT = 0x7fff;

export function decodeGramjsString(text: string): ReadResult {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) throw new SessionError('malformed', 'a GramJS session string starts with "1"');
  const body = t.slice(1);
  if (body.length % 4 !== 0) throw new SessionError('malformed', 'GramJS session string: base64 is not padded');
  if (body.length === TELETHON_V4_CHARS) {
    throw new SessionError('malformed', 'a 352-character body is a Telethon IPv4 string, which GramJS reads as such');
  }
  const bytes = fromBase64Std(body, 'GramJS session string');
  const r = new ByteReader(bytes, 'GramJS session string');
  const dcId = checkDcId(r.u8('dc_id'), 'GramJS session string');
  const addrLen = r.i16('addr_len', false);
  if (addrLen < 1 || addrLen > MAX_ADDR || bytes.length !== FIXED + addrLen) {
    throw new SessionError(
      'malformed',
      `GramJS session string: address length ${addrLen} does not match ${bytes.length} bytes (expected ${bytes.length - FIXED})`,
    );
  }
  const address = utf8Strict(r.take(addrLen, 'address'), 'GramJS session string: the address');
  if (!isHostText(address)) throw new SessionError('malformed', 'GramJS session string: the address is not a host');
  const port = checkPort(r.i16('port', false), 'GramJS session string', MAX_PORT);
  const key = r.take(AUTH_KEY_LEN, 'auth_key');
  const s = emptySession();
  s.homeDc = dcId;
  s.dcs = [makeDc({ id: dcId, address, port, authKey: key })];
  return { format: 'gramjs-string', formatVersion: PREFIX, session: s, warnings: [] };
}

export function encodeGramjsString(s: Session): string {
  const dc = homeDcEntry(s);
  const key = requireAuthKey(dc, s.homeDc, 'a GramJS string');
  checkDcId(dc!.id, `DC ${dc!.id}`);
  checkPort(dc!.port, `DC ${dc!.id}`, MAX_PORT);
  const addr = new TextEncoder().encode(dc!.address);
  if (!isHostText(dc!.address) || addr.length > MAX_ADDR) {
    throw new SessionError('unsupported', `DC address "${dc!.address.slice(0, 64)}" cannot be stored in a GramJS string`);
  }
  const w = new ByteWriter();
  w.u8(dc!.id).i16(addr.length, false).bytes(addr).i16(dc!.port, false).bytes(key);
  const body = toBase64Std(w.finish());
  if (body.length === TELETHON_V4_CHARS) {
    throw new SessionError('unsupported', `DC address "${dc!.address}" is too short: GramJS would misread the string`);
  }
  return PREFIX + body;
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
