/**
 * Telegram Desktop's tdata as a session format. A tdata holds several accounts; each is one
 * session of the library, and its path is the account's own settings file beside key_datas
 * (`tdata/D877F783D5D3EF8Cs`): a real file whose size and modified time change when Desktop
 * rewrites that account, so the index cache and the open sessions see it. The folder itself
 * reads as its first account, or the one asked for. Writing one session makes a one-account
 * tdata; many sessions into one tdata go through `writeTdata` (convert does).
 */
import { basename, dirname } from 'node:path';
import { SessionError } from '../errors.js';
import { holds } from './capabilities.js';
import { presentVariants } from './tdata/container.js';
import {
  dataNameOf,
  filePartOf,
  formatAppVersion,
  isTdataFolder,
  MAX_ACCOUNTS,
  readTdata,
  unlockedKey,
  writeTdata,
  type TdataContents,
} from './tdata/index.js';
import type { FolderFormat, FolderReadOptions, ReadResult } from './types.js';

export const tdataCapabilities = holds({
  dcs: 'per-id',
  user: 'id',
  // Kept so a test-mode session is refused by the writer, never written as a production one.
  testMode: true,
  requires: ['user', 'authKey'],
});

/** An account's settings file: 16 hex digits (its folder name) and the variant letter. */
const ACCOUNT_FILE = /^([0-9A-F]{16})[s01]$/;

/** The tdata folder and account folder name of an account's settings file; undefined for any other path. */
export function tdataAccountFile(path: string): { root: string; part: string } | undefined {
  const m = ACCOUNT_FILE.exec(basename(path));
  if (!m) return undefined;
  const root = dirname(path);
  return isTdataFolder(root) ? { root, part: m[1]! } : undefined;
}

/**
 * The settings file of every account slot that has one, in slot order (no decryption: a tdata
 * with a passcode lists its accounts too, and each then asks for the passcode when read).
 */
export function tdataAccountFiles(root: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < MAX_ACCOUNTS; i++) {
    const part = filePartOf(dataNameOf(i));
    // The `s` copy first: Desktop reads it when it is there.
    const v = presentVariants(root, part).sort((a, b) => (a.variant === 's' ? -1 : b.variant === 's' ? 1 : 0))[0];
    if (v) out.push(v.path);
  }
  return out;
}

/** What a file or folder operation (move, trash, back up) takes for a path: the whole tdata for one of its accounts. */
export function containerOf(path: string): string {
  return tdataAccountFile(path)?.root ?? path;
}

/** "tdata · account 2": an account's name in the library, by its slot (data, data#2, …). */
export function tdataAccountName(path: string): string | undefined {
  const file = tdataAccountFile(path);
  if (!file) return undefined;
  for (let i = 0; i < MAX_ACCOUNTS; i++) if (filePartOf(dataNameOf(i)) === file.part) return `${basename(file.root)} · account ${i + 1}`;
  return undefined;
}

function resultOf(root: string, contents: TdataContents, index: number): ReadResult {
  const account = contents.accounts[index - 1];
  if (!account) {
    throw new SessionError('usage', `tdata ${root} holds ${contents.accounts.length} account(s): there is no account ${index}`);
  }
  return {
    format: 'tdata',
    formatVersion: formatAppVersion(contents.appVersion),
    session: account.session,
    warnings: [...contents.warnings, ...account.warnings],
    inferences: ['DC addresses: Telegram’s own table (a tdata keeps only the keys)'],
    tdata: {
      appVersion: contents.appVersion,
      accounts: contents.accounts.map((a) => ({ index: a.index, userId: a.session.user!.id, homeDc: a.session.homeDc })),
      active: contents.active,
      account: index,
      locked: contents.locked,
    },
  };
}

/** A passcode given now, else the key of an unlock earlier in this process (the app's passcode dialog). */
const readContents = (root: string, opts: FolderReadOptions) => readTdata(root, { passcode: opts.passcode, localKey: unlockedKey(root) });

/** Reads one account: of a tdata folder (the first, or `opts.account`), or the one an account file names. */
export function readTdataAccount(path: string, opts: FolderReadOptions = {}): ReadResult {
  const file = tdataAccountFile(path);
  const root = file?.root ?? path;
  const contents = readContents(root, opts);
  if (!file) return resultOf(root, contents, opts.account ?? 1);
  const index = contents.accounts.findIndex((a) => filePartOf(a.dataName) === file.part) + 1;
  if (index === 0) throw new SessionError('not-found', `${path}: an account the tdata's own list does not load (logged out or not listed)`);
  return resultOf(root, contents, index);
}

/** Every account of a tdata, as readings. */
export function readTdataAccounts(root: string, opts: FolderReadOptions = {}): ReadResult[] {
  const contents = readContents(root, opts);
  return contents.accounts.map((a) => resultOf(root, contents, a.index));
}

export const tdata: FolderFormat = {
  id: 'tdata',
  label: 'Telegram Desktop tdata folder',
  library: 'Telegram Desktop',
  medium: 'folder',
  capabilities: tdataCapabilities,
  matches: (dir) => isTdataFolder(dir),
  read: readTdataAccount,
  write: (dir, session, opts) => void writeTdata(dir, [session], { passcode: opts?.passcode }),
};
