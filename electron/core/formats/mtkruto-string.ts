/**
 * MTKruto auth strings (MTKruto's storage exportAuthString / importAuthString; npm
 * @mtcute/convert mtkruto/: parseMtkrutoSession, serializeMtkrutoSession): base64url without
 * padding of Telegram's zero-run RLE (a zero byte, then how many zeros: 1..255) of
 *   TL string dc | TL bytes auth key (256) [| i32 LE api_id [| u8 is_bot | i64 LE user id]]
 * where dc is MTKruto's DC name, "1".."5" or "1-test".."3-test": the string holds no address
 * (it comes from Telegram's DC table, and the read says so). Three layouts, by what follows the key:
 *   dc-key   nothing: what @mtcute/convert writes, and MTKruto's first exportSessionString
 *   api-id   api_id: MTKruto's exportAuthString while api_id was optional
 *   current  api_id, is_bot, user id: MTKruto's exportAuthString today; its importAuthString
 *            reads all five fields, so it refuses the two shorter layouts
 * @mtcute/convert reads the DC and key of any layout and ignores the rest. We write current
 * (every MTKruto and @mtcute/convert read it), and dc-key with `legacy`, byte for byte what
 * @mtcute/convert writes. Strict where the two readers are lenient: the DC must be one MTKruto
 * names, padding zero, booleans 0 or 1, nothing after the last field; and where they disagree
 * the string is refused: a zero at the very end, or a zero run of length 0 (MTKruto drops the
 * one and reads `0 0 n` as n zeros; mtcute keeps a final zero and reads `0 0` as none). Runs
 * longer than 255 are written split, as MTKruto does (mtcute's encoder wraps their length).
 */
import { ByteReader, ByteWriter, fromBase64Url, writeBase64 } from '../bytes.js';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import type { Session } from '../model/session.js';
import { homeDcEntry } from '../model/session.js';
import { selfIsBot } from '../model/self-user.js';
import { PRODUCTION_DCS, PRODUCTION_PORT, TEST_DCS, TEST_PORT, testModeFromAddress } from '../model/dc-table.js';
import { decodedDc, decodedSession } from './decoded-session.js';
import { AUTH_KEY_LEN, requireAuthKey } from './field-checks.js';
import { readTlLength, readTlPadding, writeTlBytes, writeTlString } from './tl-bytes.js';
import type { Capabilities, ReadResult, StringFormat, WriteOptions } from './types.js';

type Layout = 'dc-key' | 'api-id' | 'current';

const WHAT = 'MTKruto auth string';
/** The layout by the bytes after the auth key. */
const LAYOUT_BY_TAIL: Readonly<Record<number, Layout>> = { 0: 'dc-key', 4: 'api-id', 13: 'current' };
const CURRENT_TAIL = 13;
/** The longest payload: "3-test" as TL (8), the key as TL (260), api_id, is_bot and user id (13). */
const MAX_RAW = 8 + 4 + AUTH_KEY_LEN + CURRENT_TAIL;
/** An RLE pair stands for one zero or more, so the RLE is at most twice the payload; then base64 and two '='. */
const MAX_CHARS = Math.ceil((2 * MAX_RAW * 4) / 3) + 2;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_API_ID = 0x7fffffff;

interface DcName {
  id: number;
  test: boolean;
}

/** MTKruto's DC type: production 1..5, test 1..3. */
const DC_NAMES: ReadonlyMap<string, DcName> = new Map([
  ...[1, 2, 3, 4, 5].map((id): [string, DcName] => [`${id}`, { id, test: false }]),
  ...[1, 2, 3].map((id): [string, DcName] => [`${id}-test`, { id, test: true }]),
]);

function dcNameOf(id: number, test: boolean): string {
  const name = test ? `${id}-test` : `${id}`;
  if (DC_NAMES.get(name)?.id !== id) {
    throw new SessionError('unsupported', `MTKruto has no ${test ? 'test' : 'production'} DC ${id}`);
  }
  return name;
}

/** The undone RLE of one string; decode is synchronous, so one buffer serves every call. */
const RAW = new Uint8Array(MAX_RAW);

