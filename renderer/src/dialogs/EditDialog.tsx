/**
 * Edits on explicit request only, each after an automatic, encrypted backup of the original.
 * Without an automatic-backup passphrase yet, the dialog asks for one first (typed twice).
 */
import { useEffect, useState } from 'react';
import type { EditOp } from '../../../shared/contract.js';
import { api } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useStore, type OpenSession } from '../store.js';
import { PassphraseFields, passphraseProblem } from './fields.js';

export function EditDialog({ session, onClose }: { session: OpenSession; onClose(): void }) {
  const { notify, reopen, refreshLibrary } = useStore();
  const s = session.summary;
  const ids = [...new Set(s.dcs.map((d) => d.id))].sort((a, b) => a - b);
  const keyed = [...new Set(s.dcs.filter((d) => d.authKeyId).map((d) => d.id))].sort((a, b) => a - b);
  const [type, setType] = useState<EditOp['type']>('setHomeDc');
  const [dc, setDc] = useState<number>(s.homeDc ?? ids[0] ?? 1);
  const [sure, setSure] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // null while asking; false: the passphrase must be chosen here first.
  const [hasPassphrase, setHasPassphrase] = useState<boolean | null>(null);
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  useEffect(() => {
    api['autoBackup.status']({}).then(
      (r) => setHasPassphrase(r.passphraseSet),
      (e: Error) => setError(e.message),
    );
  }, []);
  const passProblem = hasPassphrase === false ? passphraseProblem(pass, again) : null;

  const op: EditOp = type === 'clearPeers' ? { type } : { type, dc };
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      if (hasPassphrase === false) {
        await api['autoBackup.setPassphrase']({ passphrase: pass });
        setHasPassphrase(true);
      }
      const r = await api['edit.apply']({ path: session.path!, op });
      notify(`Edited. The original is backed up (encrypted) at ${r.backup}`);
      await reopen();
      // The edit may change the login's fingerprint: its labels and duplicates with it.
      await refreshLibrary();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const choices: [EditOp['type'], string, string][] = [
    ['setHomeDc', 'Set the home DC', 'The DC the library logs in through. It must have an auth key to be useful.'],
    ['removeDcKey', "Remove a DC's auth key", 'That DC will need a new key exchange; removing the home key logs the session out.'],
    ['clearPeers', 'Clear the peer cache', `Drops ${s.peers.total} cached peers and ${s.minPeers} min-peer contexts; the library fetches them again.`],
  ];

  return (
    <Dialog
      title="Edit session"
      onClose={onClose}
      testId="edit-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={!sure || busy || hasPassphrase === null || passProblem !== null} onClick={() => void apply()} data-testid="edit-apply">
            Back up and apply
          </button>
        </>
      }
    >
      <div className="list" style={{ maxHeight: 'none' }}>
        {choices.map(([id, label, help]) => (
          <button key={id} className={type === id ? 'on' : ''} onClick={() => setType(id)}>
            <strong>{label}</strong>
            <div className="muted small">{help}</div>
          </button>
        ))}
      </div>
      {type !== 'clearPeers' && (
        <label className="field">
          <span>DC</span>
          <select className="input" value={dc} onChange={(e) => setDc(Number(e.target.value))} data-testid="edit-dc">
            {(type === 'removeDcKey' ? keyed : ids).map((id) => (
              <option key={id} value={id}>
                DC {id}
                {id === s.homeDc ? ' (home)' : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {hasPassphrase === false && (
        <div className="note info" style={{ display: 'grid', gap: 10 }} data-testid="edit-passphrase">
          <div style={{ display: 'flex', gap: 8 }}>
            <Icon name="shield" />
            <div>
              Before any edit, Session Deck backs up the original into an encrypted archive in its data folder. Choose the passphrase for these automatic backups; it is asked once and can be changed in Settings.
            </div>
          </div>
          <PassphraseFields value={pass} again={again} confirm onChange={(v, a) => (setPass(v), setAgain(a))} label="Automatic-backup passphrase" testId="edit-pass" />
        </div>
      )}
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} data-testid="edit-sure" />
        Change <span className="mono">{session.title}</span> in place (a backup of the original is taken first).
      </label>
      <ErrorLine error={error} />
    </Dialog>
  );
}
