/**
 * Clean-up of "likely expired" sessions: moved to an archive folder (kept, out of the library)
 * or to the trash; never deleted.
 */
import { useState } from 'react';
import { api } from '../api.js';
import { Badge, Dialog, ErrorLine, Icon } from '../components/ui.js';
import { ago, formatShort } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { PathField } from './fields.js';
import { useAction } from './use-action.js';

export function CleanupDialog({ onClose }: { onClose(): void }) {
  const { entries, homeDir, mode, notify, refreshLibrary, set, selected } = useStore(useShallow((s) => ({ entries: s.entries, homeDir: s.homeDir, mode: s.mode, notify: s.notify, refreshLibrary: s.refreshLibrary, set: s.set, selected: s.selected })));
  const expired = entries.filter((e) => e.likelyExpired);
  const [chosen, setChosen] = useState<string[]>(expired.map((e) => e.path));
  const [where, setWhere] = useState<'archive' | 'trash'>('archive');
  const [dest, setDest] = useState(`${homeDir.replace(/[\\/]+$/, '')}/Session Deck archive`);
  const { busy, failure, run, retry } = useAction();

  const toggle = (p: string) => setChosen(chosen.includes(p) ? chosen.filter((x) => x !== p) : [...chosen, p]);
  const move = () =>
    run(async () => {
      // A move that fails halfway has moved some: the library is read again either way.
      try {
        let text: string;
        if (where === 'archive') {
          const r = await api['file.archive']({ paths: chosen, dest: dest.trim() });
          text = `Moved ${r.moved.length} to ${dest.trim()}`;
        } else {
          let place = '';
          for (const path of chosen) place = (await api['file.trash']({ path })).where;
          text = `Moved ${chosen.length} to ${place}`;
        }
        if (selected && chosen.includes(selected)) set({ selected: null, session: null });
        notify(text);
      } finally {
        await refreshLibrary();
      }
      onClose();
    });

  return (
    <Dialog
      title="Clean up likely expired sessions"
      onClose={onClose}
      wide
      testId="cleanup-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={chosen.length === 0 || busy || (where === 'archive' && !dest.trim())} onClick={() => void move()} data-testid="cleanup-move">
            <Icon name={where === 'archive' ? 'archive' : 'trash'} /> Move {chosen.length} {where === 'archive' ? 'to the archive' : 'to the trash'}
          </button>
        </>
      }
    >
      <div className="muted">Unused longer than the authorization TTL (Settings): Telegram has most likely ended these sessions. They are moved, never deleted.</div>
      <div className="list check-list" style={{ maxHeight: 200 }}>
        {expired.map((e) => (
          <label key={e.path} className="check-row">
            <input type="checkbox" checked={chosen.includes(e.path)} onChange={() => toggle(e.path)} />
            <span className="item-name">{e.name}</span>
            <Badge tone="fmt">{formatShort(e.format)}</Badge>
            <span className="faint small">last used {ago(Math.max(e.lastActivity * 1000, e.mtimeMs))}</span>
          </label>
        ))}
      </div>
      <div className="choices two">
        <label className={`choice ${where === 'archive' ? 'on' : ''}`}>
          <input type="radio" name="where" checked={where === 'archive'} onChange={() => setWhere('archive')} data-testid="cleanup-archive" />
          <div>
            <strong>Archive folder</strong>
            <div className="muted small">Kept on disk, out of the library; SQLite side files move along.</div>
          </div>
        </label>
        <label className={`choice ${where === 'trash' ? 'on' : ''}`}>
          <input type="radio" name="where" checked={where === 'trash'} onChange={() => setWhere('trash')} data-testid="cleanup-trash" />
          <div>
            <strong>{mode === 'electron' ? 'System trash' : "Session Deck's trash"}</strong>
            <div className="muted small">{mode === 'electron' ? 'Restorable from the trash.' : 'A trash folder in the app data folder.'}</div>
          </div>
        </label>
      </div>
      {where === 'archive' && <PathField value={dest} onChange={setDest} folderOnly label="Archive folder" hint="Outside the library's folders; created if missing. A name already there gets a number, never an overwrite." testId="cleanup-dest" />}
      <ErrorLine error={failure} onRetry={retry} />
    </Dialog>
  );
}
