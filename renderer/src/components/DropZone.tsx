/**
 * Files and folders dropped anywhere on the window join the library. Electron gives their
 * paths (the preload's webUtils.getPathForFile); a browser never does, so the web mode says so
 * and opens the Add dialog with the path field.
 */
import { useEffect, useState } from 'react';
import { droppedPaths, isElectron } from '../api.js';
import { useStore } from '../store.js';
import { Icon } from './ui.js';

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;

async function onDrop(files: FileList): Promise<void> {
  const { addPaths, notify, openDialog } = useStore.getState();
  if (!isElectron()) {
    openDialog({ type: 'add', dropped: [...files].map((f) => f.name) });
    return;
  }
  const paths = droppedPaths(files);
  if (paths.length === 0) return notify('Nothing to add: drop files or folders from your disk', 'error');
  try {
    await addPaths(paths);
    notify(`Added ${paths.length === 1 ? paths[0] : `${paths.length} locations`} to the library`);
  } catch (e) {
    notify((e as Error).message, 'error');
  }
}

export function DropZone() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    // dragenter/dragleave fire for every child crossed: count them.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overWindow = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      // Without this the browser would open the dropped file in place of the app.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      if (e.dataTransfer) void onDrop(e.dataTransfer.files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!over) return null;
  const desktop = isElectron();
  return (
    <div className="dropzone" data-testid="dropzone">
      <div className="dropzone-box">
        <div className="empty-art">
          <Icon name="drop" size={26} />
        </div>
        <h2>Drop to add to the library</h2>
        <p>
          {desktop
            ? 'Folders are scanned for every supported format and watched; files are only read.'
            : 'In the browser, Session Deck cannot see where dropped files live. After the drop, type their folder in the path field.'}
        </p>
      </div>
    </div>
  );
}