function tooLong(): never {
  throw new SessionError('malformed', `${WHAT} holds more than the ${MAX_RAW} bytes of its longest layout`);
}

/** Telegram's zero-run RLE undone into RAW; returns the payload's length. */
function unRle(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0) {
      if (n === MAX_RAW) tooLong();
      RAW[n++] = c;
      continue;
    }
    if (++i === b.length) {
      throw new SessionError('truncated', `${WHAT} is truncated: the zero run at byte ${i - 1} has no length`);
    }
    const run = b[i]!;
    if (run === 0) {
      throw new SessionError('malformed', `${WHAT} has a zero run of length 0 at byte ${i - 1}, which MTKruto and mtcute read differently`);
    }
    if (n + run > MAX_RAW) tooLong();
    RAW.fill(0, n, n + run);
    n += run;
  }
  return n;
}

/** The RLE of one payload (at most twice its size); encode is synchronous, so one buffer serves every call. */
const RLE = new Uint8Array(2 * MAX_RAW);

/** Telegram's zero-run RLE of raw into RLE, runs split at 255 as MTKruto writes them; returns its length. */
function rle(raw: Uint8Array): number {
  let m = 0;
  let zeros = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0) {
      if (zeros === 255) {
        RLE[m++] = 0;
        RLE[m++] = 255;
        zeros = 0;
      }
      zeros++;
    } else {
      if (zeros > 0) {
        RLE[m++] = 0;
        RLE[m++] = zeros;
        zeros = 0;
      }
      RLE[m++] = c;
    }
  }
  if (zeros > 0) {
    RLE[m++] = 0;
    RLE[m++] = zeros;
  }
  return m;
}

/** The line saying where the address came from, built once per DC (strings are read in bulk). */
const INFERENCES = new Map<string, string>();
function inference(name: string, dc: DcName, address: string, port: number): string {
  let line = INFERENCES.get(name);
  if (line === undefined) {
    line = `DC ${dc.id}${dc.test ? ' (test)' : ''} address ${address}:${port}: from Telegram's DC table (an MTKruto auth string stores only the DC id)`;
    INFERENCES.set(name, line);
  }
  return line;
}

const OLD_LAYOUT = "today's MTKruto does not import this layout: its importAuthString also needs the api_id, the bot flag and the user id";

function readDcName(r: ByteReader): { name: string; dc: DcName } {
  const len = readTlLength(r, 'dc');
  const name = r.latin1(len, 'dc');
  readTlPadding(r, 'dc', len);
  const dc = DC_NAMES.get(name);
  if (!dc) {
    // Quoted only when short and printable: the bytes may be anything (another format's key).
    const shown = /^[\x20-\x7e]{1,6}$/.test(name) ? `"${name}"` : `a ${len}-byte name`;
    throw new SessionError('malformed', `${WHAT} names DC ${shown}, which MTKruto does not have`);
  }
  return { name, dc };
}

export function decodeMtkrutoString(text: string): ReadResult {
  const t = text.trim();
  if (t.length > MAX_CHARS) throw new SessionError('malformed', `${WHAT} has ${t.length} characters, more than its longest layout takes`);
  const n = unRle(fromBase64Url(t, WHAT));
  // RAW is reused, so the reader does not own it: take() copies the key out.
  const r = new ByteReader(RAW, WHAT, false, 0, n);
  const { name, dc } = readDcName(r);
  const keyLen = readTlLength(r, 'auth key');
  if (keyLen !== AUTH_KEY_LEN) throw new SessionError('malformed', `${WHAT} has an auth key of ${keyLen} bytes, not 256`);
  const key = r.take(AUTH_KEY_LEN, 'auth key');
  readTlPadding(r, 'auth key', keyLen);
  const layout = LAYOUT_BY_TAIL[r.remaining];
  if (layout === undefined) {
    if (r.remaining > CURRENT_TAIL) throw new SessionError('malformed', `${WHAT} has ${r.remaining - CURRENT_TAIL} trailing byte(s)`);
    throw new SessionError('truncated', `${WHAT} is truncated: ${r.remaining} byte(s) after the auth key, not 0, 4 or 13`);
  }
  const address = (dc.test ? TEST_DCS : PRODUCTION_DCS)[dc.id]!;
  const port = dc.test ? TEST_PORT : PRODUCTION_PORT;
  const s = decodedSession(dc.id, [decodedDc(dc.id, address, port, false, key)]);
  s.testMode = dc.test;
  if (layout !== 'dc-key') {
    const apiId = r.i32('api_id', true);
    if (apiId < 1) throw new SessionError('malformed', `${WHAT} has api_id ${apiId}, not a positive number`);
    s.apiId = apiId;
  }
  if (layout === 'current') {
    const bot = r.u8('is_bot');
    if (bot > 1) throw new SessionError('malformed', `${WHAT}: is_bot byte is ${bot}, not 0 or 1`);
    const id = r.i64('user id', true);
    if (id < 1n || id > MAX_SAFE) throw new SessionError('malformed', `${WHAT} has user id ${id}, outside 1..2^53-1`);
    s.user = { id, isBot: bot === 1 };
  }
  return {
    format: 'mtkruto-string',
    formatVersion: layout,
    session: s,
    warnings: layout === 'current' ? [] : [OLD_LAYOUT],
    inferences: [inference(name, dc, address, port)],
  };
}

