/**
 * Reads a Telegram Desktop tdata folder: key_datas (the local key, behind the passcode, and
 * the account list), then each listed account's settings file (its user id, main DC and every
 * DC auth key) and MTP config (test mode), the way Desktop's Storage::Domain::startModern
 * loads them. Read-only: files are opened for reading only; nothing is written, renamed or
 * locked, so a running Desktop is never disturbed.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader } from '../../bytes.js';
import { SessionError } from '../../errors.js';
import { PRODUCTION_DCS, PRODUCTION_PORT, TEST_DCS, TEST_PORT } from '../../model/dc-table.js';
import type { DcEntry, Session } from '../../model/session.js';
import { emptySession, makeDc } from '../../model/session.js';
import { hasTdfMagic, presentVariants, readTdfFile, type ReadOptions } from './container.js';
import { decryptLocal } from './crypto.js';
import { MAX_ACCOUNTS, parseKeyData, readAccountList, unlockLocalKey } from './key-data.js';
import { configEnvironment } from './mtp-config.js';
import { parseMtpData } from './mtp-auth.js';
import { dataNameOf, DEFAULT_DATA_KEY, filePartOf, keyFileBase } from './names.js';
import { readQBytes } from './qt-stream.js';

/** The newest Telegram Desktop whose tdata this codec was checked against (5.8.3). */
export const TESTED_APP_VERSION = 5_008_003;

export interface TdataAccount {
  /** 1-based position in the Desktop's account order (among the accounts it loads). */
  index: number;
  /** 'data', 'data#2', … */
  dataName: string;
  /** homeDc = main DC, dcs = every DC key it holds, user = { id } (isBot unknown). */
  session: Session;
  /** What was odd about this account alone (the folder's own lines are in TdataContents.warnings). */
  warnings: string[];
}

export interface TdataContents {
  /** The app version key_datas was written by, e.g. 5008003. */
  appVersion: number;
  accounts: TdataAccount[];
  /** 1-based index (in `accounts`) of the active account. */
  active: number;
  /** Whether a local passcode guards it. */
  locked: boolean;
  warnings: string[];
}

export interface TdataReadOptions extends ReadOptions {
  /** The local passcode; '' or none when the tdata has none. */
  passcode?: string;
  /**
   * A local key unlocked earlier in this process (keyring.ts), used when it opens this tdata's
   * account list: a tdata with a passcode is not asked for it again, nor its 100,000 rounds run.
   */
  localKey?: Uint8Array;
  /** Desktop's `-key` value (default 'data'). */
  dataKey?: string;
}

/** 5008003 → '5.8.3'. */
export function formatAppVersion(v: number): string {
  return `${Math.floor(v / 1_000_000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`;
}

