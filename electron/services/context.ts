/**
 * What the domain handlers share: the app's state (settings, library, jobs, open sessions,
 * the secret vault, automatic backups, store passwords) and the few lookups more than one
 * domain needs. createServices builds it once.
 */
import type { ClipboardGuard } from '../../shared/clipboard-guard.js';
import type { Library, Root } from '../core/library/library.js';
import type { AutoBackups } from './edit-backup.js';
import type { Jobs } from './jobs.js';
import type { OpenSession, OpenSessions } from './open-sessions.js';
import type { Platform } from './platform.js';
import type { SecretVault } from './secrets.js';
import type { SettingsStore } from './settings.js';
import type { StorePasswords } from './store-passwords.js';

export interface ServiceContext {
  platform: Platform;
  settings: SettingsStore;
  library: Library;
  jobs: Jobs;
  sessions: OpenSessions;
  vault: SecretVault;
  auto: AutoBackups;
  passwords: StorePasswords;
  clipboardGuard: ClipboardGuard | undefined;
  /** An open session: a file's (re-read when it changed), a store's (kept until closed), or an imported string's. */
  openRef(ref: string): Promise<OpenSession>;
  /** The library root a path is under; a path outside the library is a usage error. */
  libraryPath(path: string): Root;
  /** Scans these roots (all by default) as a job. */
  scanJob(label: string, roots?: readonly Root[]): { jobId: string };
  /** The library's stores holding sessions of this layout, for a suggested output. */
  storesOf(format: string): string[];
}
