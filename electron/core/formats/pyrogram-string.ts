/**
 * Pyrogram session strings (spec §3.4, same in every fork): b64url with '=' stripped of a
 * big-endian struct, told apart by length alone, exactly as Pyrogram does.
 *   old      351 chars  >B?256sI?   dc, test_mode, key, user_id u32, is_bot
 *   old-64   356 chars  >B?256sQ?   same with user_id u64
 *   current  362 chars  >BI?256sQ?  dc, api_id u32, test_mode, key, user_id u64, is_bot
 * Strict beyond Pyrogram's struct.unpack: booleans must be 0 or 1 and the DC must be one
 * Pyrogram can connect to, so another library's string of the same length fails.
 */
import { fromBase64Url, stripPadding, u32be, u64be, viewOf, writeBase64 } from '../bytes.js';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { decodedDc, decodedSession } from './decoded-session.js';
import { pyrogramCore, pyrogramDcAddress } from './pyrogram-common.js';
import type { Capabilities, ReadResult, StringFormat, WriteOptions } from './types.js';

type Layout = 'old' | 'old-64' | 'current';

/** By length alone, as Pyrogram does: 351, 356 and 362 digits decode to exactly the 263, 267 and 271 bytes of the structs. */
function layoutOf(chars: number): Layout | undefined {
  return chars === 362 ? 'current' : chars === 356 ? 'old-64' : chars === 351 ? 'old' : undefined;
}
const KEY_LEN = 256;

function bool(b: number, field: string): boolean {
  if (b > 1) throw new SessionError('malformed', `Pyrogram session string: ${field} byte is ${b}, not 0 or 1`);
  return b === 1;
}

/** The line saying where the address came from, built once per DC (strings are read in bulk). */
const INFERENCES = new Map<number, string>();
function inference(dcId: number, testMode: boolean, addr: { address: string; port: number }): string {
  const k = dcId * 2 + (testMode ? 1 : 0);
  let line = INFERENCES.get(k);
  if (line === undefined) {
    line = `DC ${dcId} address ${addr.address}:${addr.port}: from Pyrogram's DC table (the string stores only the DC id)`;
    INFERENCES.set(k, line);
  }
  return line;
}

export function decodePyrogramString(text: string): ReadResult {
  const body = stripPadding(text.trim());
  const layout = layoutOf(body.length);
  if (layout === undefined) {
    throw new SessionError(
      'unknown-format',
      `a Pyrogram session string has 351, 356 or 362 characters, not ${body.length}`,
    );
  }
  // The length fixed the layout, so the fields are read at their offsets. The decoded bytes
  // are this string's alone: the key is a view on them, not a copy.
  const b = fromBase64Url(body, 'Pyrogram session string');
  const dcId = b[0]!;
  const apiId = layout === 'current' ? u32be(b, 1) : undefined;
  const at = layout === 'current' ? 5 : 1;
  const testMode = bool(b[at]!, 'test_mode');
  const authKey = viewOf(b, at + 1, at + 1 + KEY_LEN);
  const userAt = at + 1 + KEY_LEN;
  const userId = layout === 'old' ? BigInt(u32be(b, userAt)) : u64be(b, userAt);
  const isBot = bool(b[b.length - 1]!, 'is_bot');
  const addr = pyrogramDcAddress(dcId, testMode);
  if (!addr) {
    throw new SessionError('malformed', `Pyrogram session string names ${testMode ? 'test' : 'production'} DC ${dcId}, which Pyrogram does not have`);
  }
  const s = decodedSession(dcId, [decodedDc(dcId, addr.address, addr.port, false, authKey)]);
  s.testMode = testMode;
  s.user = { id: userId, isBot };
  if (apiId !== undefined) s.apiId = apiId;
  return { format: 'pyrogram-string', formatVersion: layout, session: s, warnings: [], inferences: [inference(dcId, testMode, addr)] };
}

/** Current layout by default; opts.legacy writes the old 64-bit one (no api_id). */
export function encodePyrogramString(s: Session, opts: WriteOptions = {}): string {
  const legacy = opts.legacy === true;
  const c = pyrogramCore(s, legacy ? 'an old Pyrogram session string' : 'a Pyrogram session string', !legacy);
  return writeBase64('base64url', (w) => {
    w.u8(c.dcId);
    if (!legacy) w.u32(c.apiId!, false);
    w.u8(c.testMode ? 1 : 0).bytes(c.authKey).u64(c.userId, false).u8(c.isBot ? 1 : 0);
  });
}

export const pyrogramStringCapabilities: Capabilities = holds({
  user: 'id-and-bot',
  testMode: true,
  apiId: true,
  requires: ['user', 'isBot', 'apiId', 'authKey'],
});

export const pyrogramString: StringFormat = {
  id: 'pyrogram-string',
  label: 'Pyrogram session string',
  library: 'Pyrogram, Kurigram, Pyrofork: export_session_string / session_string=',
  medium: 'string',
  capabilities: pyrogramStringCapabilities,
  decode: decodePyrogramString,
  encode: encodePyrogramString,
};
