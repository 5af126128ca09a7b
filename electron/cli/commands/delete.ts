import { SessionError } from '../../core/errors.js';
import { storeRefOf, withStore } from '../../core/store/session-refs.js';
import { parseStoreAddress, storeRef } from '../../core/store/store-url.js';
import { one, parse, type Command } from '../args.js';
import { PASSPHRASE_ENV } from '../passphrase.js';
import { backUpBeforeChange } from '../auto-backup.js';
import { cliStoreOpener } from '../stores.js';

export const deleteCommand: Command = {
  usage: `sessiondeck delete <store URL>#<session id>

  deletes one session from a shared store, in one transaction, after an automatic encrypted
  backup of it into the app's backups folder (the same the app keeps before edits); files are
  never deleted here: the app moves them to the trash
The backup's passphrase is asked for on the terminal, or taken from ${PASSPHRASE_ENV}.`,
  async run(argv, io) {
    const { positionals } = parse(argv, {});
    const input = one(positionals, 'session');
    const ref = storeRefOf(input);
    if (!ref?.id) throw new SessionError('usage', 'delete takes a session in a store: <store URL>#<session id>');
    const id = ref.id;
    // The session must be there before anything is written: a backup of nothing is no backup.
    await withStore(ref.store, {}, (s) => s.load(id), cliStoreOpener);
    const backup = await backUpBeforeChange(input);
    const deleted = await withStore(ref.store, { write: true }, (s) => s.delete(id), cliStoreOpener);
    const shown = storeRef(parseStoreAddress(ref.store).display, id);
    io.out(deleted ? `${shown}: deleted (backed up first to ${backup})` : `${shown}: was already gone (backed up to ${backup})`);
    return 0;
  },
};
