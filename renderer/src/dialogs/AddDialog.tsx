/** Add a folder or file to the library: native dialogs in Electron, a path field with completion everywhere. */
import { useState } from 'react';
import { api, isElectron } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useStore } from '../store.js';
import { PathField } from './fields.js';
import { useAction } from './use-action.js';

/** `dropped`: names of files dropped on the web page, which the browser gives without their folders. */
export function AddDialog({ onClose, dropped }: { onClose(): void; dropped?: string[] }) {
  const refreshLibrary = useStore((s) => s.refreshLibrary);
  const [path, setPath] = useState('');
  const { failure, run, retry } = useAction();
  const addNow = async (paths: string[]) => {
    if (paths.length === 0) return;
    await api['library.add']({ paths });
    await refreshLibrary();
    onClose();
  };
  const add = (paths: string[]) => run(() => addNow(paths));
  const native = (kind: 'folder' | 'file') => run(async () => addNow((await api['dialog.open']({ kind })).paths));
  return (
    <Dialog
      title="Add to the library"
      onClose={onClose}
      testId="add-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={!path.trim()} onClick={() => void add([path.trim()])} data-testid="add-confirm">
            Add
          </button>
        </>
      }
    >
      {isElectron() && (
        <div style={{ display: 'flex', gap: 8 }}>
          <button className="btn" onClick={() => void native('folder')}>
            <Icon name="folder" /> Choose folder…
          </button>
          <button className="btn" onClick={() => void native('file')}>
            <Icon name="file" /> Choose file…
          </button>
        </div>
      )}
      {dropped && dropped.length > 0 && (
        <div className="note info" data-testid="drop-note">
          <Icon name="drop" />
          <div>
            You dropped <strong>{dropped.slice(0, 3).join(', ')}{dropped.length > 3 ? ` and ${dropped.length - 3} more` : ''}</strong>. A browser never tells a page where a dropped file lives, so type the folder it is in below (Tab completes). The desktop app takes drops directly.
          </div>
        </div>
      )}
      <PathField value={path} onChange={setPath} label="Folder or file path" hint="Tab completes. Folders are scanned for every supported format and watched for changes; files are only read." testId="add-path" />
      <ErrorLine error={failure} onRetry={retry} />
    </Dialog>
  );
}
