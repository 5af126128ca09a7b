/**
 * Restore: a backup file, its passphrase and a destination folder; Verify checks it without
 * writing; Preview shows what goes where and what to do when a different file is already
 * there; Restore stages everything and moves it into place only when every file verified.
 */
import { useRef, useState } from 'react';
import type { ConflictChoice, Res, RestoreItem } from '../../../shared/contract.js';
import { api, isElectron } from '../api.js';
import { JobProgress, useJobRunner } from '../components/job.js';
import { Badge, Dialog, ErrorLine, Icon, useScrollIntoView } from '../components/ui.js';
import { formatShort, num } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { BackupContents } from './BackupDialog.js';
import { PassphraseFields, passphraseProblem, PathField } from './fields.js';
import { useAction } from './use-action.js';

const CONFLICTS: [ConflictChoice, string, string][] = [
  ['skip', 'Skip it', 'Leave the existing file as it is.'],
  ['keep-both', 'Keep both', 'Restore beside it, as name-restored-1.'],
  ['overwrite', 'Overwrite', 'Move the existing one aside first, then restore.'],
];

const ACTION: Record<RestoreItem['action'], [string, 'ok' | 'warn' | 'danger' | 'fmt' | undefined]> = {
  create: ['new', 'ok'],
  unchanged: ['already there', undefined],
  skip: ['skipped', 'warn'],
  'keep-both': ['kept beside', 'fmt'],
  overwrite: ['replaces', 'danger'],
};

export function RestoreDialog({ onClose }: { onClose(): void }) {
  const { notify, addPaths } = useStore(useShallow((s) => ({ notify: s.notify, addPaths: s.addPaths })));
  const [file, setFile] = useState('');
  const [pass, setPass] = useState('');
  const [dest, setDest] = useState('');
  const [onConflict, setConflict] = useState<ConflictChoice>('keep-both');
  const passRef = useRef<HTMLInputElement>(null);
  const action = useAction({ secret: passRef });
  const [verified, setVerified] = useState<Res<'backup.verify'> | null>(null);
  const [plan, setPlan] = useState<{ key: string; r: Res<'restore.plan'> } | null>(null);
  const [restored, setRestored] = useState<Res<'restore.apply'> | null>(null);
  const runner = useJobRunner();

  const key = JSON.stringify([file, pass, dest, onConflict]);
  const preview = plan?.key === key ? plan.r : null;
  const problem = !file.trim() ? 'Choose the backup file.' : passphraseProblem(pass, null);

  const verify = () =>
    action.run(async () => {
      const r = await runner.run((jobId) => api['backup.verify']({ jobId, file: file.trim(), passphrase: pass }));
      if (r) setVerified(r);
    });
  const previewRestore = () =>
    action.run(async () => {
      const r = await runner.run((jobId) => api['restore.plan']({ jobId, file: file.trim(), passphrase: pass, dest: dest.trim(), onConflict }));
      if (r) setPlan({ key, r });
    });
  const apply = () =>
    action.run(async () => {
      const r = await runner.run((jobId) => api['restore.apply']({ jobId, file: file.trim(), passphrase: pass, dest: dest.trim(), onConflict }));
      if (r) {
        setRestored(r);
        notify(`Restored into ${dest.trim()}`);
      }
    });

  const chooseFile = async () => {
    const r = await api['dialog.open']({ kind: 'file' });
    if (r.paths[0]) setFile(r.paths[0]);
  };
  const chooseDest = async () => {
    const r = await api['dialog.open']({ kind: 'folder' });
    if (r.paths[0]) setDest(r.paths[0]);
  };

  const conflicts = preview?.items.some((i) => i.action !== 'create' && i.action !== 'unchanged') ?? false;
  const writes = preview?.items.filter((i) => i.action === 'create' || i.action === 'keep-both' || i.action === 'overwrite').length ?? 0;
  const locked = runner.running || restored !== null;
  const verifiedRef = useScrollIntoView<HTMLDivElement>(verified);

  return (
    <Dialog
      title="Restore a backup"
      onClose={onClose}
      wide
      testId="restore-dialog"
      footer={
        restored ? (
          <>
            <button className="btn" onClick={() => void action.run(() => addPaths([dest.trim()]).then(onClose))} data-testid="restore-add">
              <Icon name="folder" /> Add the folder to the library
            </button>
            <span className="spacer" />
            <button className="btn primary" onClick={onClose}>
              Done
            </button>
          </>
        ) : (
          <>
            <button className="btn" onClick={() => void verify()} disabled={problem !== null || locked} data-testid="restore-verify">
              <Icon name="shield" /> Verify only
            </button>
            <span className="spacer" />
            <button className="btn" onClick={onClose}>
              Cancel
            </button>
            <button className="btn" onClick={() => void previewRestore()} disabled={problem !== null || !dest.trim() || locked} data-testid="restore-preview">
              Preview
            </button>
            <button className="btn primary" onClick={() => void apply()} disabled={preview === null || writes === 0 || locked} data-testid="restore-apply">
              <Icon name="restore" /> Restore {writes > 0 ? `${writes}` : ''}
            </button>
          </>
        )
      }
    >
      {restored ? (
        <div className="kv" data-testid="restore-summary">
          <div>Backup</div>
          <div className="mono small">{file.trim()}</div>
          <div>Restored into</div>
          <div className="mono small">{dest.trim()}</div>
        </div>
      ) : (
        <>
          <div className="path-row">
            <PathField value={file} onChange={setFile} label="Backup file" hint="A .tar.age made by Session Deck (or by hand with tar and age)." testId="restore-file" />
            {isElectron() && (
              <button className="btn" onClick={() => void chooseFile()} disabled={locked}>
                Choose…
              </button>
            )}
          </div>
          <PassphraseFields value={pass} again="" confirm={false} onChange={(v) => setPass(v)} testId="restore-pass" inputRef={passRef} />
          <div className="path-row">
            <PathField value={dest} onChange={setDest} folderOnly label="Restore into" hint="A folder; created if missing. Each backed-up file or folder lands directly inside it." testId="restore-dest" />
            {isElectron() && (
              <button className="btn" onClick={() => void chooseDest()} disabled={locked}>
                Choose…
              </button>
            )}
          </div>
          <div className="field">
            <span>When a different file is already there</span>
            <div className="segmented" role="radiogroup">
              {CONFLICTS.map(([id, label, help]) => (
                <button key={id} role="radio" aria-checked={onConflict === id} className={onConflict === id ? 'on' : ''} onClick={() => setConflict(id)} disabled={locked} title={help} data-testid={`conflict-${id}`}>
                  {label}
                </button>
              ))}
            </div>
            <span className="hint">{CONFLICTS.find(([id]) => id === onConflict)?.[2]} Nothing is written unless every file in the backup verifies.</span>
          </div>
        </>
      )}
      <JobProgress runner={runner} />
      {verified && !restored && (
        <div className="section" style={{ marginTop: 0 }} data-testid="restore-verified" ref={verifiedRef}>
          <div className={`note ${verified.ok ? 'ok' : 'error'}`}>
            <Icon name={verified.ok ? 'shield' : 'close'} />
            <div>
              {verified.ok
                ? `Verified: ${num(verified.files)} files match their SHA-256. Made ${verified.createdAt?.replace('T', ' ').slice(0, 19)} UTC by Session Deck ${verified.appVersion}${verified.automatic ? ' (automatic backup)' : ''}.`
                : verified.problem}
            </div>
          </div>
          {verified.ok && <BackupContents sessions={verified.sessions} />}
        </div>
      )}
      {(restored ?? preview) && <RestorePlan items={(restored ?? preview)!.items} done={restored !== null} conflicts={conflicts} />}
      <ErrorLine error={action.failure} onRetry={action.retry} />
    </Dialog>
  );
}

