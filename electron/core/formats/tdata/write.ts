/**
 * Writes a Telegram Desktop tdata folder holding the given sessions as its accounts, in
 * order, the first one active: key_datas, and per account its settings file (user id, main
 * DC, every DC auth key) and the empty `maps` Desktop needs before it reads that file (without
 * a map Desktop opens the account logged out). Every tdata gets a fresh random local key and
 * salt. Files are created (never overwritten) in a folder that is new or empty, each synced;
 * the caller makes the whole folder appear at once (a temp folder renamed into place).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from '../../bytes.js';
import { SessionError } from '../../errors.js';
import { fsyncDir, ioError } from '../../fs/atomic.js';
import type { DcEntry, Session } from '../../model/session.js';
import { encodeTdf } from './container.js';
import { encryptLocal, LOCAL_KEY_SIZE } from './crypto.js';
import { encodeKeyData, FREE_ACCOUNTS, lockLocalKey, MAX_ACCOUNTS, writeAccountList } from './key-data.js';
import { type DcKey, encodeMtpData } from './mtp-auth.js';
import { dataNameOf, DEFAULT_DATA_KEY, filePartOf, keyFileBase } from './names.js';
import { writeQBytes } from './qt-stream.js';
import { TESTED_APP_VERSION } from './read.js';

export interface TdataWriteOptions {
  /** A local passcode to lock the tdata with ('' or none: no passcode). */
  passcode?: string;
  /** Desktop's `-key` value (default 'data'). */
  dataKey?: string;
}

/** Prefers the entry a client logs in through (IPv4, not media-only), as homeDcEntry does. */
const rank = (d: DcEntry) => (d.mediaOnly ? 2 : 0) + (d.ipv6 ? 1 : 0);

/** One auth key per DC id (Desktop keeps one), by DC id as Desktop writes them. */
function keysOf(s: Session, label: string, warnings: string[]): DcKey[] {
  const byDc = new Map<number, DcEntry>();
  for (const d of [...s.dcs].filter((x) => x.authKey).sort((a, b) => rank(a) - rank(b))) {
    const kept = byDc.get(d.id);
    if (!kept) byDc.set(d.id, d);
    else if (!Buffer.from(kept.authKey!).equals(d.authKey!)) {
      warnings.push(`${label}: a second auth key for DC ${d.id} (${d.mediaOnly ? 'media' : d.ipv6 ? 'IPv6' : 'another'} entry) not written: Desktop keeps one key per DC`);
    }
  }
  const keys = [...byDc.values()].map((d) => {
    if (d.authKey!.length !== LOCAL_KEY_SIZE) throw new SessionError('malformed', `${label}: DC ${d.id} has an auth key of ${d.authKey!.length} bytes, not 256`);
    return { dcId: d.id, key: d.authKey! };
  });
  return keys.sort((a, b) => a.dcId - b.dcId);
}

interface Planned {
  userId: bigint;
  mainDcId: number;
  keys: DcKey[];
}

function plan(sessions: readonly Session[], warnings: string[]): Planned[] {
  const n = sessions.length;
  if (n === 0) throw new SessionError('usage', 'a tdata needs at least one session');
  if (n > MAX_ACCOUNTS) {
    throw new SessionError('too-large', `Telegram Desktop holds at most ${MAX_ACCOUNTS} accounts in one tdata (${FREE_ACCOUNTS} without Premium); ${n} given`);
  }
  if (n > FREE_ACCOUNTS) {
    warnings.push(`${n} accounts: Telegram Desktop loads up to ${MAX_ACCOUNTS}, but lets one use more than ${FREE_ACCOUNTS} only with Telegram Premium on one of them (opentele reads only the first ${FREE_ACCOUNTS})`);
  }
  const out: Planned[] = [];
  sessions.forEach((s, i) => {
    const label = n > 1 ? `session ${i + 1} of ${n}` : 'the session';
    if (!s.user) throw new SessionError('missing-field', `${label} has no user id: a tdata account needs one`);
    if (s.user.id <= 0n) throw new SessionError('malformed', `${label} has the user id ${s.user.id}: a tdata account needs a positive one`);
    if (s.user.id >= 1n << 63n) throw new SessionError('too-large', `${label} has the user id ${s.user.id}, beyond what Desktop stores`);
    if (s.testMode) {
      throw new SessionError('unsupported', `${label} is for Telegram's test servers: writing a test-mode tdata is not supported (Desktop keeps test mode in a config file)`);
    }
    const keys = keysOf(s, label, warnings);
    if (!keys.some((k) => k.dcId === s.homeDc)) throw new SessionError('missing-field', `${label} has no auth key for its home DC ${s.homeDc}`);
    const twin = out.findIndex((p) => p.userId === s.user!.id);
    if (twin >= 0) {
      throw new SessionError('usage', `sessions ${twin + 1} and ${i + 1} are the same account (user ${s.user.id}): Telegram Desktop would load it once`);
    }
    out.push({ userId: s.user.id, mainDcId: s.homeDc, keys });
  });
  return out;
}

