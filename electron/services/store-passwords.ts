/**
 * Passwords of the library's stores, by the store's URL without one. Kept in memory for the
 * run; one the user asked to remember is sealed with the OS keychain (Electron's safeStorage)
 * into <appData>/store-passwords.json. Without a keychain (the web mode) nothing is written:
 * a password never sits on disk in plain text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs/atomic.js';
import { openStore } from '../core/store/open-store.js';
import type { StoreOpener } from '../core/store/session-refs.js';
import { parseStoreAddress } from '../core/store/store-url.js';
import type { SecretSeal } from './platform.js';

export class StorePasswords {
  private readonly known = new Map<string, string>();
  private readonly file: string;

  constructor(
    appDataDir: string,
    private readonly seal: SecretSeal | undefined,
  ) {
    this.file = join(appDataDir, 'store-passwords.json');
  }

  /** Whether a remembered password can be kept (an OS keychain is there). */
  get canRemember(): boolean {
    return this.seal !== undefined;
  }

  async set(store: string, password: string, remember: boolean): Promise<void> {
    this.known.set(store, password);
    if (!remember || !this.seal) return;
    const sealed = this.readSealed();
    sealed[store] = (await this.seal.seal(password)).toString('base64');
    writeFileAtomic(this.file, JSON.stringify(sealed, null, 2));
  }

  async get(store: string): Promise<string | undefined> {
    const held = this.known.get(store);
    if (held !== undefined || !this.seal) return held;
    const sealed = this.readSealed()[store];
    if (sealed === undefined) return undefined;
    const password = await this.seal.open(Buffer.from(sealed, 'base64'));
    this.known.set(store, password);
    return password;
  }

  forget(store: string): void {
    this.known.delete(store);
    const sealed = this.readSealed();
    if (!(store in sealed)) return;
    delete sealed[store];
    writeFileAtomic(this.file, JSON.stringify(sealed, null, 2));
  }

  /** Opens a store with its kept password when its URL has none. */
  readonly opener: StoreOpener = async (store, opts) => {
    const address = parseStoreAddress(store);
    const password = opts.password ?? (address.hasPassword ? undefined : await this.get(address.display));
    return openStore(store, { ...opts, password });
  };

  private readSealed(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
}
