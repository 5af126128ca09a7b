/**
 * Back up: the ticked sessions, one library folder or the whole library into one encrypted
 * .tar.age; passphrase typed twice; progress with Cancel; then Verify with the same passphrase.
 */
import { useRef, useState } from 'react';
import type { Res } from '../../../shared/contract.js';
import { api, isElectron } from '../api.js';
import { JobProgress, useJobRunner } from '../components/job.js';
import { Badge, Dialog, ErrorLine, Icon, useScrollIntoView } from '../components/ui.js';
import { bytes, formatShort, num } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { PassphraseFields, passphraseProblem, PathField } from './fields.js';
import { useAction } from './use-action.js';

type Scope = 'selected' | 'folder' | 'library';

const today = () => new Date().toISOString().slice(0, 10);
const join = (dir: string, name: string) => `${dir.replace(/[\\/]+$/, '')}${dir.includes('\\') && !dir.includes('/') ? '\\' : '/'}${name}`;

export function BackupDialog({ onClose }: { onClose(): void }) {
  const { checked, session, roots, entries, homeDir, notify } = useStore(useShallow((s) => ({ checked: s.checked, session: s.session, roots: s.roots, entries: s.entries, homeDir: s.homeDir, notify: s.notify })));
  const picked = checked.length > 0 ? checked : session?.path ? [session.path] : [];
  const folders = roots.filter((r) => r.kind === 'folder');
  const [scope, setScope] = useState<Scope>(picked.length > 0 ? 'selected' : 'library');
  const [folder, setFolder] = useState(folders[0]?.path ?? '');
  const [out, setOut] = useState(join(homeDir, `session-deck-backup-${today()}.tar.age`));
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const passRef = useRef<HTMLInputElement>(null);
  const action = useAction({ secret: passRef });
  const [done, setDone] = useState<Res<'backup.create'> | null>(null);
  const [verified, setVerified] = useState<Res<'backup.verify'> | null>(null);
  const runner = useJobRunner();
  const verifiedRef = useScrollIntoView<HTMLDivElement>(verified);

  const paths = scope === 'selected' ? picked : scope === 'folder' ? (folder ? [folder] : []) : roots.map((r) => r.path);
  const problem = paths.length === 0 ? 'Nothing to back up yet.' : !out.trim() ? 'Choose where to save the backup.' : passphraseProblem(pass, again);
  const sessionsIn = (p: string) => entries.filter((e) => e.status === 'ok' && (e.path === p || e.root === p)).length;

  const choose = async () => {
    const r = await api['dialog.save']({ defaultPath: out });
    if (r.available && r.path) setOut(r.path);
  };

  const backup = () =>
    action.run(async () => {
      setVerified(null);
      const r = await runner.run((jobId) => api['backup.create']({ jobId, paths, out: out.trim(), passphrase: pass }));
      if (r) {
        setDone(r);
        notify(`Backed up to ${r.file}`);
      }
    });

  const verify = () =>
    action.run(async () => {
      if (!done) return;
      const r = await runner.run((jobId) => api['backup.verify']({ jobId, file: done.file, passphrase: pass }));
      if (r) setVerified(r);
    });

  const option = (id: Scope, title: string, detail: string, disabled = false) => (
    <label className={`choice ${scope === id ? 'on' : ''} ${disabled ? 'disabled' : ''}`}>
      <input type="radio" name="scope" checked={scope === id} disabled={disabled || runner.running || done !== null} onChange={() => setScope(id)} data-testid={`scope-${id}`} />
      <div>
        <strong>{title}</strong>
        <div className="muted small">{detail}</div>
      </div>
    </label>
  );

  const name = (p: string) => p.split(/[\\/]/).pop() ?? p;
  return (
    <Dialog
      title="Back up sessions"
      onClose={onClose}
      wide
      testId="backup-dialog"
      footer={
        done ? (
          <>
            <button className="btn" onClick={() => void verify()} disabled={runner.running} data-testid="backup-verify">
              <Icon name="check" /> Verify backup
            </button>
            <span className="spacer" />
            <button className="btn primary" onClick={onClose}>
              Done
            </button>
          </>
        ) : (
          <>
            <button className="btn" onClick={onClose}>
              Cancel
            </button>
            <button className="btn primary" disabled={problem !== null || runner.running} onClick={() => void backup()} data-testid="backup-start">
              <Icon name="shield" /> Back up
            </button>
          </>
        )
      }
    >
      <div className="field">
        <span>What to back up</span>
        <div className="choices">
          {option('selected', picked.length > 1 ? `${picked.length} selected sessions` : picked.length === 1 ? name(picked[0]!) : 'Selected sessions', picked.length > 0 ? 'Exactly as they are on disk.' : 'Tick sessions in the library first.', picked.length === 0)}
          {option('folder', 'A library folder', folders.length > 0 ? 'Everything in it, sub-folders included.' : 'No folder in the library yet.', folders.length === 0)}
          {option('library', 'The whole library', `${num(roots.length)} location${roots.length === 1 ? '' : 's'}, ${num(entries.filter((e) => e.status === 'ok').length)} sessions.`, roots.length === 0)}
        </div>
      </div>
      {scope === 'folder' && folders.length > 0 && (
        <label className="field">
          <span>Folder</span>
          <select className="input mono" value={folder} onChange={(e) => setFolder(e.target.value)} disabled={done !== null} data-testid="backup-folder">
            {folders.map((f) => (
              <option key={f.path} value={f.path}>
                {f.path} ({num(sessionsIn(f.path))} sessions)
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="path-row">
        <PathField value={out} onChange={setOut} label="Save the backup as" hint="One .tar.age file: a tar of the files and a manifest with their SHA-256, encrypted with age." testId="backup-out" />
        {isElectron() && (
          <button className="btn" onClick={() => void choose()} disabled={done !== null}>
            Choose…
          </button>
        )}
      </div>
      {!done && (
        <>
          <PassphraseFields value={pass} again={again} confirm onChange={(v, a) => (setPass(v), setAgain(a))} testId="backup-pass" inputRef={passRef} />
          <div className="note info small">
            <Icon name="key" />
            <div>
              Without this passphrase nobody, Session Deck included, can open the backup. It also opens without Session Deck:{' '}
              <span className="mono">age -d backup.tar.age | tar -xf -</span>
            </div>
          </div>
        </>
      )}
      <JobProgress runner={runner} />
      {done && (
        <div className="section" style={{ marginTop: 0 }} data-testid="backup-done">
          <div className="note ok">
            <Icon name="check" />
            <div>
              Backed up {done.sessions.length === 1 ? '1 item' : `${done.sessions.length} items`} ({num(done.sessions.reduce((n, s) => n + s.files, 0))} files,{' '}
              {bytes(done.bytes)} encrypted) to <span className="mono">{done.file}</span>
            </div>
          </div>
          <BackupContents sessions={done.sessions} />
        </div>
      )}
      {verified && (
        <div className={`note ${verified.ok ? 'ok' : 'error'}`} data-testid="backup-verified" ref={verifiedRef}>
          <Icon name={verified.ok ? 'shield' : 'close'} />
          <div>{verified.ok ? `Verified: the passphrase opens it and all ${num(verified.files)} files match their SHA-256.` : verified.problem}</div>
        </div>
      )}
      <ErrorLine error={action.failure} onRetry={action.retry} />
    </Dialog>
  );
}

/** The sessions inside a backup, as its manifest lists them. */
export function BackupContents({ sessions }: { sessions: Res<'backup.create'>['sessions'] }) {
  return (
    <table className="grid compact">
      <thead>
        <tr>
          <th>In the backup</th>
          <th>Format</th>
          <th>From</th>
          <th className="num">Files</th>
          <th className="num">Size</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.name}>
            <td>
              <Icon name={s.kind === 'folder' ? 'folder' : 'file'} /> {s.name}
            </td>
            <td>{s.format ? <Badge tone="fmt">{formatShort(s.format)}</Badge> : <span className="faint">{s.kind === 'folder' ? 'folder' : '—'}</span>}</td>
            <td className="mono small ellipsis" title={s.originalPath}>
              {s.originalPath}
            </td>
            <td className="num">{num(s.files)}</td>
            <td className="num">{bytes(s.bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
