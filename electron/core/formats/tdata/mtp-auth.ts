/**
 * An account's settings file (`<file part>s` beside key_datas, storage_account.cpp readMtpData
 * and writeMtpData): one encrypted block of settings, each a big-endian uint32 block id and a
 * layout of its own (storage_settings_scheme.cpp ReadSetting). Modern Desktops write one block,
 * dbiMtpAuthorization (0x4B), a QByteArray holding:
 *   int32 user id, int32 main DC  (legacy), or −1, −1 then uint64 user id, int32 main DC;
 *   int32 count, count × (int32 DC id, 256-byte auth key);
 *   int32 count, count × (int32 DC id, 256-byte key): keys Desktop is logging out.
 * Older ones wrote dbiUser (0x01: int32 user id, uint32 main DC) and one dbiKey (0x00: int32 DC
 * id, 256-byte key) per DC, which Desktop still reads when there is no 0x4B block. Blocks carry
 * no length, so a block of unknown layout cannot be stepped over: reading stops there with a
 * warning (Desktop itself gives up on such a file and rewrites it).
 */
import { ByteReader, ByteWriter } from '../../bytes.js';
import { SessionError } from '../../errors.js';
import { LOCAL_KEY_SIZE } from './crypto.js';
import { readQBytes, skipQBytes, writeQBytes } from './qt-stream.js';

export const DBI_KEY = 0x00;
export const DBI_USER = 0x01;
export const DBI_DC_OPTION_OLD_OLD = 0x02;
export const DBI_DC_OPTION_OLD = 0x27;
export const DBI_DC_OPTIONS_OLD = 0x4a;
export const DBI_MTP_AUTHORIZATION = 0x4b;

const AUTH_KEY_SIZE = LOCAL_KEY_SIZE;

export interface DcKey {
  dcId: number;
  key: Uint8Array;
}

export interface MtpAuthorization {
  /** 0n: no one is logged in (Desktop's "no session"). */
  userId: bigint;
  mainDcId: number;
  keys: DcKey[];
  keysToDestroy: DcKey[];
}

export interface MtpData {
  auth: MtpAuthorization;
  /** Where the authorization came from: the 0x4B block, or legacy 0x00/0x01 blocks. */
  source: 'mtp-authorization' | 'legacy';
  warnings: string[];
}

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

function readKeys(r: ByteReader, what: string, list: string): DcKey[] {
  const count = r.i32(`${list} count`, false);
  if (count < 0) throw new SessionError('malformed', `${what}: a negative ${list} count (${count})`);
  // Checked up front, so that a huge count fails at once instead of after a long loop.
  if (count * (4 + AUTH_KEY_SIZE) > r.remaining) {
    throw new SessionError('truncated', `${what} is truncated: ${count} ${list} need ${count * (4 + AUTH_KEY_SIZE)} bytes, ${r.remaining} left`);
  }
  const keys: DcKey[] = [];
  for (let i = 0; i < count; i++) keys.push({ dcId: r.i32(`${list} DC id`, false), key: r.take(AUTH_KEY_SIZE, `${list} key`) });
  return keys;
}

/** The dbiMtpAuthorization QByteArray's contents (Account::setMtpAuthorization); `file` names the file in messages. */
export function parseMtpAuthorization(bytes: Uint8Array, warnings: string[], file = 'settings file'): MtpAuthorization {
  const what = `${file}: MTP authorization`;
  const r = new ByteReader(bytes, what);
  const legacyUser = r.i32('user id', false);
  const legacyDc = r.i32('main DC', false);
  let userId: bigint;
  let mainDcId: number;
  if (legacyUser === -1 && legacyDc === -1) {
    userId = r.u64('user id (64-bit)', false);
    mainDcId = r.i32('main DC', false);
  } else {
    if (legacyUser < 0 || legacyDc < 0) throw new SessionError('malformed', `${what}: a legacy user id ${legacyUser} / main DC ${legacyDc}`);
    userId = BigInt(legacyUser);
    mainDcId = legacyDc;
  }
  const keys = readKeys(r, what, 'auth keys');
  // Desktop reads the keys to destroy when they are there and keeps the keys either way.
  const keysToDestroy = r.remaining > 0 ? readKeys(r, what, 'keys to destroy') : [];
  if (r.remaining > 0) warnings.push(`${what}: ${r.remaining} byte(s) after the keys ignored`);
  return { userId, mainDcId, keys, keysToDestroy };
}

