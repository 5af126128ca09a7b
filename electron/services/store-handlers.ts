/**
 * The shared-store channel: adding a store to the library. It is opened once, read-only, so a
 * wrong password, an unreachable server or a database without a store's tables is the answer
 * and nothing is added; then it is listed as a job like a folder.
 */
import type { Library, Root } from '../core/library/library.js';
import { withStore } from '../core/store/session-refs.js';
import { parseStoreAddress } from '../core/store/store-url.js';
import type { Handlers } from './services.js';
import type { StorePasswords } from './store-passwords.js';

export interface StoreDeps {
  library: Library;
  passwords: StorePasswords;
  rescan: (label: string, roots: readonly Root[]) => string;
}

export function storeHandlers({ library, passwords, rescan }: StoreDeps): Pick<Handlers, 'library.addStore'> {
  return {
    'library.addStore': async ({ url, password, remember }) => {
      const address = parseStoreAddress(url);
      const given = password || (address.hasPassword ? decodeURIComponent(new URL(address.target).password) : undefined);
      const { format, sessions } = await withStore(address.display, { password: given }, async (s) => ({ format: s.format, sessions: (await s.listIds()).length }), passwords.opener);
      if (given !== undefined) await passwords.set(address.display, given, remember);
      const root = library.addStore(address.display);
      return { store: root.path, format, sessions, jobId: rescan(`Listing ${root.path}`, [root]) };
    },
  };
}
