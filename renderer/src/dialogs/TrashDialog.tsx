/** Delete = move to the trash (the OS trash, or the app's trash folder in the web mode); never a silent delete. */
import { api } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type OpenSession } from '../store.js';
import { useAction } from './use-action.js';

export function TrashDialog({ session, onClose }: { session: OpenSession; onClose(): void }) {
  const { notify, refreshLibrary, set, mode } = useStore(useShallow((s) => ({ notify: s.notify, refreshLibrary: s.refreshLibrary, set: s.set, mode: s.mode })));
  const { busy, failure, run, retry } = useAction();
  const trash = () =>
    run(async () => {
      const r = await api['file.trash']({ path: session.path! });
      set({ selected: null, session: null });
      notify(`Moved to ${r.where}`);
      await refreshLibrary();
      onClose();
    });
  return (
    <Dialog
      title="Move to trash"
      onClose={onClose}
      testId="trash-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn danger solid" disabled={busy} onClick={() => void trash()} data-testid="trash-confirm">
            <Icon name="trash" /> Move to trash
          </button>
        </>
      }
    >
      <div>
        <span className="mono">{session.path}</span> will be moved to {mode === 'electron' ? 'the system trash' : "Session Deck's trash folder in its data folder"}, from where it can be restored.
      </div>
      <ErrorLine error={failure} onRetry={retry} />
    </Dialog>
  );
}