/** The settings blocks of an account's settings file (decrypted), down to its authorization. */
export function parseMtpData(plain: Uint8Array, what: string): MtpData {
  const r = new ByteReader(plain, what);
  const warnings: string[] = [];
  let auth: MtpAuthorization | undefined;
  let legacyUser: { userId: bigint; mainDcId: number } | undefined;
  const legacyKeys: DcKey[] = [];
  while (r.remaining > 0) {
    const at = r.offset;
    const id = r.u32('block id', false);
    switch (id) {
      case DBI_MTP_AUTHORIZATION: {
        const bytes = readQBytes(r, 'MTP authorization');
        if (auth) warnings.push(`${what}: a second MTP authorization block (at ${at}) replaces the first`);
        auth = parseMtpAuthorization(bytes, warnings, what);
        break;
      }
      case DBI_USER: {
        const userId = r.i32('legacy user id', false);
        const mainDcId = r.u32('legacy main DC', false);
        legacyUser = { userId: BigInt(userId), mainDcId };
        if (userId < 0 || mainDcId > 0x7fffffff) throw new SessionError('malformed', `${what}: a legacy user id ${userId} / main DC ${mainDcId}`);
        break;
      }
      case DBI_KEY:
        legacyKeys.push({ dcId: r.i32('legacy key DC id', false), key: r.take(AUTH_KEY_SIZE, 'legacy auth key') });
        break;
      case DBI_DC_OPTION_OLD_OLD:
        r.u32('DC option id', false);
        skipQBytes(r, 'DC option host');
        skipQBytes(r, 'DC option ip');
        r.u32('DC option port', false);
        break;
      case DBI_DC_OPTION_OLD:
        r.u32('DC option id', false);
        r.i32('DC option flags', false);
        skipQBytes(r, 'DC option ip');
        r.u32('DC option port', false);
        break;
      case DBI_DC_OPTIONS_OLD:
        skipQBytes(r, 'DC options');
        break;
      default:
        warnings.push(`${what}: settings block ${hex(id)} at offset ${at} has a layout we do not know; the last ${r.remaining + 4} byte(s) skipped`);
        r.peek(r.remaining, 'unknown block');
    }
  }
  if (auth) {
    if (legacyUser || legacyKeys.length > 0) warnings.push(`${what}: legacy user/key blocks ignored beside the MTP authorization (as Desktop does)`);
    return { auth, source: 'mtp-authorization', warnings };
  }
  if (legacyUser || legacyKeys.length > 0) {
    const legacy = { userId: legacyUser?.userId ?? 0n, mainDcId: legacyUser?.mainDcId ?? 0, keys: legacyKeys, keysToDestroy: [] };
    return { auth: legacy, source: 'legacy', warnings };
  }
  throw new SessionError('malformed', `${what}: no MTP authorization in it`);
}

/** The settings file's contents as Desktop writes them: the one 0x4B block, in the wide-id layout. */
export function encodeMtpData(auth: MtpAuthorization): Uint8Array {
  const inner = new ByteWriter(32 + (auth.keys.length + auth.keysToDestroy.length) * (4 + AUTH_KEY_SIZE));
  inner.i32(-1, false).i32(-1, false).u64(auth.userId, false).i32(auth.mainDcId, false);
  for (const list of [auth.keys, auth.keysToDestroy]) {
    inner.i32(list.length, false);
    for (const k of list) {
      if (k.key.length !== AUTH_KEY_SIZE) throw new SessionError('malformed', `DC ${k.dcId} has an auth key of ${k.key.length} bytes, not ${AUTH_KEY_SIZE}`);
      inner.i32(k.dcId, false).bytes(k.key);
    }
  }
  const body = inner.finish();
  const w = new ByteWriter(8 + body.length);
  w.u32(DBI_MTP_AUTHORIZATION, false);
  writeQBytes(w, body);
  return w.finish();
}
