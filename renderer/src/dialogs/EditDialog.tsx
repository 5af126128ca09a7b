/**
 * Edits on explicit request only, each after an automatic, encrypted backup of the original.
 * Without an automatic-backup passphrase yet, the dialog asks for one first (typed twice).
 */
import { useState } from 'react';
import type { EditOp } from '../../../shared/contract.js';
import { api } from '../api.js';
import { Dialog, ErrorLine } from '../components/ui.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type OpenSession } from '../store.js';
import { useAutoBackupPassphrase } from './auto-backup.js';
import { useAction } from './use-action.js';

export function EditDialog({ session, onClose }: { session: OpenSession; onClose(): void }) {
  const { notify, reopen, refreshLibrary } = useStore(useShallow((s) => ({ notify: s.notify, reopen: s.reopen, refreshLibrary: s.refreshLibrary })));
  const s = session.summary;
  const ids = [...new Set(s.dcs.map((d) => d.id))].sort((a, b) => a - b);
  const keyed = [...new Set(s.dcs.filter((d) => d.authKeyId).map((d) => d.id))].sort((a, b) => a - b);
  const [type, setType] = useState<EditOp['type']>('setHomeDc');
  const [dc, setDc] = useState<number>(s.homeDc ?? ids[0] ?? 1);
  const [sure, setSure] = useState(false);
  const { busy, failure, setError, run, retry } = useAction();
  const backupPass = useAutoBackupPassphrase(setError);

  const op: EditOp = type === 'clearPeers' ? { type } : { type, dc };
  const apply = () =>
    run(async () => {
      await backupPass.ensure();
      const r = await api['edit.apply']({ path: session.path!, op });
      notify(`Edited. The original is backed up (encrypted) at ${r.backup}`);
      await reopen();
      // The edit may change the login's fingerprint: its labels and duplicates with it.
      await refreshLibrary();
      onClose();
    });

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
          <button className="btn primary" disabled={!sure || busy || backupPass.hasPassphrase === null || backupPass.problem !== null} onClick={() => void apply()} data-testid="edit-apply">
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
      {backupPass.fields}
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} data-testid="edit-sure" />
        Change <span className="mono">{session.title}</span> in place (a backup of the original is taken first).
      </label>
      <ErrorLine error={failure} onRetry={retry} />
    </Dialog>
  );
}
