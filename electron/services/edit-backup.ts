/**
 * Automatic backups before edits: the original goes into an encrypted `auto-<time>.tar.age`
 * in <appData>/backups (electron/core/backup/retention.ts), under the automatic-backup
 * passphrase the user sets once in Settings. Retention (keep the last N, drop those older than
 * N days) runs at start, on a timer and after each new backup, and only ever removes
 * automatic backups.
 *
 * The passphrase sits in <appData>/auto-backup-passphrase (mode 0600), sealed with the OS
 * keychain when the host offers one (Electron's safeStorage); it never goes back to the UI.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRetention, autoBackup, type RetentionPolicy } from '../core/backup/retention.js';
import type { StoreOpener } from '../core/store/session-refs.js';
import type { BackupSource } from '../core/backup/source.js';
import { SessionError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs/atomic.js';
import type { SecretSeal } from './platform.js';

const PASSPHRASE_FILE = 'auto-backup-passphrase';
const SIX_HOURS = 6 * 60 * 60 * 1000;

export const AUTO_BACKUP_HINT = 'set the automatic-backup passphrase (Settings) before editing: the original is backed up first';

export interface AutoBackupOptions {
  appDataDir: string;
  /** How a store is opened when the session backed up lives in one. */
  openStore?: StoreOpener;
  policy: () => RetentionPolicy;
  seal?: SecretSeal;
  /** scrypt log2(N) for the archives; lower only in tests. */
  workFactor?: number;
  /** The app's version, for the archives' manifests. */
  appVersion: string;
}

export class AutoBackups {
  readonly dir: string;
  private readonly secretFile: string;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The retention pass running now, if any; the next one starts after it. */
  private pruning: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: AutoBackupOptions) {
    this.dir = join(opts.appDataDir, 'backups');
    this.secretFile = join(opts.appDataDir, PASSPHRASE_FILE);
  }

  get passphraseSet(): boolean {
    return existsSync(this.secretFile);
  }

  async setPassphrase(passphrase: string): Promise<void> {
    const sealed = this.opts.seal;
    const record = sealed
      ? { sealed: true, data: (await sealed.seal(passphrase)).toString('base64') }
      : { sealed: false, data: Buffer.from(passphrase, 'utf8').toString('base64') };
    mkdirSync(this.opts.appDataDir, { recursive: true });
    writeFileAtomic(this.secretFile, JSON.stringify(record));
  }

  private async passphrase(): Promise<string> {
    if (!this.passphraseSet) throw new SessionError('missing-field', AUTO_BACKUP_HINT);
    try {
      const record = JSON.parse(readFileSync(this.secretFile, 'utf8')) as { sealed: boolean; data: string };
      const data = Buffer.from(record.data, 'base64');
      if (!record.sealed) return data.toString('utf8');
      if (!this.opts.seal) throw new Error('sealed by the desktop app');
      return await this.opts.seal.open(data);
    } catch {
      throw new SessionError('missing-field', 'the automatic-backup passphrase cannot be read here; set it again in Settings');
    }
  }

  /** Backs up the session at `source` before it is edited; returns the archive's path. */
  async beforeEdit(source: BackupSource): Promise<string> {
    const r = await autoBackup([source], this.dir, await this.passphrase(), { workFactor: this.opts.workFactor, openStore: this.opts.openStore, appVersion: this.opts.appVersion });
    await this.prune();
    return r.file;
  }

  /**
   * Applies the retention policy now (nothing to do before the first automatic backup), one
   * pass at a time: a settings change and the start both prune, and two passes would race
   * over the same files.
   */
  prune(now = new Date()): Promise<{ removed: string[]; kept: string[] }> {
    const pass = this.pruning.then(() => (existsSync(this.dir) ? applyRetention(this.dir, this.opts.policy(), now) : { removed: [], kept: [] }));
    this.pruning = pass.catch(() => undefined);
    return pass;
  }

  startTimer(everyMs = SIX_HOURS): void {
    this.stopTimer();
    this.timer = setInterval(() => void this.prune().catch(() => undefined), everyMs);
    this.timer.unref();
  }

  stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
