/** Settings: staleness TTL, clipboard clearing, theme, and the library's locations. */
import { useState } from 'react';
import type { Settings } from '../../../shared/contract.js';
import { api } from '../api.js';
import { Dialog, ErrorLine } from '../components/ui.js';
import { useStore } from '../store.js';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { settings, saveSettings, roots, refreshLibrary, appDataDir } = useStore();
  const [draft, setDraft] = useState<Settings>(settings ?? { authTtlDays: 183, clipboardClearSeconds: 30, theme: 'system' });
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    try {
      await saveSettings(draft);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Dialog
      title="Settings"
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={() => void save()}>
            Save
          </button>
        </>
      }
    >
      <label className="field">
        <span>Authorization TTL (days)</span>
        <input className="input" type="number" min={1} max={3650} value={draft.authTtlDays} onChange={(e) => setDraft({ ...draft, authTtlDays: Number(e.target.value) })} />
        <span className="hint">Telegram ends sessions unused this long (account setting, 6 months by default). Older sessions are marked "likely expired".</span>
      </label>
      <label className="field">
        <span>Clear the clipboard after (seconds)</span>
        <input className="input" type="number" min={5} max={600} value={draft.clipboardClearSeconds} onChange={(e) => setDraft({ ...draft, clipboardClearSeconds: Number(e.target.value) })} />
        <span className="hint">Only when it still holds the copied session string; also on quit.</span>
      </label>
      <label className="field">
        <span>Appearance</span>
        <select className="input" value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <div className="field">
        <span>Library locations</span>
        {roots.length === 0 && <div className="faint">None yet.</div>}
        {roots.map((r) => (
          <div key={r.path} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <span className="mono small" style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {r.path}
            </span>
            <button className="btn sm" onClick={() => void api['library.remove']({ path: r.path }).then(refreshLibrary)}>
              Remove
            </button>
          </div>
        ))}
        <span className="hint">Removing a location only forgets it; no file is touched.</span>
      </div>
      <div className="faint small">
        App data: <span className="mono">{appDataDir}</span>
      </div>
      <ErrorLine error={error} />
    </Dialog>
  );
}
