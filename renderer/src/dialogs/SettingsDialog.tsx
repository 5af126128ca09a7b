/** Settings: staleness TTL, clipboard clearing, theme, automatic backups, and the library's locations. */
import { useState } from 'react';
import type { Settings } from '../../../shared/contract.js';
import { DEFAULT_SETTINGS } from '../../../shared/settings-defaults.js';
import { api } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { setAutoBackupPassphrase, useAutoBackupStatus } from './auto-backup.js';
import { PassphraseFields, passphraseProblem } from './fields.js';
import { useAction } from './use-action.js';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { settings, saveSettings, roots, refreshLibrary, appDataDir, notify } = useStore(useShallow((s) => ({ settings: s.settings, saveSettings: s.saveSettings, roots: s.roots, refreshLibrary: s.refreshLibrary, appDataDir: s.appDataDir, notify: s.notify })));
  const [draft, setDraft] = useState<Settings>(settings ?? DEFAULT_SETTINGS);
  const action = useAction();
  const auto = useAutoBackupStatus().data ?? null;
  const [changing, setChanging] = useState(false);
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const passProblem = changing ? passphraseProblem(pass, again) : null;

  const save = () =>
    action.run(async () => {
      if (passProblem) throw new Error(passProblem);
      if (changing) {
        await setAutoBackupPassphrase(pass);
        notify('Automatic-backup passphrase saved');
      }
      await saveSettings(draft);
      onClose();
    });
  const number = (k: keyof Settings) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: Number(e.target.value) });

  return (
    <Dialog
      title="Settings"
      onClose={onClose}
      wide
      testId="settings-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={action.busy} onClick={() => void save()}>
            Save
          </button>
        </>
      }
    >
      <div className="settings-grid">
        <label className="field">
          <span>Authorization TTL (days)</span>
          <input className="input" type="number" min={1} max={3650} value={draft.authTtlDays} onChange={number('authTtlDays')} />
          <span className="hint">Telegram ends sessions unused this long (account setting, 6 months by default). Older sessions are marked "likely expired".</span>
        </label>
        <label className="field">
          <span>Clear the clipboard after (seconds)</span>
          <input className="input" type="number" min={5} max={600} value={draft.clipboardClearSeconds} onChange={number('clipboardClearSeconds')} />
          <span className="hint">Only when it still holds the copied session string; also on quit.</span>
        </label>
      </div>
      <label className="field">
        <span>Appearance</span>
        <select className="input" value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })} data-testid="settings-theme">
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>

      <div className="field settings-box" data-testid="settings-auto-backup">
        <span>
          <Icon name="shield" /> Automatic backups before edits
        </span>
        <div className="muted small">
          {auto ? (
            <>
              {auto.count} in <span className="mono">{auto.dir}</span>
              {auto.passphraseSet ? ' · passphrase set' : ' · no passphrase yet: the first edit asks for one'}
            </>
          ) : (
            'Loading…'
          )}
        </div>
        <div className="settings-grid">
          <label className="field">
            <span>Keep the last</span>
            <div className="input-unit">
              <input className="input" type="number" min={0} max={10000} value={draft.autoBackupKeepLast} onChange={number('autoBackupKeepLast')} data-testid="settings-keep-last" />
              <span>backups</span>
            </div>
            <span className="hint">0 keeps any number.</span>
          </label>
          <label className="field">
            <span>Remove those older than</span>
            <div className="input-unit">
              <input className="input" type="number" min={0} max={3650} value={draft.autoBackupMaxAgeDays} onChange={number('autoBackupMaxAgeDays')} data-testid="settings-max-age" />
              <span>days</span>
            </div>
            <span className="hint">0 keeps them at any age. Checked at start and every few hours; only automatic backups are ever removed.</span>
          </label>
        </div>
        {changing ? (
          <PassphraseFields value={pass} again={again} confirm onChange={(v, a) => (setPass(v), setAgain(a))} label="New automatic-backup passphrase" testId="settings-pass" />
        ) : (
          <div>
            <button className="btn sm" onClick={() => setChanging(true)} data-testid="settings-change-pass">
              <Icon name="key" /> {auto?.passphraseSet ? 'Change the passphrase…' : 'Set the passphrase…'}
            </button>
            {auto?.passphraseSet && <span className="faint small"> Earlier backups keep the passphrase they were made with.</span>}
          </div>
        )}
      </div>

      <div className="field">
        <span>Library locations</span>
        {roots.length === 0 && <div className="faint">None yet.</div>}
        {roots.map((r) => (
          <div key={r.path} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <span className="mono small" style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {r.path}
            </span>
            <button className="btn sm" onClick={() => void action.run(async () => {
                await api['library.remove']({ path: r.path });
                await refreshLibrary();
              })}>
              Remove
            </button>
          </div>
        ))}
        <span className="hint">Removing a location only forgets it; no file is touched.</span>
      </div>
      <div className="faint small">
        App data: <span className="mono">{appDataDir}</span>
      </div>
      <ErrorLine error={action.failure} onRetry={action.retry} />
    </Dialog>
  );
}