function startsWithMagic(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && hasTdfMagic(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether `dir` holds a key_datas (or key_data0/1) file, by its content: whatever the folder is called. */
export function isTdataFolder(dir: string, dataKey = DEFAULT_DATA_KEY): boolean {
  try {
    return presentVariants(dir, keyFileBase(dataKey)).some((v) => startsWithMagic(v.path));
  } catch {
    return false;
  }
}

/** The decrypted contents of an encrypted file (a container holding one encrypted QByteArray). */
function decryptFile(payload: Uint8Array, localKey: Uint8Array, path: string): Uint8Array {
  const r = new ByteReader(payload, path);
  const encrypted = readQBytes(r, 'encrypted data');
  const plain = decryptLocal(encrypted, localKey, path);
  if (plain === undefined) throw new SessionError('malformed', `${path} does not decrypt with the tdata's local key`);
  return plain;
}

function unlock(dir: string, payload: Uint8Array, path: string, opts: TdataReadOptions, warnings: string[]) {
  const kd = parseKeyData(payload, path);
  // No passcode costs one PBKDF2 round: tried first, so an open tdata never runs the 100,000.
  const open = unlockLocalKey(kd, '', path);
  if (open) {
    if (opts.passcode) warnings.push('the tdata has no local passcode: the one given was not needed');
    return { kd, localKey: open, locked: false };
  }
  if (opts.passcode) {
    const localKey = unlockLocalKey(kd, opts.passcode, path);
    if (!localKey) throw new SessionError('bad-passcode', `wrong passcode for tdata ${dir}`);
    return { kd, localKey, locked: true };
  }
  // A key from an earlier unlock holds only while Desktop has not changed the passcode (a new local key).
  if (opts.localKey && decryptLocal(kd.infoEncrypted, opts.localKey, path) !== undefined) return { kd, localKey: opts.localKey, locked: true };
  throw new SessionError('needs-passcode', `tdata ${dir} is locked with a local passcode: give it to read the accounts`);
}

function readKeyFile(dir: string, opts: TdataReadOptions) {
  const dataKey = opts.dataKey ?? DEFAULT_DATA_KEY;
  const keyBase = keyFileBase(dataKey);
  const keyFile = readTdfFile(dir, keyBase, opts);
  if (!keyFile) {
    if (presentVariants(join(dir, filePartOf(dataNameOf(0, dataKey))), 'map').length > 0) {
      throw new SessionError('unsupported', `${dir}: a tdata from Telegram Desktop before 2.2 (no ${keyBase}s): open it once in a current Desktop first`);
    }
    throw new SessionError('not-found', `${dir}: no ${keyBase}s, not a Telegram Desktop tdata folder`);
  }
  return { keyFile, keyPath: join(dir, keyBase + keyFile.variant) };
}

/** A tdata's local key (the passcode checked, as readTdata checks it), for the keyring. */
export function tdataLocalKey(dir: string, opts: TdataReadOptions): Uint8Array {
  const { keyFile, keyPath } = readKeyFile(dir, opts);
  return unlock(dir, keyFile.payload, keyPath, opts, []).localKey;
}

function dcsOf(keys: { dcId: number; key: Uint8Array }[], testMode: boolean, label: string, warnings: string[]): DcEntry[] {
  const dcs: DcEntry[] = [];
  for (const { dcId, key } of keys) {
    if (dcs.some((d) => d.id === dcId)) {
      warnings.push(`${label}: a second auth key for DC ${dcId} ignored (Desktop uses one per DC)`);
      continue;
    }
    const address = (testMode ? TEST_DCS : PRODUCTION_DCS)[dcId];
    if (address === undefined) {
      warnings.push(`${label}: auth key for DC ${dcId} has no known address (skipped)`);
      continue;
    }
    dcs.push(makeDc({ id: dcId, address, port: testMode ? TEST_PORT : PRODUCTION_PORT, authKey: key }));
  }
  return dcs;
}

/** Test mode from the account's MTP config, as Desktop takes it (production when absent or unreadable). */
function readTestMode(dir: string, part: string, localKey: Uint8Array, label: string, opts: ReadOptions, warnings: string[]): boolean {
  const folder = join(dir, part);
  let file;
  try {
    file = readTdfFile(folder, 'config', opts);
  } catch (e) {
    if (!(e instanceof SessionError)) throw e;
    warnings.push(`${label}: its MTP config is unreadable (${e.code}): production servers assumed, as Desktop does`);
    return false;
  }
  if (!file) return false;
  let env: 'test' | 'production' | undefined;
  try {
    env = configEnvironment(decryptFile(file.payload, localKey, join(folder, `config${file.variant}`)));
  } catch (e) {
    if (!(e instanceof SessionError)) throw e;
  }
  if (env === undefined) warnings.push(`${label}: its MTP config does not parse: production servers assumed, as Desktop does`);
  return env === 'test';
}

export function readTdata(dir: string, opts: TdataReadOptions = {}): TdataContents {
  const dataKey = opts.dataKey ?? DEFAULT_DATA_KEY;
  const warnings: string[] = [];
  const { keyFile, keyPath } = readKeyFile(dir, opts);
  warnings.push(...keyFile.warnings);
  const { kd, localKey, locked } = unlock(dir, keyFile.payload, keyPath, opts, warnings);
  const list = readAccountList(kd, localKey, keyPath);

  let newest = keyFile.version;
  const accounts: (TdataAccount & { rawIndex: number })[] = [];
  const tried = new Set<number>();
  list.indices.forEach((rawIndex, position) => {
    const entry = `account list entry ${position + 1}`;
    if (rawIndex < 0 || rawIndex >= MAX_ACCOUNTS) {
      warnings.push(`${entry}: index ${rawIndex} is outside 0–${MAX_ACCOUNTS - 1}, skipped (as Desktop does)`);
      return;
    }
    if (tried.has(rawIndex)) {
      warnings.push(`${entry}: index ${rawIndex} is listed twice, skipped (as Desktop does)`);
      return;
    }
    tried.add(rawIndex);
    const dataName = dataNameOf(rawIndex, dataKey);
    const part = filePartOf(dataName);
    const label = `account ${dataName}`;
    const file = readTdfFile(dir, part, opts);
    if (!file) {
      warnings.push(`${label}: no ${part}s file, so it is not logged in: skipped`);
      return;
    }
    // What concerns this account alone is its own; a skipped account's lines are the folder's.
    const own = [...file.warnings];
    newest = Math.max(newest, file.version);
    const mtp = parseMtpData(decryptFile(file.payload, localKey, join(dir, part + file.variant)), join(dir, part + file.variant));
    own.push(...mtp.warnings);
    const { auth } = mtp;
    if (auth.userId === 0n) {
      warnings.push(...own, `${label}: not logged in (no user id): skipped, as Desktop does`);
      return;
    }
    const testMode = readTestMode(dir, part, localKey, label, opts, own);
    const twin = accounts.find((a) => a.session.user?.id === auth.userId && a.session.testMode === testMode);
    if (twin) {
      warnings.push(...own, `${label}: the same account as ${twin.dataName} (user ${auth.userId}): skipped, as Desktop does`);
      return;
    }
    if (presentVariants(join(dir, part), 'map').length === 0) {
      own.push(`${label}: no ${part}/maps file: Telegram Desktop opens this account logged out without it`);
    }
    if (mtp.source === 'legacy') own.push(`${label}: read from legacy user/key blocks`);
    if (auth.keysToDestroy.length > 0) {
      own.push(`${label}: ${auth.keysToDestroy.length} old key(s) Desktop is logging out not read`);
    }
    const session = emptySession();
    session.homeDc = auth.mainDcId;
    session.dcs = dcsOf(auth.keys, testMode, label, own);
    session.user = { id: auth.userId };
    session.testMode = testMode;
    if (!session.dcs.some((d) => d.id === auth.mainDcId)) own.push(`${label}: no auth key for its main DC ${auth.mainDcId}`);
    accounts.push({ index: accounts.length + 1, dataName, session, warnings: own, rawIndex });
  });
  if (accounts.length === 0) throw new SessionError('malformed', `tdata ${dir}: none of its ${list.indices.length} listed account(s) could be read`);

  let active = 1;
  if (list.active !== undefined) {
    const found = accounts.findIndex((a) => a.rawIndex === list.active);
    if (found >= 0) active = found + 1;
    else warnings.push(`the active account (index ${list.active}) was not read: the first one is active, as in Desktop`);
  }
  if (newest > TESTED_APP_VERSION) {
    warnings.unshift(`written by Telegram Desktop ${formatAppVersion(newest)}, newer than ${formatAppVersion(TESTED_APP_VERSION)} we tested: read anyway`);
  }
  return {
    appVersion: keyFile.version,
    accounts: accounts.map(({ index, dataName, session, warnings: own }) => ({ index, dataName, session, warnings: own })),
    active,
    locked,
    warnings,
  };
}
