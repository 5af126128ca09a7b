/** The shell: top bar, sidebar, main pane, dialogs, keyboard shortcuts, theme, events. */
import { useEffect } from 'react';
import { api, onEvent } from '../api.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { followLibrary } from '../query.js';
import { AddDialog } from '../dialogs/AddDialog.js';
import { StoreDialog } from '../dialogs/StoreDialog.js';
import { StoreDeleteDialog } from '../dialogs/StoreDeleteDialog.js';
import { BackupDialog } from '../dialogs/BackupDialog.js';
import { BatchConvertDialog } from '../dialogs/BatchConvertDialog.js';
import { CleanupDialog } from '../dialogs/CleanupDialog.js';
import { ConvertDialog } from '../dialogs/ConvertDialog.js';
import { EditDialog } from '../dialogs/EditDialog.js';
import { ExportDialog } from '../dialogs/ExportDialog.js';
import { Finder } from '../dialogs/Finder.js';
import { ImportDialog } from '../dialogs/ImportDialog.js';
import { RestoreDialog } from '../dialogs/RestoreDialog.js';
import { SettingsDialog } from '../dialogs/SettingsDialog.js';
import { TrashDialog } from '../dialogs/TrashDialog.js';
import { UnlockDialog } from '../dialogs/UnlockDialog.js';
import { DropZone } from './DropZone.js';
import { progressbar } from './job.js';
import { SessionView } from './SessionView.js';
import { Sidebar } from './Sidebar.js';
import { Icon } from './ui.js';

function useTheme() {
  const theme = useStore((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && media.matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    // Remembered for public/theme-boot.js, which applies it before the next start's first paint.
    try {
      localStorage.setItem('sessiondeck-theme', theme);
    } catch {
      // No storage: the next start applies it once its settings arrive, as this one did.
    }
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

function useShortcuts() {
  const openDialog = useStore((s) => s.openDialog);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const k = e.key.toLowerCase();
      const map: Record<string, Parameters<typeof openDialog>[0]> = {
        k: { type: 'finder' },
        o: { type: 'add' },
        i: { type: 'import' },
        ',': { type: 'settings' },
      };
      const d = map[k];
      if (d) {
        e.preventDefault();
        openDialog(d);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openDialog]);
}

function Jobs() {
  const jobs = Object.values(useStore((s) => s.jobs));
  // A dialog shows its own job's progress; the bar is for work going on behind the page.
  const dialogOpen = useStore((s) => s.dialog !== null);
  const job = jobs.find((j) => j.state === 'running') ?? jobs[0];
  if (!job || dialogOpen) return null;
  const pct = job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
  return (
    <div className="jobbar" data-testid="job">
      <span>{job.label}</span>
      <div className="progress" {...progressbar(job.label, job.state === 'running' ? (job.total > 0 ? pct : undefined) : 100)}>
        <div style={{ width: `${job.state === 'running' ? pct : 100}%` }} />
      </div>
      <span className="faint">{job.total > 0 ? `${job.done}/${job.total}` : ''}</span>
      {job.state === 'running' && (
        <button className="btn ghost sm" onClick={() => void api['job.cancel']({ jobId: job.jobId }).catch(() => undefined)}>
          Cancel
        </button>
      )}
    </div>
  );
}

export function App() {
  // Only what the shell draws from: a keystroke in a dialog or a job's progress does not redraw it.
  const s = useStore(useShallow((st) => ({ dialog: st.dialog, fatal: st.fatal, mode: st.mode, openDialog: st.openDialog, session: st.session, toast: st.toast, init: st.init, onJob: st.onJob })));
  useTheme();
  useShortcuts();
  useEffect(() => {
    void s.init();
    const offJob = onEvent('job', (e) => s.onJob(e));
    const offLib = onEvent('library.changed', () => void useStore.getState().refreshLibrary());
    const offMenu = onEvent('menu', ({ action }) => useStore.getState().openDialog({ type: action }));
    const offQueries = followLibrary();
    return () => {
      offJob();
      offLib();
      offMenu();
      offQueries();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (s.fatal) {
    return (
      <div className="empty">
        <div className="empty-box">
          <h2>Session Deck cannot reach its engine</h2>
          <p>{s.fatal}</p>
        </div>
      </div>
    );
  }

  const close = () => s.openDialog(null);
  const d = s.dialog?.type;
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <div className="brand-mark">SD</div>
          Session Deck
          {s.mode === 'web' && <span className="mode" title="Served on 127.0.0.1 with a private token">local web</span>}
        </div>
        <button className="finder-btn" onClick={() => s.openDialog({ type: 'finder' })} data-testid="open-finder">
          <Icon name="search" />
          <span>Find a session or peer…</span>
          <kbd>Ctrl K</kbd>
        </button>
        <div className="spacer" />
        <Jobs />
        <button className="btn" onClick={() => s.openDialog({ type: 'add' })} title="Add a folder or file (Ctrl+O)">
          <Icon name="folder" /> Add folder
        </button>
        <button className="btn" onClick={() => s.openDialog({ type: 'store' })} title="Add a PostgreSQL or Redis session store" data-testid="open-store">
          <Icon name="database" /> Add store
        </button>
        <button className="btn" onClick={() => s.openDialog({ type: 'import' })} title="Import a session string (Ctrl+I)">
          <Icon name="paste" /> Import string
        </button>
        <div className="btn-group">
          <button className="btn" onClick={() => s.openDialog({ type: 'backup' })} title="Back up sessions into an encrypted .tar.age" data-testid="open-backup">
            <Icon name="shield" /> Back up
          </button>
          <button className="btn" onClick={() => s.openDialog({ type: 'restore' })} title="Verify or restore a backup" data-testid="open-restore">
            <Icon name="restore" /> Restore
          </button>
        </div>
        <button className="btn ghost" onClick={() => s.openDialog({ type: 'settings' })} aria-label="Settings" title="Settings (Ctrl+,)">
          <Icon name="gear" />
        </button>
      </header>
      <div className="body">
        <Sidebar />
        <SessionView />
      </div>
      {s.dialog?.type === 'add' && <AddDialog onClose={close} dropped={s.dialog.dropped} />}
      {s.dialog?.type === 'unlock' && <UnlockDialog path={s.dialog.path} onClose={close} />}
      {d === 'store' && <StoreDialog onClose={close} />}
      {d === 'storeDelete' && s.session && <StoreDeleteDialog session={s.session} onClose={close} />}
      {d === 'backup' && <BackupDialog onClose={close} />}
      {d === 'restore' && <RestoreDialog onClose={close} />}
      {d === 'batch' && <BatchConvertDialog onClose={close} />}
      {d === 'cleanup' && <CleanupDialog onClose={close} />}
      {d === 'import' && <ImportDialog onClose={close} />}
      {d === 'settings' && <SettingsDialog onClose={close} />}
      {d === 'finder' && <Finder onClose={close} />}
      {d === 'export' && s.session && <ExportDialog session={s.session} onClose={close} />}
      {d === 'convert' && s.session && <ConvertDialog session={s.session} onClose={close} />}
      {d === 'edit' && s.session?.path && <EditDialog session={s.session} onClose={close} />}
      {d === 'trash' && s.session?.path && <TrashDialog session={s.session} onClose={close} />}
      <DropZone />
      {s.toast && (
        <div className={`toast ${s.toast.kind}`} role="status" data-testid="toast">
          {s.toast.text}
        </div>
      )}
    </div>
  );
}
