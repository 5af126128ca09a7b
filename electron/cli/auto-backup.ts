/**
 * The automatic encrypted backup the CLI takes of a store session before it deletes or
 * replaces it, into the app's backups folder (the same the app keeps before edits). Its own
 * module, so commands that never change a store do not load the backup code at start.
 */
import { join } from 'node:path';
import { autoBackup } from '../core/backup/retention.js';
import { defaultAppDataDir } from '../services/app-data.js';
import { getPassphrase } from './passphrase.js';
import { cliStoreOpener } from './stores.js';
import { APP_VERSION } from './version.js';

/** Backs up the session `ref` names; returns the archive's path. */
export async function backUpBeforeChange(ref: string): Promise<string> {
  return (await autoBackup([ref], join(defaultAppDataDir(), 'backups'), await getPassphrase({ confirm: true }), { openStore: cliStoreOpener, appVersion: APP_VERSION })).file;
}

