/**
 * Telegram Desktop's tdata folder (spec §10): read every account and every DC key it holds,
 * with or without a local passcode, and write one from sessions. Checked against Desktop's
 * own storage code, @mtcute/convert, gotd/td session/tdesktop and opentele2; see the modules:
 * container (TDF$ files), crypto (local key, AES-IGE blocks), key-data (key_datas), names
 * (account file names), mtp-auth (the account's settings file), mtp-config (test mode),
 * keyring (the local keys of folders unlocked in this process).
 */
export { isTdataFolder, readTdata, formatAppVersion, TESTED_APP_VERSION } from './read.js';
export { forgetUnlocked, unlockedKey, unlockTdata } from './keyring.js';
export type { TdataAccount, TdataContents, TdataReadOptions } from './read.js';
export { writeTdata } from './write.js';
export type { TdataWriteOptions } from './write.js';
export { FREE_ACCOUNTS, MAX_ACCOUNTS } from './key-data.js';
export { dataNameOf, filePartOf } from './names.js';
