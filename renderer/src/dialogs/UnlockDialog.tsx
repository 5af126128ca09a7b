/**
 * The passcode dialog: a Telegram Desktop tdata behind a local passcode is listed locked until
 * the passcode is given here. The core checks it and keeps only the folder's local key, in
 * memory, until the app quits; the passcode is never saved.
 */
import { useState } from 'react';
import { api } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useStore } from '../store.js';
import { PassphraseFields } from './fields.js';

/** `path`: one account of the tdata (its settings file) or the folder. */
export function UnlockDialog({ path, onClose }: { path: string; onClose(): void }) {
  const notify = useStore((s) => s.notify);
  const [passcode, setPasscode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const folder = path.replace(/[\\/][0-9A-F]{16}[s01]$/, '');
  const unlock = async () => {
    if (passcode.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api['tdata.unlock']({ path, passcode });
      notify(`Unlocked ${r.folder.split(/[\\/]/).pop()}: reading its accounts`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Telegram Desktop passcode"
      onClose={onClose}
      testId="unlock-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={passcode.length === 0 || busy} onClick={() => void unlock()} data-testid="unlock-confirm">
            <Icon name="lock" /> {busy ? 'Checking…' : 'Unlock'}
          </button>
        </>
      }
    >
      <div>
        <span className="mono">{folder}</span> is locked with a local passcode, the one Telegram Desktop asks for when it starts. Type it to read the accounts inside.
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void unlock();
        }}
      >
        <PassphraseFields value={passcode} again="" onChange={(v) => setPasscode(v)} confirm={false} label="Passcode" testId="unlock-passcode" />
      </form>
      <div className="faint">Session Deck reads the folder without changing it. The passcode is never saved: the folder stays open until you quit, and asks again next time.</div>
      <ErrorLine error={error} />
    </Dialog>
  );
}
