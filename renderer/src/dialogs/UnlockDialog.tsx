/**
 * The passcode dialog: a Telegram Desktop tdata behind a local passcode is listed locked until
 * the passcode is given here. The core checks it and keeps only the folder's local key, in
 * memory, until the app quits; the passcode is never saved.
 */
import { useRef, useState } from 'react';
import { api } from '../api.js';
import { Dialog, ErrorLine, Icon } from '../components/ui.js';
import { useStore } from '../store.js';
import { PassphraseFields } from './fields.js';
import { useAction } from './use-action.js';

/** `path`: one account of the tdata (its settings file) or the folder. */
export function UnlockDialog({ path, onClose }: { path: string; onClose(): void }) {
  const notify = useStore((s) => s.notify);
  // The library's own line for it ("tdata … is locked with a local passcode: …") names the folder.
  const locked = useStore((s) => s.entries.find((e) => e.path === path)?.error) ?? 'This Telegram Desktop folder is locked with a local passcode';
  const [passcode, setPasscode] = useState('');
  const passRef = useRef<HTMLInputElement>(null);
  const { busy, failure, run } = useAction({ secret: passRef });
  const unlock = () =>
    run(async () => {
      if (passcode.length === 0) return;
      const r = await api['tdata.unlock']({ path, passcode });
      notify(`Unlocked ${r.folder.split(/[\\/]/).pop()}: reading its accounts`);
      onClose();
    });
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
        {locked}. It is the passcode Telegram Desktop asks for when it starts.
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void unlock();
        }}
      >
        <PassphraseFields value={passcode} again="" onChange={(v) => setPasscode(v)} confirm={false} label="Passcode" testId="unlock-passcode" inputRef={passRef} />
      </form>
      <div className="faint">Session Deck reads the folder without changing it. The passcode is never saved: the folder stays open until you quit, and asks again next time.</div>
      <ErrorLine error={failure} />
    </Dialog>
  );
}
