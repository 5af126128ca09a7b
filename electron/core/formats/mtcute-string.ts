/**
 * mtcute string sessions, v3 (spec §5; @mtcute/core highlevel/utils/string-session.ts):
 * b64url-nopad of `u8 3 | i32 LE flags | TL bytes(main DC blob) | [TL bytes(media DC blob)]
 * | [int53 self id + TL Bool is_bot] | TL bytes(auth key)`. The DC blob codec is shared
 * with mtcute's SQLite key_value rows (dc_main, dc_media).
 */
import { base64Reader, ByteReader, ByteWriter, utf8Length, writeBase64 } from '../bytes.js';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import type { DcEntry, Session } from '../model/session.js';
import { homeDcEntry } from '../model/session.js';
import { selfIsBot } from '../model/self-user.js';
import { decodedDc, decodedSession } from './decoded-session.js';
import { AUTH_KEY_LEN, checkDcId, checkPort, isHostText, requireAuthKey } from './field-checks.js';
import {
  readInt53,
  readTlBool,
  readTlBytes,
  readTlLength,
  readTlPadding,
  tlBytesSize,
  writeInt53,
  writeTlBool,
  writeTlBytes,
  writeTlLength,
  writeTlPadding,
  writeTlString,
} from './tl-bytes.js';
import type { Capabilities, ReadResult, StringFormat } from './types.js';

const VERSION = 3;
const FLAG_SELF = 1;
const FLAG_TEST_OLD = 2;
const FLAG_MEDIA = 4;
const DC_IPV6 = 1;
const DC_MEDIA_ONLY = 2;
const DC_TEST = 4;

export interface MtcuteDc {
  dc: DcEntry;
  testMode: boolean;
}

/** mtcute's "basic DC option": `u8 version (1|2) | u8 id | u8 flags | TL string ip | i32 LE port`. */
export function decodeMtcuteDc(blob: Uint8Array, what: string): MtcuteDc {
  // Nothing read here is kept as bytes (the address becomes text), so no copies.
  return readMtcuteDc(new ByteReader(blob, what, true), what);
}

/** A DC option held in TL bytes inside r, read in place. */
function readDcField(r: ByteReader, field: string, what: string): MtcuteDc {
  const len = readTlLength(r, field);
  const dc = readMtcuteDc(r.sub(len, field, what), what);
  readTlPadding(r, field, len);
  return dc;
}

function readMtcuteDc(r: ByteReader, what: string): MtcuteDc {
  const version = r.u8('version');
  if (version !== 1 && version !== 2) throw new SessionError('unsupported', `${what} has version ${version}, not 1 or 2`);
  const id = checkDcId(r.u8('dc_id'), what);
  const flags = r.u8('flags');
  if ((flags & ~(DC_IPV6 | DC_MEDIA_ONLY | DC_TEST)) !== 0) {
    throw new SessionError('malformed', `${what} has unknown flags 0x${flags.toString(16)}`);
  }
  // A host is ASCII, so Latin-1 reads it as UTF-8 would, and anything else fails the check.
  const ipLen = readTlLength(r, 'ip');
  const address = r.latin1(ipLen, 'ip');
  readTlPadding(r, 'ip', ipLen);
  if (!isHostText(address)) throw new SessionError('malformed', `${what} has an address that is not a host`);
  const port = checkPort(r.i32('port', true), what);
  if (r.remaining !== 0) throw new SessionError('malformed', `${what} has ${r.remaining} trailing byte(s)`);
  const ipv6 = (flags & DC_IPV6) !== 0;
  return {
    dc: decodedDc(id, address, port, ipv6, undefined, (flags & DC_MEDIA_ONLY) !== 0),
    testMode: version === 2 && (flags & DC_TEST) !== 0,
  };
}

export function encodeMtcuteDc(dc: DcEntry, testMode: boolean): Uint8Array {
  const w = new ByteWriter();
  writeMtcuteDc(w, dc, testMode);
  return w.finish();
}

function writeMtcuteDc(w: ByteWriter, dc: DcEntry, testMode: boolean): void {
  checkDcId(dc.id, `DC ${dc.id}`);
  checkPort(dc.port, `DC ${dc.id}`, 0x7fffffff);
  w.u8(2).u8(dc.id).u8((dc.ipv6 ? DC_IPV6 : 0) | (dc.mediaOnly ? DC_MEDIA_ONLY : 0) | (testMode ? DC_TEST : 0));
  writeTlString(w, dc.address);
  w.i32(dc.port, true);
}

