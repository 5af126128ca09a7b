/**
 * Add a shared session store to the library: a PostgreSQL or Redis URL, or an SQLite file with
 * the alchemy tables. The core opens it once, read-only, and answers with what it found or
 * one line saying why not; the password is kept for this run, and (desktop app only) sealed
 * by the OS keychain when asked. Never in the URL the library shows.
 */
import { useRef, useState } from 'react';
import { api, isElectron } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useStore } from '../store.js';
import { PassphraseFields } from './fields.js';
import { useAction } from './use-action.js';

export function StoreDialog({ onClose }: { onClose(): void }) {
  const notify = useStore((s) => s.notify);
  const refreshLibrary = useStore((s) => s.refreshLibrary);
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const passRef = useRef<HTMLInputElement>(null);
  const { busy, failure, run, retry } = useAction({ secret: passRef });
  const add = () =>
    run(async () => {
      if (!url.trim()) return;
      const r = await api['library.addStore']({ url: url.trim(), password: password || undefined, remember });
      await refreshLibrary();
      notify(`Added ${r.store}: ${r.sessions} session${r.sessions === 1 ? '' : 's'} (${r.format})`);
      onClose();
    });
  return (
    <Dialog
      title="Add a shared store"
      onClose={onClose}
      testId="store-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={!url.trim() || busy} onClick={() => void add()} data-testid="store-confirm">
            <Icon name="database" /> {busy ? 'Connecting…' : 'Add store'}
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label className="field">
          <span>Store URL</span>
          <input
            className="input mono"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="postgresql://user@host:5432/db   redis://host:6379/0"
            spellCheck={false}
            autoComplete="off"
            data-testid="store-url"
          />
        </label>
        <div className="faint small">
          PostgreSQL holds Telethon's SQLAlchemy tables (<span className="mono">?prefix=</span>) or mtcute's storage (<span className="mono">?schema=</span>, default mtcute); Redis holds telethon-session-redis keys (<span className="mono">?hive=</span>). The layout is found from the tables present.
        </div>
        <PassphraseFields value={password} again="" onChange={(v) => setPassword(v)} confirm={false} label="Password (when the URL has none)" testId="store-password" inputRef={passRef} />
        {isElectron() && (
          <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} data-testid="store-remember" />
            Remember the password (sealed by the system keychain)
          </label>
        )}
      </form>
      <div className="faint">The store is only read: listing, inspecting and exporting never write to it. Sessions are written into it only by Convert, when you choose it as the output.</div>
      <ErrorLine error={failure} onRetry={retry} />
    </Dialog>
  );
}
