/**
 * The shared-store channels. Adding a store to the library: it is opened once, read-only, so a
 * wrong password, an unreachable server or a database without a store's tables is the answer
 * and nothing is added; then it is listed as a job like a folder. Deleting a session from its
 * store: an automatic encrypted backup of it first, as before an edit, then one transaction.
 */
import { SessionError } from '../core/errors.js';
import type { Library, Root } from '../core/library/library.js';
import { storeRefOf, withStore } from '../core/store/session-refs.js';
import { parseStoreAddress } from '../core/store/store-url.js';
import type { AutoBackups } from './edit-backup.js';
import type { OpenSessions } from './open-sessions.js';
import type { Handlers } from './handlers.js';
import type { StorePasswords } from './store-passwords.js';

export interface StoreDeps {
  library: Library;
  passwords: StorePasswords;
  /** The automatic backup taken before a session is deleted. */
  auto: AutoBackups;
  sessions: OpenSessions;
  rescan: (label: string, roots: readonly Root[]) => string;
}

export function storeHandlers({ library, passwords, auto, sessions, rescan }: StoreDeps): Pick<Handlers, 'library.addStore' | 'store.delete'> {
  return {
    'library.addStore': async ({ url, password, remember }) => {
      const address = parseStoreAddress(url);
      const given = password || (address.hasPassword ? decodeURIComponent(new URL(address.target).password) : undefined);
      const { format, count } = await withStore(address.display, { password: given }, async (s) => ({ format: s.format, count: (await s.listIds()).length }), passwords.opener);
      if (given !== undefined) await passwords.set(address.display, given, remember);
      const root = library.addStore(address.display);
      return { store: root.path, format, sessions: count, jobId: rescan(`Listing ${root.path}`, [root]) };
    },
    'store.delete': async ({ ref }) => {
      const at = storeRefOf(ref);
      if (!at?.id) throw new SessionError('usage', `${ref}: not a session in a store`);
      const id = at.id;
      // It must be there: a backup of nothing is no backup.
      await withStore(at.store, {}, (s) => s.load(id), passwords.opener);
      const backup = await auto.beforeEdit(ref);
      await withStore(at.store, { write: true }, (s) => s.delete(id), passwords.opener);
      sessions.close(ref);
      const root = library.storeRoot(at.store);
      if (root) await library.scan([root]);
      return { backup };
    },
  };
}