/** A new folder, or an existing empty one; anything else is refused. */
function prepareDir(dir: string): void {
  let names: string[] | undefined;
  try {
    if (statSync(dir).isDirectory()) names = readdirSync(dir);
    else throw new SessionError('exists', `${dir} exists and is not a folder`);
  } catch (e) {
    if (e instanceof SessionError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(e, dir);
  }
  if (names === undefined) {
    try {
      mkdirSync(dir);
    } catch (e) {
      throw ioError(e, dir);
    }
  } else if (names.length > 0) {
    throw new SessionError('exists', `${dir} is not empty: a tdata is written into a new folder`);
  }
}

function encryptedFile(plain: Uint8Array, localKey: Uint8Array): Uint8Array {
  const w = new ByteWriter(plain.length + 48);
  writeQBytes(w, encryptLocal(plain, localKey));
  return encodeTdf(w.finish(), TESTED_APP_VERSION);
}

/** The empty map Desktop writes for a fresh account: two null legacy fields and an encrypted empty map. */
function emptyMap(localKey: Uint8Array): Uint8Array {
  const w = new ByteWriter(64);
  writeQBytes(w, null);
  writeQBytes(w, null);
  writeQBytes(w, encryptLocal(new Uint8Array(0), localKey));
  return encodeTdf(w.finish(), TESTED_APP_VERSION);
}

function createFile(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeTdata(dir: string, sessions: readonly Session[], opts: TdataWriteOptions = {}): { warnings: string[] } {
  const dataKey = opts.dataKey ?? DEFAULT_DATA_KEY;
  const warnings: string[] = [];
  const accounts = plan(sessions, warnings);
  prepareDir(dir);

  const localKey = new Uint8Array(randomBytes(LOCAL_KEY_SIZE));
  const files: [string, Uint8Array][] = [];
  const folders: string[] = [];
  accounts.forEach((a, i) => {
    const part = filePartOf(dataNameOf(i, dataKey));
    folders.push(join(dir, part));
    files.push([join(dir, part, 'maps'), emptyMap(localKey)]);
    files.push([join(dir, `${part}s`), encryptedFile(encodeMtpData({ userId: a.userId, mainDcId: a.mainDcId, keys: a.keys, keysToDestroy: [] }), localKey)]);
  });
  const { salt, keyEncrypted } = lockLocalKey(localKey, opts.passcode ?? '');
  const infoEncrypted = writeAccountList({ indices: accounts.map((_, i) => i), active: 0 }, localKey);
  files.push([join(dir, `${keyFileBase(dataKey)}s`), encodeTdf(encodeKeyData({ salt, keyEncrypted, infoEncrypted }), TESTED_APP_VERSION)]);

  const created: string[] = [];
  try {
    for (const f of folders) {
      mkdirSync(f);
      created.push(f);
    }
    for (const [path, data] of files) {
      createFile(path, data);
      created.push(path);
    }
    for (const f of folders) fsyncDir(f);
    fsyncDir(dir);
  } catch (e) {
    for (const p of created.reverse()) rmSync(p, { force: true, recursive: true });
    throw ioError(e, dir);
  }
  return { warnings };
}
