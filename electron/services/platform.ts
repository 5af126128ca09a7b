/** What the handlers need from their host (Electron main process or the web server). */
import type { ClipboardLike } from '../../shared/clipboard-guard.js';
import type { EventName, EventPayload } from '../../shared/contract.js';

/** Encrypts a small secret with the OS keychain (Electron's safeStorage). */
export interface SecretSeal {
  seal(text: string): Buffer | Promise<Buffer>;
  open(data: Buffer): string | Promise<string>;
}

export interface Platform {
  mode: 'electron' | 'web';
  appDataDir: string;
  version: string;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  /** The main-process clipboard (Electron); absent in the web mode, where the browser copies. */
  clipboard?: ClipboardLike;
  /** Moves to the OS trash (Electron); absent in the web mode, which uses <appData>/trash. */
  trashItem?(path: string): Promise<void>;
  openDialog?(kind: 'folder' | 'file'): Promise<string[]>;
  saveDialog?(defaultPath: string): Promise<string | null>;
  /** Seals the automatic-backup passphrase at rest (Electron, when the OS keychain works). */
  seal?: SecretSeal;
  /** Watch added folders for changes (off in short-lived tests). */
  watchFolders?: boolean;
  /** scrypt log2(N) for backups made by the app; lower only in tests (default: age's 18). */
  backupWorkFactor?: number;
}
