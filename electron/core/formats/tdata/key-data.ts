/**
 * key_datas (storage_domain.cpp, startModern / writeAccounts): three QByteArrays, the passcode
 * salt (32 bytes), the local key encrypted with the passcode key, and the account list
 * encrypted with the local key. The list is int32 count, count × int32 account index, and
 * (when present) the int32 index of the active account, all big-endian. Desktop refuses a
 * count outside 1…kPremiumMaxAccounts (6) and loads each distinct index in 0…5 once.
 */
import { randomBytes } from 'node:crypto';
import { ByteReader, ByteWriter } from '../../bytes.js';
import { SessionError } from '../../errors.js';
import { decryptLocal, encryptLocal, LOCAL_KEY_SIZE, passcodeKey, SALT_SIZE } from './crypto.js';
import { readQBytes, writeQBytes } from './qt-stream.js';

/** Main::Domain::kPremiumMaxAccounts: the most accounts Desktop loads from a tdata. */
export const MAX_ACCOUNTS = 6;
/** Main::Domain::kMaxAccounts: the accounts Desktop lets one add without Premium. */
export const FREE_ACCOUNTS = 3;

export interface KeyDataFile {
  salt: Uint8Array;
  keyEncrypted: Uint8Array;
  infoEncrypted: Uint8Array;
}

export function parseKeyData(payload: Uint8Array, what: string): KeyDataFile {
  const r = new ByteReader(payload, what);
  const salt = readQBytes(r, 'salt');
  const keyEncrypted = readQBytes(r, 'encrypted local key');
  const infoEncrypted = readQBytes(r, 'encrypted account list');
  if (salt.length !== SALT_SIZE) throw new SessionError('malformed', `${what}: a salt of ${salt.length} bytes, not ${SALT_SIZE}`);
  return { salt, keyEncrypted, infoEncrypted };
}

export function encodeKeyData(kd: KeyDataFile): Uint8Array {
  const w = new ByteWriter(64 + kd.keyEncrypted.length + kd.infoEncrypted.length);
  writeQBytes(w, kd.salt);
  writeQBytes(w, kd.keyEncrypted);
  writeQBytes(w, kd.infoEncrypted);
  return w.finish();
}

/** The local key, or undefined when the passcode does not decrypt it. */
export function unlockLocalKey(kd: KeyDataFile, passcode: string, what: string): Uint8Array | undefined {
  const inner = decryptLocal(kd.keyEncrypted, passcodeKey(passcode, kd.salt), `${what}: encrypted local key`);
  if (inner === undefined) return undefined;
  if (inner.length !== LOCAL_KEY_SIZE) throw new SessionError('malformed', `${what}: a local key of ${inner.length} bytes, not ${LOCAL_KEY_SIZE}`);
  return new Uint8Array(inner);
}

/** A fresh salt and the local key encrypted with the passcode key it gives. */
export function lockLocalKey(localKey: Uint8Array, passcode: string, salt: Uint8Array = randomBytes(SALT_SIZE)): Pick<KeyDataFile, 'salt' | 'keyEncrypted'> {
  return { salt, keyEncrypted: encryptLocal(localKey, passcodeKey(passcode, salt)) };
}

export interface AccountList {
  /** Account indices in Desktop's order, as stored (they may repeat or be out of range). */
  indices: number[];
  /** The active account's index; undefined in a list written without it. */
  active: number | undefined;
}

export function parseAccountList(plain: Uint8Array, what: string): AccountList {
  const r = new ByteReader(plain, `${what}: account list`);
  const count = r.i32('account count', false);
  if (count <= 0 || count > MAX_ACCOUNTS) {
    throw new SessionError('malformed', `${what}: an account count of ${count} (Telegram Desktop holds 1 to ${MAX_ACCOUNTS})`);
  }
  const indices: number[] = [];
  for (let i = 0; i < count; i++) indices.push(r.i32('account index', false));
  const active = r.remaining > 0 ? r.i32('active account', false) : undefined;
  return { indices, active };
}

export function encodeAccountList(list: { indices: readonly number[]; active: number }): Uint8Array {
  const w = new ByteWriter(8 + 4 * list.indices.length);
  w.i32(list.indices.length, false);
  for (const i of list.indices) w.i32(i, false);
  w.i32(list.active, false);
  return w.finish();
}

/** The account list of key_datas, decrypted with the local key. */
export function readAccountList(kd: KeyDataFile, localKey: Uint8Array, what: string): AccountList {
  const plain = decryptLocal(kd.infoEncrypted, localKey, `${what}: encrypted account list`);
  if (plain === undefined) throw new SessionError('malformed', `${what}: the account list does not decrypt with the local key`);
  return parseAccountList(plain, what);
}

export function writeAccountList(list: { indices: readonly number[]; active: number }, localKey: Uint8Array): Uint8Array {
  return encryptLocal(encodeAccountList(list), localKey);
}
