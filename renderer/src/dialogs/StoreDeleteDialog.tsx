/** Delete a session from its shared store: an automatic encrypted backup of it first, then one transaction. */
import { api } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type OpenSession } from '../store.js';
import { useAutoBackupPassphrase } from './auto-backup.js';
import { useAction } from './use-action.js';

export function StoreDeleteDialog({ session, onClose }: { session: OpenSession; onClose(): void }) {
  const { notify, refreshLibrary, set } = useStore(useShallow((s) => ({ notify: s.notify, refreshLibrary: s.refreshLibrary, set: s.set })));
  const { busy, failure, setError, run, retry } = useAction();
  const backupPass = useAutoBackupPassphrase(setError);
  const remove = () =>
    run(async () => {
      await backupPass.ensure();
      const r = await api['store.delete']({ ref: session.ref });
      set({ selected: null, session: null });
      notify(`Deleted from the store. It is backed up (encrypted) at ${r.backup}`);
      await refreshLibrary();
      onClose();
    });
  return (
    <Dialog
      title="Delete from the store"
      onClose={onClose}
      testId="store-delete-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn danger solid" disabled={busy || backupPass.hasPassphrase === null || backupPass.problem !== null} onClick={() => void remove()} data-testid="store-delete-confirm">
            <Icon name="trash" /> Back up and delete
          </button>
        </>
      }
    >
      <div>
        <span className="mono">{session.title}</span> will be deleted from <span className="mono">{session.path?.replace(/#[^#]*$/, '')}</span>, in one transaction, after an encrypted automatic backup of it that Restore can put back.
      </div>
      {backupPass.fields}
      <ErrorLine error={failure} onRetry={retry} />
    </Dialog>
  );
}
