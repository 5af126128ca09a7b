/** Convert / Save as: target format, the fields it needs, the loss report first, then the write. */
import { useState } from 'react';
import { api, ApiError } from '../api.js';
import { Dialog, ErrorLine, Icon, Notes } from '../components/ui.js';
import { useStore, type OpenSession } from '../store.js';
import { failedRead, useReply } from '../query.js';
import { useAutoBackupPassphrase } from './auto-backup.js';
import { useAction } from './use-action.js';
import { chooseSavePath, draftToGiven, emptyDraft, FormatSelect, GivenFields, PassphraseFields, PathField, SidecarCopy, type GivenDraft } from './fields.js';

export function ConvertDialog({ session, onClose }: { session: OpenSession; onClose(): void }) {
  const formats = useStore((s) => s.formats);
  const notify = useStore((s) => s.notify);
  const [to, setTo] = useState('');
  const [draft, setDraft] = useState<GivenDraft>(emptyDraft);
  // What the user typed; until then, the path suggested for the chosen target (a new target, a new suggestion).
  const [typedOut, setOut] = useState<string | null>(null);
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const [copySidecar, setCopySidecar] = useState(true);
  // The store holds a session under this id: replacing it is offered, backed up first as an edit is.
  const [exists, setExists] = useState(false);
  const backupPass = useAutoBackupPassphrase(action.setError);
  // A tdata may be locked with a new local passcode (typed twice); empty: none.
  const [passcode, setPasscode] = useState({ value: '', again: '' });
  const passcodeProblem = to === 'tdata' && passcode.value !== passcode.again ? 'The two passcodes differ.' : null;

  // A store keeps no sidecar beside its sessions; the sidecar's values still fill what it needs.
  const toStore = formats.find((f) => f.id === to)?.medium === 'store';
  const { given, problem } = draftToGiven(draft);
  const asked = useReply('convert.preview', to && !problem ? { ref: session.ref, to, given } : null);
  const preview = asked.data ?? null;
  const out = typedOut ?? preview?.suggestedPath ?? '';
  const failed = failedRead(asked);
  const error = problem ?? failed?.error ?? action.failure;
  const retry = failed?.retry ?? action.retry;

  const ready = preview !== null && preview.missing.length === 0;
  const write = (force = false) =>
    action.run(async () => {
      if (force) await backupPass.ensure();
      const path = toStore ? out.trim() : await chooseSavePath(out);
      if (!path) return;
      const lock = to === 'tdata' && passcode.value.length > 0 ? { passcode: passcode.value } : {};
      try {
        const r = await api['convert.write']({ ref: session.ref, to, given, out: path, sidecar: copySidecar, force, ...lock });
        setExists(false);
        setDone(r.sidecar ? `${r.path} (and ${r.sidecar})` : r.path);
        notify(r.backup ? `Replaced: ${r.path}. The one before is backed up (encrypted) at ${r.backup}` : `Written: ${r.path}`);
      } catch (e) {
        // The note below says it, with the choice; the core's line names the CLI's --force.
        if (toStore && e instanceof ApiError && e.code === 'exists') setExists(true);
        else throw e;
      }
    });

  return (
    <Dialog
      title={`Convert ${session.title}`}
      onClose={onClose}
      wide
      testId="convert-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {done ? 'Done' : 'Cancel'}
          </button>
          <button className="btn primary" disabled={!ready || passcodeProblem !== null || action.busy || !out.trim() || done !== null} onClick={() => void write()} data-testid="convert-write">
            <Icon name="convert" /> {toStore ? 'Write into the store' : 'Write file'}
          </button>
        </>
      }
    >
      <FormatSelect
        formats={formats}
        value={to}
        onChange={(id) => {
          setTo(id);
          setDone(null);
          setExists(false);
          action.setError(null);
        }}
        label="Target format"
      />
      {preview && <GivenFields missing={preview.missing} draft={draft} onChange={setDraft} />}
      {preview?.missing.includes('authKey') && <div className="note error">This session has no auth key for its home DC, so the target cannot be written.</div>}
      {ready && (
        <div className="section" style={{ marginTop: 0 }} data-testid="loss-report">
          <h2>Loss report</h2>
          {preview.losses.length === 0 ? (
            <div className="note ok">Nothing is lost: the target keeps everything this session holds.</div>
          ) : (
            <Notes items={preview.losses} />
          )}
          {preview.given.length > 0 && (
            <>
              <div style={{ height: 6 }} />
              <Notes items={preview.given} tone="info" />
            </>
          )}
        </div>
      )}
      {ready && <PathField value={out} onChange={(v) => (setOut(v), setExists(false))} label="Write to" hint={outputHint(formats.find((f) => f.id === to)?.medium)} testId="convert-path" />}
      {ready && preview.sidecar !== null && !toStore && <SidecarCopy name={preview.sidecar} checked={copySidecar} onChange={setCopySidecar} />}
      {ready && to === 'tdata' && (
        <div className="field" data-testid="tdata-passcode">
          <PassphraseFields value={passcode.value} again={passcode.again} onChange={(value, again) => setPasscode({ value, again })} confirm label="Local passcode (optional)" testId="convert-passcode" />
          <div className="faint">Telegram Desktop asks for it when it starts; leave it empty for none.</div>
        </div>
      )}
      <ErrorLine error={error ?? passcodeProblem} onRetry={retry} />
      {exists && toStore && (
        <div className="note info" style={{ display: 'grid', gap: 10 }} data-testid="convert-exists">
          <div role="alert">A session is stored under this id already. Replace it? The one there now is backed up first, encrypted, as before an edit; Restore can put it back.</div>
          {backupPass.fields}
          <div>
            <button className="btn danger" disabled={action.busy || backupPass.hasPassphrase === null || backupPass.problem !== null} onClick={() => void write(true)} data-testid="convert-replace">
              Back up and replace
            </button>
          </div>
        </div>
      )}
      {done && (
        <div className="note ok" data-testid="convert-done">
          Written to <span className="mono">{done}</span>
        </div>
      )}
    </Dialog>
  );
}

function outputHint(medium: string | undefined): string {
  if (medium === 'store') return 'A session in a shared store, as <store URL>#<session id> (a store of the library is suggested); one that exists is replaced only if you choose to, after an automatic backup of it. The source is not touched.';
  return `A new ${medium === 'folder' ? 'folder' : 'file'}; an existing one is never overwritten. The source is not touched.`;
}