function RestorePlan({ items, done, conflicts }: { items: RestoreItem[]; done: boolean; conflicts: boolean }) {
  const ref = useScrollIntoView<HTMLDivElement>(`${done}:${items.length}`);
  return (
    <div className="section" style={{ marginTop: 0 }} data-testid={done ? 'restore-done' : 'restore-plan'} ref={ref}>
      <h2>{done ? 'Restored' : 'What the restore will do'}</h2>
      {done && <div className="note ok" style={{ marginBottom: 8 }}><Icon name="check" /> Every file verified and was moved into place.</div>}
      {!done && conflicts && <div className="note" style={{ marginBottom: 8 }}>Some targets already exist with different content: see the choice above.</div>}
      <table className="grid compact">
        <thead>
          <tr>
            <th>Session</th>
            <th>Format</th>
            <th>Goes to</th>
            <th>Action</th>
          </tr>
        </thead>
        <tbody>
          {items.map((it) => {
            const [label, tone] = ACTION[it.action];
            return (
              <tr key={it.session}>
                <td title={`Backed up from ${it.originalPath}`}>
                  <Icon name={it.kind === 'folder' ? 'folder' : 'file'} /> {it.session}
                </td>
                <td>{it.format ? <Badge tone="fmt">{formatShort(it.format)}</Badge> : <span className="faint">{it.kind}</span>}</td>
                <td className="mono small ellipsis" title={it.target}>
                  {it.target}
                  {it.movedAside && <div className="faint">old one kept as {it.movedAside}</div>}
                  {it.sidecar && <div className="faint">with its sidecar {it.sidecar}</div>}
                </td>
                <td>
                  <Badge tone={tone}>{label}</Badge>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