/** The payload before its RLE; encode is synchronous, so one writer serves every call. */
const PAYLOAD = new ByteWriter(MAX_RAW);

/** Current layout by default (what MTKruto imports today); opts.legacy writes dc-key, as @mtcute/convert does. */
export function encodeMtkrutoString(s: Session, opts: WriteOptions = {}): string {
  const legacy = opts.legacy === true;
  const target = legacy ? 'an MTKruto auth string (dc-key layout)' : 'an MTKruto auth string';
  const home = homeDcEntry(s);
  const key = requireAuthKey(home, s.homeDc, target);
  const name = dcNameOf(s.homeDc, s.testMode ?? testModeFromAddress(home!.address) ?? false);
  const tail = legacy ? undefined : currentFields(s, target);
  const w = PAYLOAD.reset();
  writeTlString(w, name);
  writeTlBytes(w, key);
  if (tail) w.i32(tail.apiId, true).u8(tail.isBot ? 1 : 0).i64(tail.userId, true);
  const m = rle(w.finish());
  return writeBase64('base64url', (out) => out.bytes(RLE.subarray(0, m)));
}

/** What the current layout adds, or one 'missing-field' error naming every absent field. */
function currentFields(s: Session, target: string): { apiId: number; isBot: boolean; userId: bigint } {
  const isBot = selfIsBot(s);
  const missing: string[] = [];
  const flags: string[] = [];
  if (s.user === undefined) {
    missing.push('the user id');
    flags.push('--user-id');
  }
  if (isBot === undefined) {
    missing.push('whether the account is a bot');
    flags.push('--bot or --user');
  }
  if (s.apiId === undefined) {
    missing.push('the api_id');
    flags.push('--api-id');
  }
  if (missing.length > 0) {
    throw new SessionError('missing-field', `${target} needs ${missing.join(', ')} (give ${flags.join(' / ')})`);
  }
  const userId = s.user!.id;
  if (userId < 1n) throw new SessionError('malformed', `user id ${userId} is not positive`);
  if (userId > MAX_SAFE) throw new SessionError('too-large', `user id ${userId} is beyond 2^53, which MTKruto keeps as a JS number`);
  const apiId = s.apiId!;
  if (!Number.isInteger(apiId) || apiId < 1 || apiId > MAX_API_ID) {
    throw new SessionError('malformed', `api_id ${apiId} does not fit MTKruto's positive 32-bit field`);
  }
  return { apiId, isBot: isBot!, userId };
}

export const mtkrutoStringCapabilities: Capabilities = holds({
  user: 'id-and-bot',
  testMode: true,
  apiId: true,
  requires: ['user', 'isBot', 'apiId', 'authKey'],
});

export const mtkrutoString: StringFormat = {
  id: 'mtkruto-string',
  label: 'MTKruto auth string',
  library: 'MTKruto (Deno, Node, browsers): exportAuthString / importAuthString',
  medium: 'string',
  capabilities: mtkrutoStringCapabilities,
  decode: decodeMtkrutoString,
  encode: encodeMtkrutoString,
};