/** A DC option as TL bytes, written in place: its size is known from the address. */
function writeDcField(w: ByteWriter, dc: DcEntry, testMode: boolean): void {
  const size = 3 + tlBytesSize(utf8Length(dc.address)) + 4;
  writeTlLength(w, size);
  writeMtcuteDc(w, dc, testMode);
  writeTlPadding(w, size);
}

/**
 * The media entry mtcute keeps beside the main one: same id, media only, the main one's
 * family if there is one (the projection keeps one media entry per id, of either family).
 */
export function mtcuteMediaDc(s: Session, main: DcEntry): DcEntry | undefined {
  const media = s.dcs.filter((d) => d !== main && d.id === main.id && d.mediaOnly);
  return media.find((d) => d.ipv6 === main.ipv6) ?? media[0];
}

export function decodeMtcuteString(text: string): ReadResult {
  // The decoded bytes are this reader's alone: fields are views on them, not copies.
  const r = base64Reader(text.trim(), 'base64url', 'mtcute session string');
  const version = r.u8('version');
  if (version !== VERSION) throw new SessionError('unsupported', `mtcute session string version ${version} is not 3`);
  const flags = r.i32('flags', true);
  if ((flags & ~(FLAG_SELF | FLAG_TEST_OLD | FLAG_MEDIA)) !== 0) {
    throw new SessionError('malformed', `mtcute session string has unknown flags 0x${flags.toString(16)}`);
  }
  const main = readDcField(r, 'main DC', 'mtcute main DC');
  const media = flags & FLAG_MEDIA ? readDcField(r, 'media DC', 'mtcute media DC') : undefined;
  const testOld = (flags & FLAG_TEST_OLD) !== 0;
  if (!testOld && media && media.testMode !== main.testMode) {
    throw new SessionError('malformed', 'mtcute session string: main and media DC disagree on test mode');
  }
  const s = decodedSession(main.dc.id, [main.dc]);
  if (flags & FLAG_SELF) {
    const id = readInt53(r, 'self user id');
    s.user = { id, isBot: readTlBool(r, 'is_bot') };
  }
  const key = readTlBytes(r, 'auth key');
  if (key.length !== AUTH_KEY_LEN) {
    throw new SessionError('malformed', `mtcute session string has an auth key of ${key.length} bytes, not 256`);
  }
  if (r.remaining !== 0) throw new SessionError('malformed', `mtcute session string has ${r.remaining} trailing byte(s)`);
  s.testMode = testOld || main.testMode;
  // mtcute keeps one auth key per DC id: a media DC of the same id uses it too.
  main.dc.authKey = key;
  if (media) {
    if (media.dc.id === main.dc.id) media.dc.authKey = key;
    s.dcs.push(media.dc);
  }
  return { format: 'mtcute-string', formatVersion: version, session: s, warnings: [] };
}

export function encodeMtcuteString(s: Session): string {
  const main = homeDcEntry(s);
  const key = requireAuthKey(main, s.homeDc, 'an mtcute string');
  const media = mtcuteMediaDc(s, main!);
  const testMode = s.testMode ?? false;
  const isBot = selfIsBot(s);
  if (s.user && isBot === undefined) {
    throw new SessionError('missing-field', 'an mtcute string stores whether the account is a bot: give --bot or --user');
  }
  return writeBase64('base64url', (w) => {
    w.u8(VERSION).i32((s.user ? FLAG_SELF : 0) | (media ? FLAG_MEDIA : 0), true);
    writeDcField(w, main!, testMode);
    if (media) writeDcField(w, media, testMode);
    if (s.user) {
      writeInt53(w, s.user.id, 'self user id');
      writeTlBool(w, isBot!);
    }
    writeTlBytes(w, key);
  });
}

export const mtcuteStringCapabilities: Capabilities = holds({
  mediaDcs: 'home',
  user: 'id-and-bot',
  testMode: true,
  requires: ['authKey'],
});

export const mtcuteString: StringFormat = {
  id: 'mtcute-string',
  label: 'mtcute session string (v3)',
  library: 'mtcute (npm @mtcute/*): exportSession / importSession',
  medium: 'string',
  capabilities: mtcuteStringCapabilities,
  decode: decodeMtcuteString,
  encode: (s) => encodeMtcuteString(s),
};
